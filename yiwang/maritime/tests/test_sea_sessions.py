"""Sessions that meet the sea: held on board a vessel (海上共享法庭) or by video for a party at sea. They are
scheduled through the online app's own action (the parties see them and are told by SMS) and recorded
through the cases app's (调解笔录); only the case's mediator does either."""

import datetime as dt

import pytest
from django.utils import timezone

from yiwang.cases.models import EventKind, MediationSession
from yiwang.core.errors import ActionRefused, IllegalTransition, InputError, PermissionRefused
from yiwang.maritime.actions import do_record_sea_session, do_schedule_sea_session
from yiwang.maritime.models import SessionMode
from yiwang.maritime.tests.helpers import sea_case, vessel
from yiwang.online.models import ScheduledSession
from yiwang.testing import factories as f


@pytest.fixture
def sms(settings, monkeypatch):
    from yiwang.online.sms import MemoryBackend

    settings.SMS_BACKEND = "yiwang.online.sms.MemoryBackend"
    MemoryBackend.outbox.clear()
    monkeypatch.setattr("yiwang.core.outbox._after_commit", lambda enqueue: enqueue())
    yield MemoryBackend.outbox
    MemoryBackend.outbox.clear()


def _mediating(boat):
    case = sea_case(vessels=[boat], applicants=[f.applicant(name="傅某甲", phone="13857001111")])
    return f.advance_case(case, "mediating", clerk="putuo_staff", mediator="maritime_mediator")


def _party_page(case, sms) -> str:
    """The applicant's private page, opened with the code sent to their mobile."""
    import re

    from django.test import Client

    from yiwang.online.actions import do_open_access

    _access, token = do_open_access(case.parties.get(role="applicant"))
    client = Client()
    client.post(f"/p/{token}/", {"step": "send"})
    code = re.search(r"\d{6}", [text for phone, text in sms if phone == "13857001111"][-1]).group()
    client.post(f"/p/{token}/", {"step": "verify", "code": code})
    return client.get(f"/p/{token}/").content.decode()


def _tomorrow():
    return timezone.now() + dt.timedelta(days=1)


def test_a_session_on_board_is_scheduled_online_and_recorded_on_the_case(cast, sms):
    boat = vessel()
    case = _mediating(boat)
    session = do_schedule_sea_session(case.maritime, by=cast.maritime_mediator, mode=SessionMode.ON_BOARD,
                                      starts_at=_tomorrow(), vessel=boat.mmsi, sea_area="W-SJM", place="沈家门渔港码头")
    scheduled = ScheduledSession.objects.get(case=case)
    assert session.scheduled == scheduled and session.vessel == boat and not scheduled.online
    assert boat.name in scheduled.place and "沈家门渔港" in scheduled.place
    assert any(phone == "13857001111" and boat.name in text for phone, text in sms)  # the fisherman is told
    page = _party_page(case, sms)
    assert 'id="at-sea"' in page and boat.name in page and str(SessionMode.ON_BOARD.label) in page
    with pytest.raises(IllegalTransition):  # not before it is held
        do_record_sea_session(session, by=cast.maritime_mediator, record="双方同意赔偿网具。")
    ScheduledSession.objects.filter(pk=scheduled.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1))
    do_record_sea_session(session, by=cast.maritime_mediator, record="双方同意赔偿网具。")
    held = MediationSession.objects.get(case=case)
    assert session.held == held and held.place == scheduled.place and not held.online
    assert case.events.filter(kind=EventKind.SESSION_RECORDED).exists()
    with pytest.raises(IllegalTransition):
        do_record_sea_session(session, by=cast.maritime_mediator, record="再记一次")
    assert MediationSession.objects.filter(case=case).count() == 1


def test_a_remote_session_needs_the_link_and_who_is_at_sea(cast, sms):
    case = _mediating(vessel())
    with pytest.raises(InputError) as refused:
        do_schedule_sea_session(case.maritime, by=cast.maritime_mediator, mode=SessionMode.REMOTE,
                                starts_at=_tomorrow())
    assert set(refused.value.message_dict) == {"link", "at_sea"}
    with pytest.raises(InputError) as refused:
        do_schedule_sea_session(case.maritime, by=cast.maritime_mediator, mode=SessionMode.ON_BOARD,
                                starts_at=_tomorrow(), vessel="浙普渔00001")
    assert "vessel" in refused.value.message_dict
    assert not ScheduledSession.objects.filter(case=case).exists()
    session = do_schedule_sea_session(case.maritime, by=cast.maritime_mediator, mode=SessionMode.REMOTE,
                                      starts_at=_tomorrow(), link="https://meet.example/ptsea1",
                                      at_sea="傅某乙（在绍兴）")
    assert session.scheduled.online and "https://meet.example/ptsea1" in session.scheduled.place


def test_only_the_case_mediator_schedules(cast, sms):
    case = _mediating(vessel())
    with pytest.raises(PermissionRefused):  # out of scope: as if it did not exist
        do_schedule_sea_session(case.maritime, by=cast.liuheng_clerk, mode=SessionMode.REMOTE,
                                starts_at=_tomorrow(), link="https://meet.example/x", at_sea="船长")
    with pytest.raises(ActionRefused):  # sees the case, does not mediate it
        do_schedule_sea_session(case.maritime, by=cast.putuo_leader, mode=SessionMode.REMOTE,
                                starts_at=_tomorrow(), link="https://meet.example/x", at_sea="船长")
    assert not ScheduledSession.objects.filter(case=case).exists()
