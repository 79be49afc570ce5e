"""`yiwang remind_deadlines`: tell owners of cases due soon and overdue (cron, e.g. daily at 08:30).
Idempotent: each reminder once per case per day, however often it runs."""

from django.core.management.base import BaseCommand

from yiwang.notifications.periodic import send_deadline_reminders


class Command(BaseCommand):
    help = "Remind case owners of deadlines within YIWANG_REMIND_WORKDAYS working days, and of overdue cases."

    def handle(self, *args, **options):
        near, overdue = send_deadline_reminders()
        self.stdout.write(f"{near} due soon, {overdue} overdue")
