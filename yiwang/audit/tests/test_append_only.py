"""The audit log is append-only on every path: the ORM refuses, the database's triggers refuse (UPDATE,
DELETE, TRUNCATE), and a user the log names is deactivated, never deleted."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from yiwang.accounts.actions import do_deactivate_user
from yiwang.accounts.models import User
from yiwang.audit.actions import record
from yiwang.audit.maintenance import maintenance
from yiwang.audit.models import AppendOnly, AuditEvent
from yiwang.core.errors import PermissionRefused


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_every_orm_path_that_would_change_or_remove_a_row_is_refused(cast):
    event = record(cast.putuo_staff, "test.event")
    rows = AuditEvent.objects.filter(pk=event.pk)
    for attempt in (lambda: rows.delete(), lambda: rows._raw_delete(rows.db), lambda: rows.update(verb="x"),
                    lambda: AuditEvent.objects.bulk_update([event], ["verb"]), event.delete, event.save,
                    lambda: AuditEvent.objects.bulk_create([AuditEvent(pk=event.pk + 1000, verb="forged")])):
        with pytest.raises(AppendOnly, match="append-only"):
            attempt()
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.event"


@pytest.mark.parametrize("statement", [
    "UPDATE audit_auditevent SET verb = 'rewritten' WHERE id = %s",
    "DELETE FROM audit_auditevent WHERE id = %s",
])
def test_the_database_refuses_updates_and_deletes_in_raw_sql(cast, statement):
    event = record(cast.putuo_staff, "test.event")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.event"


def test_the_database_refuses_truncate_on_postgresql(cast):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (DELETE without WHERE is refused above)")
    record(cast.putuo_staff, "test.event")
    raw("SET CONSTRAINTS ALL IMMEDIATE")  # else PostgreSQL refuses first, for the insert's pending FK check
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("TRUNCATE audit_auditevent CASCADE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw("TRUNCATE accounts_user CASCADE")  # reaching the log through a cascade is refused too
    assert AuditEvent.objects.exists()


def test_maintenance_is_off_unless_a_flush_turns_it_on(cast):
    event = record(cast.putuo_staff, "test.event")
    if connection.vendor == "postgresql":
        # Only SET LOCAL inside the flush turns it on; an ordinary session has nothing set.
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('yiwang.audit_maintenance', true)")
            assert cursor.fetchone()[0] in (None, "")
    with pytest.raises(DatabaseError), transaction.atomic():
        raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    with maintenance(), transaction.atomic():  # what the tests' flush does (SQLite; PostgreSQL: SET LOCAL)
        if connection.vendor == "postgresql":
            raw("SET LOCAL yiwang.audit_maintenance = 'on'")
        raw("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
        assert not AuditEvent.objects.filter(pk=event.pk).exists()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_triggers_are_in_place_after_every_migration():
    """A later migration that rebuilds the table on SQLite would silently drop them."""
    if connection.vendor == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit_auditevent'"
        expected = {"audit_auditevent_no_update", "audit_auditevent_no_delete"}
    elif connection.vendor == "postgresql":
        sql = "SELECT tgname FROM pg_trigger WHERE tgrelid = 'audit_auditevent'::regclass AND NOT tgisinternal"
        expected = {"audit_auditevent_no_update", "audit_auditevent_no_delete", "audit_auditevent_no_truncate"}
    else:
        pytest.skip("triggers on SQLite and PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        assert {row[0] for row in cursor.fetchall()} == expected


def test_a_user_who_has_acted_is_deactivated_never_deleted(cast):
    clerk = User.objects.create_user("temp_clerk", password="x" * 16)
    record(clerk, "test.event")
    with pytest.raises(ProtectedError, match="temp_clerk"):
        clerk.delete()
    with pytest.raises(ProtectedError):
        User.objects.filter(pk=clerk.pk).delete()  # PROTECT on the log's actor
    with pytest.raises(PermissionRefused):
        do_deactivate_user(clerk, by=cast.putuo_staff)
    admin = User.objects.create_superuser("temp_admin", password="x" * 16)
    do_deactivate_user(clerk, by=admin)
    clerk.refresh_from_db()
    assert not clerk.is_active
    event = AuditEvent.objects.get(verb="accounts.user_deactivated")
    assert (event.actor_name, event.object_id, event.detail) == ("temp_admin", str(clerk.pk), {"username": "temp_clerk"})
    assert AuditEvent.objects.filter(actor=clerk, actor_name="temp_clerk").count() == 1


def test_a_user_who_never_acted_may_be_deleted(cast):
    User.objects.create_user("never_acted", password="x" * 16).delete()
    assert not User.objects.filter(username="never_acted").exists()


def test_the_admin_refuses_deleting_an_acting_user_and_offers_deactivation(cast):
    clerk = User.objects.create_user("temp_clerk", password="x" * 16)
    record(clerk, "test.event")
    User.objects.create_superuser("temp_admin", password="x" * 16)
    client = cast.client("temp_admin")
    page = client.get(f"/admin/accounts/user/{clerk.pk}/delete/").content.decode()
    assert "temp_clerk" in page and "deactivate" in page.lower() or "停用" in page
    client.post(f"/admin/accounts/user/{clerk.pk}/delete/", {"post": "yes"})
    assert User.objects.filter(pk=clerk.pk).exists()
    client.post("/admin/accounts/user/", {"action": "delete_selected", "_selected_action": [clerk.pk], "post": "yes"})
    assert User.objects.filter(pk=clerk.pk).exists()
    client.post("/admin/accounts/user/", {"action": "deactivate_users", "_selected_action": [clerk.pk]})
    clerk.refresh_from_db()
    assert not clerk.is_active


@pytest.mark.django_db(transaction=True)
def test_the_test_flush_still_empties_the_log(demo_tx):
    """Transactional tests flush the database after them (DELETE on SQLite, TRUNCATE on PostgreSQL): the
    conftest's hook (audit.maintenance.install_flush_hook) lets exactly that through."""
    from django.core.management.color import no_style

    record(demo_tx.putuo_staff, "test.committed")
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), [AuditEvent._meta.db_table]))
    assert not AuditEvent.objects.exists()
    with pytest.raises(DatabaseError):  # and nothing stays switched on after it
        record(demo_tx.putuo_staff, "test.committed")
        raw("DELETE FROM audit_auditevent")
