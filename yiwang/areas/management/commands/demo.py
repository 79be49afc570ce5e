from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from yiwang.demo import load_demo


class Command(BaseCommand):
    help = "Load the 普陀区 demo: divisions, centres, windows, teams, organisations and accounts. Idempotent."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("The demo accounts use a public password: run `yiwang demo` only with DEBUG=1.")
        load_demo(self.stdout.write)
