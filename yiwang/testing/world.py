"""The test world: the 普陀区 master data and the cast, and nothing else.

Divisions, centres and their windows, teams, organisations, roles, grids and grid teams and the named users:
what the demo's master-data loaders build, all of it deterministic (no random draw, no clock). The demo's
activity (cases, visits, problems, statistics) is for people looking at the demo; a test builds the
activity it needs with `yiwang.testing.factories`, so no test depends on what the demo drew or when.
"""

from importlib import import_module

from django.db import transaction

# The master-data loaders, in dependency order. yiwang.cases.demo (random cases dated from now) and the
# apps' `load_activity` are deliberately absent.
MASTER_DATA_LOADERS = [
    "yiwang.areas.demo",
    "yiwang.accounts.demo",
    "yiwang.grids.demo",
    "yiwang.warnings.demo",
    "yiwang.finance.demo",
    "yiwang.maritime.demo",
    "yiwang.triage.defaults",
]


def load_master_data(out=lambda line: None) -> None:
    """Load the deterministic master data of the demo; running it again changes nothing."""
    with transaction.atomic():
        for module in MASTER_DATA_LOADERS:
            import_module(module).load(out)


def load_test_world() -> None:
    """The master data, with every cast member's password set to the tests' own."""
    from yiwang.accounts.models import User
    from yiwang.testing import CAST, PASSWORD

    load_master_data()
    for user in User.objects.filter(username__in=CAST):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def load_full_demo(out=lambda line: None) -> None:
    """What `yiwang demo` loads: every app's demo, then each app's activity (random, dated from now).

    Only the demo's own tests load it, to check its invariants; no other test may lean on what it drew.
    """
    from yiwang.demo import DEMO_LOADERS, load_demo

    with transaction.atomic():
        load_demo(out)
        for name in DEMO_LOADERS:
            load_activity = getattr(import_module(name), "load_activity", None)
            if load_activity is not None:
                load_activity(out)
