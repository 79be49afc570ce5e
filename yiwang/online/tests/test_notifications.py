"""Texts to the parties go through the core outbox: written with the action, sent only after it commits,
once per party however often the action's message is written, and a code or private link is not kept."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from yiwang.cases import actions as case_actions
from yiwang.core.models import Notification
from yiwang.core.outbox import deliver_outbox_now
from yiwang.online import actions
from yiwang.online.notify import notify_parties
from yiwang.online.tests.factories import file_case


def mediated(demo):
    case, _token = file_case()
    case = case_actions.do_accept(case, by=demo.putuo_staff)
    return case_actions.do_assign(case, by=demo.putuo_staff, mediators=[demo.mediator_wang])


@pytest.fixture
def on_commit(monkeypatch):
    """Delivery waits for the commit, as in production, instead of the app's deliver-at-once seam."""
    monkeypatch.setattr("yiwang.core.outbox._after_commit", lambda enqueue: transaction.on_commit(enqueue))


def test_a_session_writes_one_message_per_party_sent_only_after_the_commit(
        demo, outbox, on_commit, django_capture_on_commit_callbacks):
    case = mediated(demo)
    deliver_outbox_now()  # the filing's own code message
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        session = actions.do_schedule_session(case, by=demo.mediator_wang, place="六横镇调解室",
                                              starts_at=timezone.now() + dt.timedelta(days=3))
    rows = Notification.objects.filter(dedupe_key__startswith=f"online.session_scheduled:{session.pk}:")
    phones = sorted(case.parties.exclude(phone="").values_list("phone", flat=True))
    assert sorted(rows.values_list("recipient", flat=True)) == phones and len(phones) == 2
    assert outbox == [] and set(rows.values_list("status", flat=True)) == {"pending"}  # nothing sent yet

    for callback in callbacks:
        callback()
    assert sorted(phone for phone, _text in outbox) == phones
    assert set(rows.values_list("status", flat=True)) == {"sent"}

    text = rows.first().text
    notify_parties(case, text, key=f"online.session_scheduled:{session.pk}")  # the same occasion again
    assert rows.count() == 2 and len(outbox) == 2


def test_an_action_rolled_back_sends_nothing(demo, outbox, on_commit, django_capture_on_commit_callbacks):
    case = mediated(demo)
    deliver_outbox_now()
    outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        actions.do_schedule_session(case, by=demo.mediator_wang, place="调解室",
                                    starts_at=timezone.now() + dt.timedelta(days=1))
        raise RuntimeError("the surrounding work failed")
    assert not Notification.objects.filter(dedupe_key__startswith="online.session_scheduled:").exists()
    assert outbox == []


def test_a_code_message_is_not_kept_once_sent(demo, outbox):
    otc = actions.issue_code("13905751234", "access")
    row = Notification.objects.get(dedupe_key=f"online.code:{otc.pk}")
    assert row.status == "sent" and row.secret and row.text == ""
    assert outbox[-1][0] == "13905751234"
