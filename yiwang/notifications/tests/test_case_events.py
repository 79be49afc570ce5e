"""Every case event that concerns someone tells them, once, on the right channel: the mediator a case is
assigned to, the centre a case is handed to, the owner of a supervised case, the parties at each step
they need to hear of; and nobody else."""

import pytest

from yiwang.cases import actions as a
from yiwang.notifications.models import InboxItem, WorkAccount
from yiwang.testing import factories as f

pytestmark = pytest.mark.usefixtures("daytime")


def items(user, kind=None):
    rows = InboxItem.objects.filter(user=user)
    return list(rows.filter(kind=kind) if kind else rows)


def texts_to(sms, phone):
    return [text for to, text in sms if to == phone]


def test_an_assigned_case_reaches_its_mediator_once_and_the_parties_learn_the_mediators_name(cast, sms, zzd):
    WorkAccount.objects.create(user=cast.mediator_wang, zzd_account_id="zzd-wang")
    case = f.make_case("accepted")
    applicant = case.parties.get(role="applicant")
    sms.clear()

    a.do_assign(case, by=cast.putuo_staff, mediators=[cast.mediator_wang])

    [item] = items(cast.mediator_wang)
    assert item.kind == "case.assigned" and case.number in item.text and item.url == f"/cases/{case.pk}/"
    assert not item.is_read
    assert items(cast.putuo_staff) == [] and items(cast.liuheng_clerk) == []  # the actor and bystanders: nothing
    assert [to for to, _ in zzd] == ["zzd-wang"]  # 浙政钉 is on by default for an assignment
    [text] = texts_to(sms, applicant.phone)
    assert case.number in text and "王调解员" in text


def test_naming_a_second_mediator_tells_only_the_new_one(cast, sms):
    case = f.make_case("assigned")
    sms.clear()
    a.do_assign(case, by=cast.putuo_staff, mediators=[cast.mediator_wang, cast.maritime_mediator])
    case.refresh_from_db()
    assert len(items(cast.mediator_wang, "case.assigned")) == 1
    assert len(items(cast.maritime_mediator, "case.assigned")) == 1
    assert sms == []  # the lead mediator is the same: the parties were told already


def test_a_supervision_notice_reaches_the_owner_with_the_note_and_deadline_on_zzd_too(cast, zzd, time_machine):
    import datetime as dt

    WorkAccount.objects.create(user=cast.mediator_wang, zzd_account_id="zzd-wang")
    case = f.make_case("mediating")
    owner = case.owner
    time_machine.shift(dt.timedelta(days=60))  # now overdue
    a.do_supervise(case, by=cast.putuo_staff, note="请三日内组织调解并报告进展。")

    [item] = items(owner, "case.supervised")
    assert "请三日内组织调解并报告进展。" in item.text and case.deadline.isoformat() in item.text and item.urgent
    assert any("请三日内" in text for to, text in zzd if to == "zzd-wang")


def test_a_mediator_who_switched_zzd_off_still_gets_the_required_supervision_notice(cast, zzd, time_machine):
    import datetime as dt

    from yiwang.core.errors import InputError
    from yiwang.notifications.actions import do_set_channels

    WorkAccount.objects.create(user=cast.mediator_wang, zzd_account_id="zzd-wang")
    with pytest.raises(InputError):
        do_set_channels(by=cast.mediator_wang, choices={("case.supervised", "zzd"): False})
    do_set_channels(by=cast.mediator_wang, choices={("case.assigned", "zzd"): False})
    case = f.make_case("mediating")
    assert zzd == []  # the assignment: switched off
    time_machine.shift(dt.timedelta(days=60))
    a.do_supervise(case, by=cast.putuo_staff, note="督办：尽快结案。")
    assert [to for to, _ in zzd] == ["zzd-wang"]


def test_acceptance_and_refusal_to_accept_are_texted_to_the_applicant_with_where_to_go(cast, sms):
    accepted = f.register_case()
    phone = accepted.parties.get(role="applicant").phone
    [registered] = texts_to(sms, phone)
    assert accepted.number in registered
    a.do_accept(accepted, by=cast.liuheng_clerk)
    assert len(texts_to(sms, phone)) == 2 and "已受理" in texts_to(sms, phone)[-1]

    refused = f.register_case()
    other = refused.parties.get(role="applicant").phone
    a.do_not_accept(refused, by=cast.liuheng_clerk, reason="已由法院立案", redirect="舟山市普陀区人民法院")
    assert "舟山市普陀区人民法院" in texts_to(sms, other)[-1]


def test_an_online_filing_tells_its_centre_and_sends_the_applicant_only_onlines_own_message(cast, sms):
    case, _token = f.file_online_case()
    phone = case.parties.get(role="applicant").phone
    assert len(texts_to(sms, phone)) == 1  # online's: the link and a code; no second "registered"
    [item] = items(cast.putuo_staff, "case.filed_online")
    assert case.number in item.text
    assert items(cast.liuheng_clerk) == []


def test_an_escalated_case_reaches_the_centre_above(cast, sms):
    case = f.make_case("accepted", area=f.village("330903100"))
    a.do_escalate(case, by=cast.liuheng_clerk, reason="涉及人数多")  # village → town
    case.refresh_from_db()
    staff = [item.user.username for item in InboxItem.objects.filter(kind="case.escalated")]
    assert case.centre.area_id == "330903100" and staff == ["liuheng_staff"]
    assert "转由" in texts_to(sms, case.parties.get(role="applicant").phone)[-1]


def test_each_step_the_parties_hear_of_is_one_text_per_mobile(cast, sms):
    shared = "13900001111"
    case = f.register_case(applicants=[f.applicant(phone=shared)],
                           respondents=[{"kind": "person", "name": "司马测", "phone": shared}])
    f.advance_case(case, "followed_up", clerk="liuheng_clerk")
    texts = texts_to(sms, shared)
    # registered, accepted, mediator named, mediation opened, agreement, follow-up: each once though two
    # parties share the phone
    assert len(texts) == 6, texts
    assert len(set(texts)) == 6


def test_the_same_notice_announced_twice_is_delivered_once(cast):
    from django.db import transaction

    from yiwang.core.notices import Notice, announce

    notice = Notice(kind="case.followed", text="测试", key="test:once", recipients=(cast.mediator_wang,))
    with transaction.atomic():
        announce(notice)
        announce(notice)
    assert len(items(cast.mediator_wang)) == 1


def test_an_event_with_nobody_to_tell_among_staff_still_texts_the_parties(cast, sms):
    from yiwang.accounts.models import Grant

    # the district centre has no staff (nor a window clerk)
    Grant.objects.filter(area_id="330903", role_id__in=["centre_staff", "window_clerk"]).delete()
    case, _token = f.file_online_case()
    assert not InboxItem.objects.filter(kind="case.filed_online").exists()
    assert texts_to(sms, case.parties.get(role="applicant").phone)
