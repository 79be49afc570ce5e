"""`yiwang rotate_keys`: re-encrypt every stored ID and mobile number with the first key of
YIWANG_DATA_KEYS and rehash it with the first of YIWANG_DATA_HMAC_KEYS (README "Personal data at rest").

Batched (each batch its own transaction), resumable and idempotent: a row already under the current keys
is left alone, so an interrupted run is simply run again. `--check` only counts what is left to do (exit 1
while anything is); `--new-key` prints a fresh key to put in front of the list.
"""

import secrets

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from yiwang.core import crypto
from yiwang.core.rekey import models_with_personal_data, reseal


class Command(BaseCommand):
    help = "Re-encrypt and rehash personal data under the current keys (batched, resumable)."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=500, help="rows per transaction (500)")
        parser.add_argument("--check", action="store_true", help="count stale rows only; exit 1 if any")
        parser.add_argument("--new-key", action="store_true", help="print a new random key (ID:BASE64) and stop")

    def handle(self, *args, batch, check, new_key, verbosity=1, **options):
        if new_key:
            self.stdout.write(f"k{secrets.token_hex(3)}:{crypto.new_key()}")
            return
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        keys = crypto.get_keys()
        self.stdout.write(f"encrypting with key {keys.encryption[0][0]!r}; "
                          f"{len(keys.hashing)} HMAC key(s), the first hashes")
        total = 0
        for model in models_with_personal_data(apps.get_models()):
            label = model._meta.label
            if check:
                count = count_stale(model)
                total += count
                self.stdout.write(f"{label}: {count} row(s) to rewrite")
                continue

            def progress(last_pk, rewritten, label=label):
                if verbosity > 1:
                    self.stdout.write(f"{label}: up to id {last_pk}, {rewritten} rewritten")

            count = reseal(model, batch=batch, on_batch=progress)
            total += count
            self.stdout.write(f"{label}: {count} row(s) rewritten")
        if check and total:
            raise CommandError(f"{total} row(s) are not under the current keys: run `yiwang rotate_keys`.",
                               returncode=1)
        self.stdout.write(self.style.SUCCESS("Every encrypted value is under the current keys."))


def count_stale(model) -> int:
    """How many rows `reseal` would rewrite (read only)."""
    from django.db import transaction

    counted = 0

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic():
            counted = reseal(model)
            raise Rollback
    except Rollback:
        pass
    return counted
