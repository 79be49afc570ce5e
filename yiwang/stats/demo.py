def load(out) -> None:
    """The statistics of the demo: rebuilt from the rows the other apps' demos loaded (some of them in
    bulk, past the actions and their hooks). Runs last; idempotent."""
    from yiwang.stats.aggregates import rebuild

    rebuild(out)


# After the apps' activity (visits, problems…) is loaded in bulk, the statistics are rebuilt once more.
load_activity = load
