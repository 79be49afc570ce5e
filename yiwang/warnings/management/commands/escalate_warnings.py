"""yiwang escalate_warnings: red warnings nobody acknowledged within their rule's time go one tier up
(cron, e.g. every 15 minutes). Idempotent within each period."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Escalate unacknowledged red warnings one tier up."

    def handle(self, *args, **options):
        from yiwang.warnings.actions import do_escalate_overdue

        do_escalate_overdue(out=self.stdout.write)
