"""yiwang evaluate_warnings [--date YYYY-MM-DD]: every enabled rule over the district's cases and grid
problems (cron, e.g. hourly). Idempotent: a second run raises nothing new."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Evaluate every warning rule; idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="evaluate as of this day (default: today)")

    def handle(self, *args, date=None, **options):
        from yiwang.warnings.engine import evaluate_all

        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError("--date must be YYYY-MM-DD") from None
        evaluate_all(today, out=self.stdout.write)
