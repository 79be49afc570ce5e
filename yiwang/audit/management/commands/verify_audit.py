"""`yiwang verify_audit`: walk the audit log's hash chain and check the daily anchors; names the first broken
row and exits 1 when anything is wrong (cron it after the anchor, or run it before an inspection)."""

from django.core.management.base import BaseCommand, CommandError

from yiwang.audit.anchors import anchor_dir, read_anchors
from yiwang.audit.chain import get_head, verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and its anchors; names the first broken row."

    def add_arguments(self, parser):
        parser.add_argument("--no-anchors", action="store_true", help="walk the chain only")

    def handle(self, *args, no_anchors=False, **options):
        anchors = [] if no_anchors else read_anchors()
        problems = verify(anchors)
        if problems:
            for problem in problems:
                self.stderr.write(problem)
            raise CommandError(f"the audit log is NOT intact: {problems[0]}")
        head = get_head()
        self.stdout.write(f"audit log intact up to row {head[0] if head else '-'}, "
                          f"{len(anchors)} anchors checked ({anchor_dir()})")
