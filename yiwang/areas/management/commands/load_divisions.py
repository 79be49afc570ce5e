from django.core.management.base import BaseCommand, CommandError

from yiwang.areas.actions import DivisionFileError, do_load_divisions


class Command(BaseCommand):
    help = "Import a division file (code,name,level,parent_code): all of it, or nothing if any line is bad."
    leave_locale_alone = True  # refusals name the bad lines in the default language (Chinese)

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            result = do_load_divisions(file)
        except DivisionFileError as exc:
            shown = exc.errors[:50]
            more = len(exc.errors) - len(shown)
            lines = "\n".join(shown) + (f"\n… and {more} more" if more > 0 else "")
            raise CommandError(f"{file}: refused, nothing was imported.\n{lines}") from exc
        self.stdout.write(
            f"{file}: {result.created} created, {result.updated} updated, {result.unchanged} unchanged."
        )
