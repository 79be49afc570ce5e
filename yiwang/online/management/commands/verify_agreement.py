"""`yiwang verify_agreement FILE.pdf`: is this an unaltered agreement issued by this centre?"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yiwang.online.signing import verify_pdf


class Command(BaseCommand):
    # Reading a file needs no system checks (they import every URLconf: about a second of start-up).
    requires_system_checks = []
    help = "Verify the digital signatures of a signed agreement PDF; exit status 1 when it is not valid."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The PDF to verify.")

    def handle(self, *args, file: str, **options):
        try:
            data = Path(file).read_bytes()
        except OSError as exc:
            raise CommandError(f"{file}: {exc.strerror}") from exc
        result = verify_pdf(data)
        self.stdout.write(result.as_text())
        if not result.valid:
            raise SystemExit(1)
