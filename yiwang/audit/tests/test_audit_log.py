"""The audit log records who did what to which object, when and from where, and is never rewritten."""

import pytest
from django.db import DatabaseError, connection, transaction

from yiwang.areas.models import Centre
from yiwang.audit.actions import record
from yiwang.audit.context import Origin, reset_origin, set_origin
from yiwang.audit.models import AuditEvent


def test_record_takes_actor_object_area_and_origin(cast):
    centre = Centre.objects.get(code="PT05")
    token = set_origin(Origin(ip="192.0.2.7", user_agent="pytest", channel="web"))
    try:
        event = record(cast.liuheng_clerk, "areas.viewed", centre, note="x")
    finally:
        reset_origin(token)
    event.refresh_from_db()
    assert (event.actor_name, event.verb, event.object_type, event.object_id) == (
        "liuheng_clerk", "areas.viewed", "areas.centre", str(centre.pk))
    assert event.area_code == centre.area_id == "330903100"
    assert (event.ip, event.user_agent, event.channel, event.detail) == ("192.0.2.7", "pytest", "web", {"note": "x"})


def test_events_cannot_be_changed_or_deleted_through_the_orm(cast):
    event = record(cast.putuo_staff, "test.event")
    event.verb = "rewritten"
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="rewritten")
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_the_database_refuses_updates_even_in_raw_sql(cast):
    event = record(cast.putuo_staff, "test.event")
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE audit_auditevent SET verb = 'rewritten' WHERE id = %s", [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.event"


def test_admin_changes_are_audited_with_the_request_address(cast):
    centre = Centre.objects.get(code="PT05")
    client = cast.client("putuo_staff")
    response = client.post(
        f"/admin/areas/centre/{centre.pk}/change/",
        {"name": "六横镇社会治理中心（新址）", "level": "town", "area": centre.area_id, "code": centre.code,
         "active": "on", "windows-TOTAL_FORMS": "0", "windows-INITIAL_FORMS": "0"},
        REMOTE_ADDR="198.51.100.4",
    )
    assert response.status_code == 302
    event = AuditEvent.objects.get(verb="admin.change", object_id=str(centre.pk))
    assert (event.actor_name, event.ip, event.area_code) == ("putuo_staff", "198.51.100.4", "330903100")


def test_audit_log_in_the_admin_is_scoped_and_read_only(cast):
    record(cast.putuo_staff, "test.in_liuheng", area_code="330903100")
    record(cast.putuo_staff, "test.in_shenjiamen", area_code="330903001")
    from yiwang.accounts.models import Grant

    Grant.objects.create(user=cast.liuheng_clerk, role_id="centre_staff", area_id="330903100")
    client = cast.client("liuheng_clerk")
    listing = client.get("/admin/audit/auditevent/").content.decode()
    assert "test.in_liuheng" in listing and "test.in_shenjiamen" not in listing
    other = AuditEvent.objects.get(verb="test.in_shenjiamen")
    assert client.get(f"/admin/audit/auditevent/{other.pk}/change/").status_code == 404
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
