"""The audit log is tamper-evident: each row's hash chains it to the row before; `yiwang verify_audit` names
the first broken row and checks the daily anchors the scheduled task writes."""

import json
import threading

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from yiwang.audit import chain
from yiwang.audit.actions import record
from yiwang.audit.anchors import anchor_audit, read_anchors, write_anchor
from yiwang.audit.models import AuditEvent
from yiwang.testing import factories as f


@pytest.fixture
def anchors(settings, tmp_path):
    settings.AUDIT_ANCHOR_DIR = tmp_path / "anchors"
    return settings.AUDIT_ANCHOR_DIR


def tamper(sql, params=()):
    """What an intruder with the table owner's rights does: the triggers off (inside the test's own
    transaction, so they come back with the rollback), then the write."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # ALTER TABLE waits for no pending FK check
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_auditevent_no_update")
            cursor.execute("DROP TRIGGER audit_auditevent_no_delete")
        cursor.execute(sql, params)


def some_events(cast, n=4):
    return [record(cast.putuo_staff, "test.event", area_code="330903100", n=i, when={1: (2, 3)}) for i in range(n)]


def test_each_row_chains_to_the_one_before_and_the_chain_verifies(cast):
    events = some_events(cast)
    stored = list(AuditEvent.objects.filter(pk__in=[e.pk for e in events]).order_by("id"))
    for before, after in zip(stored, stored[1:], strict=False):
        assert after.prev_hash == before.hash and len(after.hash) == 64
    assert chain.verify() == []


def test_an_altered_row_is_named(cast):
    events = some_events(cast)
    tamper("UPDATE audit_auditevent SET actor_name = 'someone_else' WHERE id = %s", [events[1].pk])
    assert chain.verify()[0] == f"row {events[1].pk}: its content does not match its hash (the row was altered)"


def test_a_removed_row_is_named_at_the_row_after_it(cast):
    events = some_events(cast)
    tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    assert chain.verify()[0].startswith(f"row {events[2].pk}: its previous hash does not match row {events[0].pk}")


def test_verify_audit_command_reports_intact_or_the_first_broken_row(cast, anchors, capsys):
    events = some_events(cast)
    call_command("verify_audit")
    assert f"intact up to row {events[-1].pk}" in capsys.readouterr().out
    tamper("UPDATE audit_auditevent SET detail = '{}' WHERE id = %s", [events[2].pk])
    with pytest.raises(CommandError, match=f"row {events[2].pk}: its content"):
        call_command("verify_audit")


def test_the_daily_anchor_is_written_by_the_task_and_checked(cast, anchors):
    events = some_events(cast)
    result = anchor_audit.enqueue("2026-03-02")  # the tasks API (immediate in tests; the worker in production)
    written = json.loads((anchors / "audit-anchor-2026-03-02.json").read_text())
    assert result.return_value.endswith("audit-anchor-2026-03-02.json")
    assert (written["date"], written["id"], written["hash"]) == ("2026-03-02", events[-1].pk, events[-1].hash)
    assert chain.verify(read_anchors()) == []
    # Rows removed at the end leave the chain itself consistent: only the anchor shows it.
    tamper("DELETE FROM audit_auditevent WHERE id >= %s", [events[-2].pk])
    assert chain.verify() == []
    assert chain.verify(read_anchors()) == [
        f"audit-anchor-2026-03-02.json: row {events[-1].pk} is missing from the log"]


def test_an_unreadable_anchor_is_reported(db, anchors):
    anchors.mkdir(parents=True)
    (anchors / "audit-anchor-2026-01-01.json").write_text("not json")
    assert chain.verify(read_anchors())[-1] == "audit-anchor-2026-01-01.json: unreadable"
    write_anchor()
    assert len(read_anchors()) == 2


def test_rows_registered_in_bulk_are_chained_too(cast):
    from yiwang.cases.actions.bulk import BulkItem, do_register_cases

    record(cast.putuo_staff, "test.before")
    values = dict(channel="window", dispute_type="neighbourhood", area=f.village(), facts="噪音", claims="停止",
                  applicants=[f.applicant()])
    do_register_cases([BulkItem(values=dict(values)) for _ in range(3)], by=cast.liuheng_clerk)
    record(cast.putuo_staff, "test.after")
    assert AuditEvent.objects.filter(verb="cases.registered").count() == 3
    assert chain.verify() == []


def test_the_migration_chains_the_rows_already_written(cast):
    from importlib import import_module

    some_events(cast)
    tamper("UPDATE audit_auditevent SET prev_hash = '', hash = ''")
    assert chain.verify() != []
    import_module("yiwang.audit.migrations.0002_append_only_and_chain").chain_existing_rows(apps, None)
    assert chain.verify() == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_inserts_keep_one_chain(demo_tx):
    """Writers at once (PostgreSQL: the advisory lock; SQLite serialises writers itself) never fork it."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's writers are serialised by the database")
    from django.db import transaction

    writers, each = 6, 15
    barrier, errors = threading.Barrier(writers), []
    actor = demo_tx.putuo_staff

    def write(n):
        try:
            barrier.wait(timeout=10)
            for i in range(each):
                with transaction.atomic():
                    record(actor, "test.concurrent", writer=n, i=i)
        except Exception as error:  # noqa: BLE001 - asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert AuditEvent.objects.filter(verb="test.concurrent").count() == writers * each
    assert chain.verify() == []
