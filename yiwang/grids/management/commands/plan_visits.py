"""`yiwang plan_visits`: enqueue the weekly visit planning (run it daily from cron)."""

from django.core.management.base import BaseCommand

from yiwang.grids.schedule import plan_visits


class Command(BaseCommand):
    help = "Enqueue the grid visit plan: tasks for the coming visit day, missed visits marked."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="plan as if today were this ISO date (catch-up runs)")

    def handle(self, *args, today=None, **options):
        result = plan_visits.enqueue(today)
        self.stdout.write(f"enqueued {result.id} ({result.status})")
