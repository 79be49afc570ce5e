"""yiwang train_triage: rebuild the type classifier from the shipped corpus and the staff corrections.

Idempotent: the same corpus, libraries and corrections give the same model key (and file). Run it after
an upgrade, or nightly from cron so that the clerks' corrections count."""

from django.core.management.base import BaseCommand

from yiwang.triage.actions import do_retrain


class Command(BaseCommand):
    help = "Train the dispute-type classifier from the corpus and the types staff corrected."

    def handle(self, *args, **options):
        result = do_retrain()
        self.stdout.write(f"model {result['model']}: {result['types']} types, {result['corrections']} corrections")
