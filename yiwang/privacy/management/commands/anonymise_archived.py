"""`yiwang anonymise_archived`: anonymise the archived cases past the retention period (cron it daily, or
`--enqueue` it to the worker). Batched and idempotent."""

from django.conf import settings
from django.core.management.base import BaseCommand

from yiwang.privacy.retention import anonymise_due, do_anonymise_due, get_cutoff


class Command(BaseCommand):
    help = "Anonymise archived cases closed more than YIWANG_RETENTION_DAYS/YEARS ago (batched, audited)."

    def add_arguments(self, parser):
        parser.add_argument("--enqueue", action="store_true", help="run it on the task worker instead")

    def handle(self, *args, enqueue=False, **options):
        if enqueue:
            result = anonymise_due.enqueue()
            self.stdout.write(f"enqueued {result.id} ({result.status})")
            return
        count = do_anonymise_due()
        self.stdout.write(f"{count} cases anonymised (closed before {get_cutoff():%Y-%m-%d}, "
                          f"{settings.RETENTION_DAYS} days)")
