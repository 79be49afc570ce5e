"""`yiwang send_digest`: the daily digest for everyone who reads an area's statistics. Nothing is sent
before the configured time of day (YIWANG_DIGEST_HOUR, YIWANG_DIGEST_MINUTE; 07:30 by default), so cron
may run it every 15 minutes and the digest leaves at the first run after that time; `--force` sends now.
Idempotent: one digest per person per day, however often it runs."""

from django.conf import settings
from django.core.management.base import BaseCommand

from yiwang.notifications.periodic import is_digest_due, send_digests


class Command(BaseCommand):
    help = "Send the daily digest (new cases, overdue, by town, warnings) to each reader of area statistics."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="send now, before the configured time")

    def handle(self, *args, force=False, **options):
        if not force and not is_digest_due():
            hour, minute = settings.NOTIFICATIONS_DIGEST_AT
            self.stdout.write(f"not yet: the digest is sent from {hour:02d}:{minute:02d}")
            return
        self.stdout.write(f"{send_digests(force=True)} digests")
