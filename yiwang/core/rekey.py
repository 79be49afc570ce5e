"""Re-encrypting stored personal data (`yiwang rotate_keys`; the data migrations that encrypted the rows
written before encryption do the same, written out in each migration).

A row is rewritten when one of its encrypted values is in plain text (written before encryption) or sealed
by another key than the first of YIWANG_DATA_KEYS, or when a keyed hash differs from the one the first
HMAC key gives. Rows are read in primary-key order, a batch at a time, each batch in its own transaction:
an interrupted run loses at most one batch, and running again goes on where it stopped (done rows are
no longer stale) — idempotent and resumable.
"""

from django.db import models, transaction
from django.db.models.functions import Cast

from yiwang.core import crypto


def models_with_personal_data(all_models) -> list:
    """The models (of an app registry's `get_models()`) holding an encrypted or hashed column."""
    return [m for m in all_models if crypto.encrypted_fields(m) or crypto.blind_fields(m)]


def _stale(row: dict, encrypted, blind, current: str, plain: dict) -> bool:
    """Whether a row read by `reseal` has a value in plain text or under an old key, or an old hash."""
    for field in encrypted:
        raw = row[f"raw_{field.attname}"]
        if raw and crypto.key_id_of(raw) != current:
            return True
    return any(row[field.attname] != crypto.blind_hash(field.kind, plain[field.source]) for field in blind)


def reseal(model, *, batch: int = 500, after_pk=None, on_batch=None) -> int:
    """Rewrite every stale row of `model` under the current keys; returns how many were rewritten.
    `on_batch(last_pk, rewritten)` is told after each batch (progress, and where to resume)."""
    encrypted, blind = crypto.encrypted_fields(model), crypto.blind_fields(model)
    if not encrypted and not blind:
        return 0
    current = crypto.get_keys().encryption[0][0]
    by_name = {f.name: f for f in model._meta.concrete_fields}
    sources = {f.source for f in blind}
    raw = {f"raw_{f.attname}": Cast(f.attname, models.TextField()) for f in encrypted}
    manager = model._base_manager
    rewritten = 0
    while True:
        page = manager.order_by("pk")
        if after_pk is not None:
            page = page.filter(pk__gt=after_pk)
        rows = list(page.annotate(**raw).values("pk", *raw, *[f.attname for f in blind])[:batch])
        if not rows:
            return rewritten
        after_pk = rows[-1]["pk"]
        # The hashes' sources are encrypted columns of the row: their plain text is read from the raw value.
        plain = {row["pk"]: {name: crypto.decrypt(row[f"raw_{by_name[name].attname}"]) for name in sources}
                 for row in rows}
        stale = [row["pk"] for row in rows if _stale(row, encrypted, blind, current, plain[row["pk"]])]
        if stale:
            with transaction.atomic():
                objects = list(manager.select_for_update().filter(pk__in=stale).only(
                    "pk", *[f.attname for f in encrypted], *[f.attname for f in blind]))
                for obj in objects:
                    for field in blind:
                        setattr(obj, field.attname, crypto.blind_hash(field.kind, getattr(obj, field.source)))
                # bulk_update writes each encrypted value through the field: sealed anew by the first key.
                manager.bulk_update(objects, [f.attname for f in encrypted + blind], batch_size=batch)
            rewritten += len(objects)
        if on_batch is not None:
            on_batch(after_pk, rewritten)

