"""The audit log's hash chain: each row carries SHA-256 over its canonical content and the previous row's
hash, so a row changed, removed or slipped in breaks the chain at that point.

    seal(events)            give unsaved events their `prev_hash` and `hash`, in order, under the chain's lock
    get_head() → (id, hash) the newest row
    verify(anchors=…) → list[str]   walk the chain (and the anchors): the problems found, the first broken row first

The lock: on PostgreSQL a transaction-scoped advisory lock, taken together with reading the head in one
round trip and held until commit, so two transactions inserting at once never read the same head (the second
waits for the first to commit and then reads the first's row). On SQLite every write transaction begins
IMMEDIATE (settings), which already serialises writers. The cost per event is that one query.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from contextlib import nullcontext

from django.db import connection, transaction

GENESIS = ""
# pg_advisory_xact_lock key: any constant of the application's own (here "yiwang audit" as digits).
LOCK_KEY = 94_19_10_21_03
CHAIN_FIELDS = ("at", "actor_id", "actor_name", "verb", "object_type", "object_id", "object_repr",
                "area_code", "ip", "user_agent", "channel", "detail")


def _at(value) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def canonical(values: dict) -> str:
    """The content a row's hash covers, as the database gives it back: aware time in UTC to the
    microsecond, the detail through JSON once (keys become strings, tuples lists), keys sorted."""
    detail = json.loads(json.dumps(values["detail"] if values["detail"] is not None else {}))
    content = [_at(values["at"]), values["actor_id"], values["actor_name"], values["verb"], values["object_type"],
               values["object_id"], values["object_repr"], values["area_code"], values["ip"] or None,
               values["user_agent"], values["channel"], detail]
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def digest(prev_hash: str, values: dict) -> str:
    return hashlib.sha256(f"{prev_hash}\n{canonical(values)}".encode()).hexdigest()


def _values(event) -> dict:
    return {name: getattr(event, name) for name in CHAIN_FIELDS}


def lock_and_get_head_hash() -> str:
    """Take the chain's lock (PostgreSQL; SQLite's writers are serialised) and read the newest row's hash.
    Call inside a transaction."""
    from yiwang.audit.models import AuditEvent

    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Two statements in one round trip: the head must be read by a statement that starts after the
            # lock is held (a subquery in the locking statement would read the snapshot taken before it).
            cursor.execute(f"SELECT pg_advisory_xact_lock({LOCK_KEY:d}); "
                           f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")
            cursor.nextset()
            row = cursor.fetchone()
            return row[0] if row else GENESIS
        cursor.execute(f"SELECT hash FROM {table} ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
        return row[0] if row else GENESIS


def seal(events) -> None:
    """Chain `events` (unsaved, in the order they will be inserted) onto the head. The caller inserts them
    in the same transaction, right after."""
    prev = lock_and_get_head_hash()
    for event in events:
        event.prev_hash = prev
        event.hash = prev = digest(prev, _values(event))


def seal_rows(columns: list[str], rows: list[tuple]) -> list[tuple]:
    """As `seal`, for raw rows (tuples in the order of `columns`, attribute names) inserted by set-based
    code: each row comes back with its prev_hash and hash appended."""
    prev, sealed = lock_and_get_head_hash(), []
    for row in rows:
        values = dict(zip(columns, row, strict=True))
        value = digest(prev, values)
        sealed.append((*row, prev, value))
        prev = value
    return sealed


def get_head():
    from yiwang.audit.models import AuditEvent

    return AuditEvent.objects.order_by("-id").values_list("id", "hash").first()


def verify(anchors=(), *, chunk_size: int = 5000) -> list[str]:
    """Walk every row in id order; the problems found, the first broken row first (empty: intact). Each
    anchor (a dict with `id` and `hash`) must still be found in the chain with the same hash."""
    from yiwang.audit.models import AuditEvent

    problems: list[str] = []
    expected_prev, previous_id, seen = GENESIS, None, {}
    wanted = {int(a["id"]): a for a in anchors if a.get("id") is not None}
    problems_later = [f"{a.get('source', 'anchor')}: unreadable" for a in anchors if a.get("id") is None]
    rows = AuditEvent.objects.order_by("id").values_list("id", "prev_hash", "hash", *CHAIN_FIELDS)
    for row in rows.iterator(chunk_size=chunk_size):
        pk, prev_hash, stored = row[0], row[1], row[2]
        values = dict(zip(CHAIN_FIELDS, row[3:], strict=True))
        if not problems:
            if prev_hash != expected_prev:
                problems.append(f"row {pk}: its previous hash does not match row {previous_id or '(none)'} "
                                "(a row before it was removed or inserted)")
            elif digest(prev_hash, values) != stored:
                problems.append(f"row {pk}: its content does not match its hash (the row was altered)")
        if pk in wanted:
            seen[pk] = stored
        expected_prev, previous_id = stored, pk
    for pk, anchor in sorted(wanted.items()):
        where = anchor.get("source", f"anchor of {anchor.get('date', '?')}")
        if pk not in seen:
            problems.append(f"{where}: row {pk} is missing from the log")
        elif seen[pk] != anchor["hash"]:
            problems.append(f"{where}: row {pk} no longer has the anchored hash")
    return problems + problems_later


def atomic_if_needed():
    """A transaction for the seal-and-insert, unless one is open already (a savepoint would cost two queries
    on every event)."""
    return transaction.atomic() if not connection.in_atomic_block else nullcontext()
