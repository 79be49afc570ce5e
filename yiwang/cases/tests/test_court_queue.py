"""The court liaison's queue (/cases/court/): the confirmation applications at their court by deadline,
the referrals to it awaiting its case number; nothing for anyone who does not act for a court, and no
other court's cases."""

from django.urls import reverse

from yiwang.areas.models import Organisation, OrganisationKind
from yiwang.cases import actions
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
