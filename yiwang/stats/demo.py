def load(out) -> None:
    """This app's demo data; idempotent."""
