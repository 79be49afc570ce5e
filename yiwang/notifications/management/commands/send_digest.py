"""`yiwang send_digest`: the daily digest for everyone who reads an area's statistics (cron, at the hour
the leaders want it, e.g. 07:30). Idempotent: one digest per person per day, however often it runs."""

from django.core.management.base import BaseCommand

from yiwang.notifications.periodic import send_digests


class Command(BaseCommand):
    help = "Send the daily digest (new cases, overdue, by town) to each reader of area statistics."

    def handle(self, *args, **options):
        self.stdout.write(f"{send_digests()} digests")
