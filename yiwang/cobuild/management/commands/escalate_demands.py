"""`yiwang escalate_demands`: send demands unclaimed for COBUILD_ESCALATE_DAYS to their street (run it
daily from cron; a demand escalates once, so running it again does nothing)."""

from django.core.management.base import BaseCommand

from yiwang.cobuild.actions import do_escalate_unclaimed


class Command(BaseCommand):
    help = "Escalate co-building demands nobody has claimed in time to their street."

    def handle(self, *args, **options):
        escalated = do_escalate_unclaimed()
        self.stdout.write(f"escalated {len(escalated)} demands")
