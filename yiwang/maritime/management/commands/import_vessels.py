from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiwang.accounts.models import User
from yiwang.core.errors import ActionRefused, InputError
from yiwang.maritime.actions import do_import_vessels


class Command(BaseCommand):
    help = ("Register or update vessels from a CSV file (header row; name and kind required), as the named "
            "user (whose grants must allow sea.register): all of it, or nothing if any line is bad.")
    leave_locale_alone = True

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="the user the import is recorded under")

    def handle(self, *args, file, user, **options):
        by = User.objects.filter(username=user, is_active=True).first()
        if by is None:
            raise CommandError(f"No active user {user!r}.")
        try:
            result = do_import_vessels(Path(file).read_text(encoding="utf-8-sig"), by=by)
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file}: {exc}") from exc
        except InputError as exc:
            lines = "\n".join(f"{key}: {' '.join(messages)}" for key, messages in exc.message_dict.items())
            raise CommandError(f"{file}: refused, nothing was imported.\n{lines}") from exc
        except ActionRefused as exc:
            raise CommandError(exc.detail) from exc
        self.stdout.write(f"{file}: {result['created']} created, {result['updated']} updated, "
                          f"{result['unchanged']} unchanged.")
