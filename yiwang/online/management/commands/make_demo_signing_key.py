"""`yiwang make_demo_signing_key`: a self-signed demo CA and centre certificate under VAR_DIR/signing."""

from django.conf import settings
from django.core.management.base import BaseCommand

from yiwang.online.signing import make_demo_identity


class Command(BaseCommand):
    help = "Generate a demo CA and centre signing certificate (EC P-256) under VAR_DIR/signing."

    def add_arguments(self, parser):
        parser.add_argument("--centre", default="", help="The organisation name in the certificate.")
        parser.add_argument("--force", action="store_true", help="Replace an existing demo key.")

    def handle(self, *args, centre: str, force: bool, **options):
        if settings.SIGNING_KEY_FILE:
            self.stdout.write(f"A signing key is configured ({settings.SIGNING_KEY_FILE}); the demo key is not used.")
        directory = make_demo_identity(centre, force=force)
        self.stdout.write(f"Demo signing key and certificates in {directory}")
