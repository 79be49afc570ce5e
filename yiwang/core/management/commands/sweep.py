"""`yiwang sweep`: the safety net of the background work, for cron every few minutes.

Jobs and notifications are rows in the database whichever backend runs the tasks (the database worker or
RQ on Redis); a task is only the message that wakes a worker. This sends again what a lost message left
waiting: queued jobs untouched for core.jobs.REQUEUE_AFTER go back to the queue (a job runs once however
often it is delivered), and the outbox sends whatever is due here and now (core.outbox; a row a dead
worker left sending is released after outbox.STUCK_AFTER)."""

from django.core.management.base import BaseCommand

from yiwang.core.jobs import requeue_stale
from yiwang.core.outbox import deliver_outbox_now


class Command(BaseCommand):
    help = "Enqueue again the jobs a lost queue dropped and send the notifications that are due."

    def handle(self, *args, **options):
        requeued = requeue_stale()
        sent = deliver_outbox_now()
        self.stdout.write(f"{requeued} job(s) enqueued again, {sent} notification(s) sent")
