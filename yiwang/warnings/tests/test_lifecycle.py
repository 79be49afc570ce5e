"""raised → acknowledged → handling → resolved or dismissed, as actions: who and when, measures, reasons,
the false-alarm flag; refusals for the wrong person, state or version, and bad input."""

import pytest

from yiwang.core import errors
from yiwang.testing import factories as f
from yiwang.warnings.actions import StaleWarning, do_step, get_available_steps
from yiwang.warnings.models import EventKind, Status, Warning

pytestmark = pytest.mark.django_db


@pytest.fixture
def warning(cast):
    f.register_case(people_involved=35)
    return Warning.objects.get()


def test_the_whole_lifecycle(warning, town_leader):
    assert get_available_steps(town_leader, warning) == ["acknowledge", "handle", "dismiss"]
    do_step(warning, "acknowledge", by=town_leader, version=warning.version)
    assert warning.status == Status.ACKNOWLEDGED and warning.acknowledged_by == town_leader
    assert warning.acknowledged_at is not None
    do_step(warning, "handle", by=town_leader, version=warning.version, note="镇综治中心约谈企业负责人")
    do_step(warning, "handle", by=town_leader, version=warning.version, note="劳动监察介入")
    do_step(warning, "resolve", by=town_leader, version=warning.version, note="工资已发放")
    warning.refresh_from_db()
    assert (warning.status, warning.close_reason, warning.closed_by) == ("resolved", "工资已发放", town_leader)
    assert list(warning.events.values_list("kind", flat=True)) == [
        EventKind.RAISED, EventKind.ACKNOWLEDGED, EventKind.MEASURE, EventKind.MEASURE, EventKind.RESOLVED]
    assert get_available_steps(town_leader, warning) == []


def test_a_dismissal_may_be_a_false_alarm(warning, town_leader):
    do_step(warning, "dismiss", by=town_leader, version=warning.version, note="人数登记错误", false_alarm=True)
    warning.refresh_from_db()
    assert warning.status == Status.DISMISSED and warning.false_alarm


def test_recording_a_measure_acknowledges(warning, town_leader):
    do_step(warning, "handle", by=town_leader, version=warning.version, note="上门走访")
    assert warning.status == Status.HANDLING and warning.acknowledged_by == town_leader


@pytest.mark.parametrize("step", ["handle", "dismiss"])
def test_a_measure_or_reason_is_required(warning, town_leader, step):
    with pytest.raises(errors.InputError):
        do_step(warning, step, by=town_leader, version=warning.version, note="  ")
    warning.refresh_from_db()
    assert warning.status == Status.RAISED and warning.version == 1


def test_refusals(warning, town_leader, cast):
    with pytest.raises(errors.PermissionRefused):
        do_step(warning, "acknowledge", by=cast.liuheng_clerk, version=warning.version)
    with pytest.raises(errors.IllegalTransition):
        do_step(warning, "resolve", by=town_leader, version=warning.version, note="x")  # not acknowledged yet
    with pytest.raises(StaleWarning):
        do_step(warning, "acknowledge", by=town_leader, version=warning.version + 1)
    with pytest.raises(errors.InputError):
        do_step(warning, "nonesuch", by=town_leader, version=warning.version)
    warning.refresh_from_db()
    assert warning.status == Status.RAISED


def test_the_page_takes_a_step(warning, cast):
    client = cast.client("liuheng_leader")
    response = client.post(f"/warnings/{warning.pk}/acknowledge/", {"version": warning.version})
    assert response.status_code == 302
    warning.refresh_from_db()
    assert warning.status == Status.ACKNOWLEDGED
    page = client.get(f"/warnings/{warning.pk}/").content.decode()
    assert "记录处置措施" in page and "一件邻里纠纷涉及 35 人" in page
