"""The court's side: the court liaison's queue (/cases/court/) with the confirmation applications at
their court by deadline and the referrals to it awaiting its case number (nothing for anyone who does
not act for a court, no other court's cases), and the court's clocks on a confirmation application."""

import pytest
from django.urls import reverse
from django.utils import timezone

from yiwang.areas.models import Organisation, OrganisationKind
from yiwang.cases import actions
from yiwang.cases.court import get_court_queue
from yiwang.testing import assert_not_found_for
from yiwang.testing.factories import make_case


def test_the_liaison_sees_the_courts_applications_and_referrals_and_nobody_else_gets_the_page(cast):
    court = Organisation.objects.filter(kind=OrganisationKind.COURT).order_by("id").first()
    pending = make_case("confirmation_pending")
    referred = make_case("referred")
    elsewhere = Organisation.objects.create(name="沈家门人民法庭", kind=OrganisationKind.COURT, area_id="330903")
    other = make_case("terminated")
    actions.do_refer(other, by=cast.putuo_staff, kind="litigation", body=elsewhere)
    assert pending.agreement.confirmation_court == court and referred.referrals.get().body == court

    assert reverse("cases:court_queue") in cast.client("court_liaison").get(reverse("cases:queue")).content.decode()
    page = cast.client("court_liaison").get(reverse("cases:court_queue"))
    assert page.status_code == 200
    body = page.content.decode()
    confirmations, referrals = body.split('id="confirmations"')[1], body.split('id="referrals"')[1]
    assert pending.number in confirmations.split('id="delegations"')[0]
    assert referred.number in referrals and other.number not in body  # another court's referral
    for outsider in ("mediator_wang", "putuo_staff", "bank_operator"):
        assert_not_found_for(cast.client(outsider), reverse("cases:court_queue"))


def test_the_courts_clocks_three_days_to_accept_then_fifteen_extendable_once_by_ten(cast, time_machine):
    """法释〔2011〕5号: the court answers within 3 days whether it accepts, then rules within 15 (+10) days;
    each clock is the case's deadline, so an overdue answer shows on the liaison's queue."""
    import datetime as dt

    from yiwang.core.calendar import add_days_rolled

    time_machine.move_to(dt.datetime(2026, 11, 16, 10, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
    case = make_case("confirmation_pending")
    applied = case.agreement.confirmation_applied_on
    assert case.deadline == add_days_rolled(applied, 3)
    with pytest.raises(actions.IllegalTransition):  # not before accepting
        actions.do_extend_confirmation(case, by=cast.court_liaison, reason="案情复杂")
    with pytest.raises(actions.PermissionRefused):
        actions.do_accept_confirmation(case, by=cast.mediator_wang)
    time_machine.shift(dt.timedelta(days=4))  # the court is late: the queue shows it overdue
    row = next(a for a in get_court_queue(cast.court_liaison).confirmations if a.case_id == case.pk)
    assert row.overdue
    case = actions.do_accept_confirmation(case, by=cast.court_liaison)
    assert case.deadline == add_days_rolled(timezone.localdate(), 15)
    with pytest.raises(actions.CaseInputError):
        actions.do_extend_confirmation(case, by=cast.court_liaison, reason="")
    case = actions.do_extend_confirmation(case, by=cast.court_liaison, reason="需要调查核实")
    assert case.deadline == add_days_rolled(case.agreement.confirmation_accepted_on, 25)
    with pytest.raises(actions.IllegalTransition):  # once
        actions.do_extend_confirmation(case, by=cast.court_liaison, reason="再次延长")
    case = actions.do_record_confirmation(case, by=cast.court_liaison, accepted=True,
                                          court_case_number="（2026）浙0903民特12号")
    assert case.status == "confirmed"
