from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from yiwang.demo import DEMO_LOADERS, load_demo


class Command(BaseCommand):
    help = (
        "Load the 普陀区 demo: divisions, centres, windows, teams, organisations and accounts, then each "
        "app's recent activity (visits, problems…). Idempotent."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo accounts use a public password: run `yiwang demo` only with DEBUG=1.")
        with transaction.atomic():
            load_demo(self.stdout.write)
            # Activity (an app's optional `load_activity`, in loader order) is for people looking at the
            # demo; the test fixture loads only the master data, on which tests count exactly.
            # The statistics app's activity loader comes last and rebuilds them from everything before it.
            for name in DEMO_LOADERS:
                load_activity = getattr(import_module(name), "load_activity", None)
                if load_activity is not None:
                    load_activity(self.stdout.write)
