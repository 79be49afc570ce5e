from django.core.management.base import BaseCommand

from yiwang.maritime.actions import do_remind_overdue_tasks


class Command(BaseCommand):
    help = ("Tell each agency's officers (and the coordinating centre) about its overdue maritime tasks, once a "
            "day per task (idempotent: run it from cron as often as you like).")

    def handle(self, *args, **options):
        self.stdout.write(f"{do_remind_overdue_tasks()} overdue agency tasks announced.")
