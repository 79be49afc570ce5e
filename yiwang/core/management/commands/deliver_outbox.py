"""`yiwang deliver_outbox`: send whatever is due in the notification outbox, here and now.

The worker sends each message right after the action that wrote it commits; this command is the safety
net (run it from cron every few minutes): after a crash, a lost task, or a backend that cannot defer
the retries."""

from django.core.management.base import BaseCommand

from yiwang.core.outbox import deliver_outbox_now


class Command(BaseCommand):
    help = "Send the notifications that are due (recovery; the worker normally sends them)."

    def handle(self, *args, **options):
        sent = deliver_outbox_now()
        self.stdout.write(f"{sent} sent")
