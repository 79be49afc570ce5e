"""The audit log append-only on every path and tamper-evident.

- The triggers of 0001 (UPDATE refused) are dropped first, because adding columns on SQLite rebuilds the
  table (which loses its triggers) and because the existing rows are chained below (an UPDATE).
- Each row gets `prev_hash` and `hash` (yiwang.audit.chain), computed here for the rows already written.
- The actor is kept (PROTECT instead of SET_NULL, which was an UPDATE the trigger refused).
- The triggers then refuse UPDATE, DELETE and (PostgreSQL) TRUNCATE. DELETE and TRUNCATE pass only while
  yiwang.audit.maintenance is on, which only the tests' flush turns on (see that module).
A later migration that rebuilds this table on SQLite must drop and re-create the triggers the same way
(tests/test_append_only.py fails without them).
"""

import datetime as dt
import hashlib
import json

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SQLITE_CREATE = [
    """CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
    # yiwang_audit_maintenance() is registered on the application's connections (audit.maintenance);
    # elsewhere it does not exist and the DELETE fails all the same.
    """CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    WHEN yiwang_audit_maintenance() IS NOT 1
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]
POSTGRES_CREATE = [
    """CREATE OR REPLACE FUNCTION audit_auditevent_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('DELETE', 'TRUNCATE')
           AND coalesce(current_setting('yiwang.audit_maintenance', true), '') = 'on' THEN
            IF TG_LEVEL = 'ROW' THEN RETURN OLD; END IF;
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'the audit log is append-only (% refused)', TG_OP;
    END $$""",
    """CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse()""",
    """CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse()""",
    """CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_refuse()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_refuse()",
]
# 0001's trigger, restored when this migration is reversed.
SQLITE_0001 = ["""CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"""]
POSTGRES_0001 = [
    """CREATE FUNCTION audit_auditevent_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$""",
    """CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse()""",
]


def _run(schema_editor, by_vendor):
    for statement in by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


def restore_0001_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})
    _run(schema_editor, {"sqlite": SQLITE_0001, "postgresql": POSTGRES_0001})


# The chain as it was defined when this migration was written (yiwang/audit/chain.py), frozen here:
# a migration must not import live code, which may change after it.
GENESIS = ""
CHAIN_FIELDS = ("at", "actor_id", "actor_name", "verb", "object_type", "object_id", "object_repr",
                "area_code", "ip", "user_agent", "channel", "detail")


def _at(value) -> str:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value.astimezone(dt.UTC).isoformat(timespec="microseconds")


def digest(prev_hash: str, values: dict) -> str:
    detail = json.loads(json.dumps(values["detail"] if values["detail"] is not None else {}))
    content = [_at(values["at"]), values["actor_id"], values["actor_name"], values["verb"], values["object_type"],
               values["object_id"], values["object_repr"], values["area_code"], values["ip"] or None,
               values["user_agent"], values["channel"], detail]
    canonical = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def create_triggers(apps, schema_editor):
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def chain_existing_rows(apps, schema_editor):
    """Chain the rows already written, in id order (raw SQL: the model's managers refuse updates)."""
    from django.db import connection as default_connection

    connection = schema_editor.connection if schema_editor is not None else default_connection
    AuditEvent = apps.get_model("audit", "AuditEvent")
    prev, batch = GENESIS, []
    with connection.cursor() as cursor:
        for row in AuditEvent.objects.order_by("id").values_list("id", *CHAIN_FIELDS).iterator(chunk_size=2000):
            value = digest(prev, dict(zip(CHAIN_FIELDS, row[1:], strict=True)))
            batch.append((prev, value, row[0]))
            prev = value
            if len(batch) >= 2000:
                cursor.executemany("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", batch)
                batch = []
        if batch:
            cursor.executemany("UPDATE audit_auditevent SET prev_hash = %s, hash = %s WHERE id = %s", batch)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_triggers, restore_0001_triggers),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64,
                                   verbose_name="previous hash"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, default="", editable=False, max_length=64, verbose_name="hash"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="actor",
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name="+", to=settings.AUTH_USER_MODEL, verbose_name="actor"),
        ),
        migrations.RunPython(chain_existing_rows, migrations.RunPython.noop),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
