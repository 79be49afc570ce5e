"""The staff case page (/cases/<id>/) links to the citizen side where it applies: inviting a party, the
mediation room, remote signing, the judicial confirmation application, the sealed agreement and its
verification, and shows the parties' own ratings — only what this user may use, only when the case's
state allows. It also shows the grid problem the case came from."""

import datetime as dt
import re

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from yiwang.cases import actions as case_actions
from yiwang.grids.models import Problem
from yiwang.online import actions
from yiwang.online.models import PartyAccess, SignedAgreement
from yiwang.online.tests.factories import agreed_case, drafted_case, file_case


def page(demo, username, case) -> str:
    response = demo.client(username).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    return response.content.decode()


def links(body: str, case) -> set[str]:
    """Which of the online tools the page offers for this case."""
    found = set()
    for name, url in (("room", f"/online/cases/{case.pk}/room/"), ("signing", f"/online/cases/{case.pk}/signing/"),
                      ("confirmation", f"/online/cases/{case.pk}/confirmation/"),
                      ("sealed_pdf", f"/online/cases/{case.pk}/agreement.pdf"), ("verify", "/verify/")):
        if url in body:
            found.add(name)
    if re.search(rf"/online/cases/{case.pk}/parties/\d+/invite/", body):
        found.add("invite")
    return found


def seal(case):
    """A sealed agreement on record, as remote signing leaves it (the signing itself is tested elsewhere)."""
    signed = SignedAgreement(case=case, sha256="a" * 64, original_sha256="b" * 64, created_at=timezone.now(),
                             completed_at=timezone.now())
    signed.pdf.save(f"{case.number}.pdf", ContentFile(b"%PDF-1.7 sealed"), save=False)
    signed.save()
    return signed


def test_a_new_online_case_offers_the_invitations_to_those_who_register_or_mediate(demo, outbox):
    case, _ = file_case()
    body = page(demo, "putuo_staff", case)
    assert links(body, case) == {"invite"}
    respondent = case.parties.get(role="respondent")
    assert f"/online/cases/{case.pk}/parties/{respondent.pk}/invite/" in body
    assert "李*" in body.split('id="online"')[1]  # named masked, like the parties' table
    assert links(page(demo, "putuo_leader", case), case) == set()  # reads, cannot invite
    # Not the court's case (not delegated by it, referred to it or sent for its confirmation): not found.
    assert demo.client("court_liaison").get(reverse("cases:detail", args=[case.pk])).status_code == 404


def test_inviting_from_the_case_page_comes_back_to_it_and_shows_the_answer(demo, outbox):
    case, _ = file_case()
    respondent = case.parties.get(role="respondent")
    detail = reverse("cases:detail", args=[case.pk])
    response = demo.client("putuo_staff").post(f"/online/cases/{case.pk}/parties/{respondent.pk}/invite/",
                                               {"next": detail})
    assert response.status_code == 302 and response["Location"] == detail
    assert outbox[-1][0] == respondent.phone
    actions.do_answer_invitation(respondent.online_access, accept=True)
    section = page(demo, "putuo_staff", case).split('id="online"')[1]
    assert "同意调解" in section and "再次发送链接" in section


def test_the_mediation_room_is_offered_to_the_assigned_mediator_once_assigned(demo, outbox):
    case, _ = file_case()
    case = case_actions.do_accept(case, by=demo.putuo_staff)
    assert "room" not in links(page(demo, "mediator_wang", case), case)
    case = case_actions.do_assign(case, by=demo.putuo_staff, mediators=[demo.mediator_wang])
    assert "room" in links(page(demo, "mediator_wang", case), case)
    assert "room" in links(page(demo, "putuo_staff", case), case)  # centre staff supervise
    assert "room" not in links(page(demo, "maritime_mediator", case), case)  # not on this case


def test_remote_signing_then_the_sealed_pdf_verification_and_judicial_confirmation(demo, outbox):
    # Drafted: remote signing is offered, judicial confirmation not (the agreement is not in effect; issue 16).
    case, _ = drafted_case(demo)
    mediator = links(page(demo, "mediator_wang", case), case)
    assert {"signing", "room"} <= mediator and not {"sealed_pdf", "confirmation"} & mediator
    # Not yet the court's case (nothing delegated, referred or sent for confirmation there): not found.
    assert demo.client("court_liaison").get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert links(page(demo, "maritime_mediator", case), case) == set()  # a mediator, but not on this case

    # In effect (signed and sealed): confirmation and verification; the one agreement document is the
    # case page's own link, never a second one beside it.
    case, _ = agreed_case(demo, applicant={"phone": "13905750007"}, respondent={"phone": "13857000008"})
    seal(case)
    body = page(demo, "mediator_wang", case)
    mediator = links(body, case)
    assert {"verify", "confirmation"} <= mediator and not {"signing", "sealed_pdf"} & mediator
    assert body.count(reverse("cases:agreement", args=[case.pk])) >= 1
    assert "verify" in links(page(demo, "putuo_leader", case), case)

    case = case_actions.do_apply_confirmation(case, by=demo.mediator_wang)
    court = links(page(demo, "court_liaison", case), case)  # now the court's: it assembles, never invites or signs
    assert "confirmation" in court and not {"invite", "signing", "room"} & court
    case = case_actions.do_record_confirmation(case, by=demo.court_liaison, accepted=True,
                                               court_case_number="(2026)浙0903民特1号")
    assert "confirmation" not in links(page(demo, "mediator_wang", case), case)


def test_no_confirmation_after_the_thirty_days_and_no_signing_of_an_oral_agreement(demo, outbox):
    case, _ = agreed_case(demo)
    case.agreement.effective_on = timezone.localdate() - dt.timedelta(days=31)
    case.agreement.oral = True
    case.agreement.save(update_fields=["effective_on", "oral"])
    assert not {"confirmation", "signing"} & links(page(demo, "mediator_wang", case), case)


def test_a_closed_case_offers_no_invitation_and_the_action_refuses_one(demo, outbox):
    case, _ = file_case()
    case = case_actions.do_withdraw(case, by=demo.putuo_staff, reason="申请人撤回")
    assert "invite" not in links(page(demo, "putuo_staff", case), case)
    sent = len(outbox)
    respondent = case.parties.get(role="respondent")
    demo.client("putuo_staff").post(f"/online/cases/{case.pk}/parties/{respondent.pk}/invite/")
    assert len(outbox) == sent and not PartyAccess.objects.filter(party=respondent).exists()


def test_the_parties_ratings_are_shown(demo, outbox):
    case, token = agreed_case(demo)
    access = actions.get_access(token)
    actions.do_rate_service(access, satisfaction=4, note="满意")
    body = page(demo, "putuo_staff", case)
    section = body.split('id="online"')[1]
    assert "4/5" in section and "陈*" in section


def test_the_grid_problem_the_case_came_from_is_shown_and_linked_for_grid_staff(demo, outbox):
    case, _ = file_case()
    problem = Problem.objects.create(category="dispute", description="两户因宅基地边界争执", area=case.area,
                                     accept_due=timezone.localdate(), case=case)
    url = reverse("grids:problem_detail", args=[problem.pk])
    staff = page(demo, "putuo_staff", case)  # holds grid.view
    assert f"#{problem.pk}" in staff and url in staff
    mediator = page(demo, "mediator_wang", case)  # sees the case, not the grid
    assert f"#{problem.pk}" in mediator and url not in mediator
