from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiwang.core.errors import InputError
from yiwang.maritime import sea


class Command(BaseCommand):
    help = ("Load sea areas (fishing zones, small zones, named waters) from a CSV file, by default the one "
            "shipped in yiwang/maritime/data/: all of it, or nothing if any line is bad.")
    leave_locale_alone = True

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(sea.DATA_FILE))

    def handle(self, *args, file, **options):
        try:
            count = sea.load_sea_areas(Path(file).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        except InputError as exc:
            lines = "\n".join(f"{key}: {' '.join(messages)}" for key, messages in exc.message_dict.items())
            raise CommandError(f"{file}: refused, nothing was imported.\n{lines}") from exc
        self.stdout.write(f"{file}: {count} sea areas loaded.")
