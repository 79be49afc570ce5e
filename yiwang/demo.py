"""The 普陀区 demo: each app with demo data has a `demo` module with `load(out)`, run in this order."""

from importlib import import_module

from django.db import transaction

DEMO_LOADERS = [
    "yiwang.areas.demo",
    "yiwang.accounts.demo",
    "yiwang.cases.demo",
    "yiwang.grids.demo",
    "yiwang.online.demo",
    "yiwang.warnings.demo",
    "yiwang.finance.demo",
    "yiwang.triage.demo",
    "yiwang.maritime.demo",
    "yiwang.notifications.demo",
    "yiwang.cobuild.demo",
    "yiwang.stats.demo",
]


def load_demo(out=lambda line: None) -> None:
    """Load every app's demo data in one transaction. Running it again changes nothing."""
    with transaction.atomic():
        for module in DEMO_LOADERS:
            import_module(module).load(out)
