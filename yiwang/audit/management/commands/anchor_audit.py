"""`yiwang anchor_audit`: enqueue the day's anchor of the audit chain (cron it daily, e.g. at 23:50)."""

from django.core.management.base import BaseCommand

from yiwang.audit.anchors import anchor_audit


class Command(BaseCommand):
    help = "Enqueue the day's audit anchor: the chain head, with date and row id, written under the anchor dir."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="anchor as of this ISO date (catch-up runs)")

    def handle(self, *args, date=None, **options):
        result = anchor_audit.enqueue(date)
        self.stdout.write(f"enqueued {result.id} ({result.status})")
