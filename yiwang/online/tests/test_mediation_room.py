"""The mediation room: messages between the parties and the mediator (to everyone, or privately to the
mediator), and evidence of the right type and size, served only to people in the case."""

import datetime as dt
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yiwang.cases import actions as case_actions
from yiwang.online.actions import do_open_access
from yiwang.online.models import Evidence, RoomMessage
from yiwang.online.tests.factories import file_case
from yiwang.testing import assert_not_found_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def proven(url, outbox, phone):
    client = Client()
    client.post(url, {"step": "send"})
    code = re.search(r"\d{6}", [t for p, t in outbox if p == phone][-1]).group()
    client.post(url, {"step": "verify", "code": code})
    return client


def mediated_case(demo, outbox):
    case, token = file_case()
    staff = demo.putuo_staff
    case = case_actions.do_accept(case, by=staff)
    case = case_actions.do_assign(case, by=staff, mediators=[demo.mediator_wang])
    _, respondent_token = do_open_access(case.parties.get(role="respondent"))
    applicant = proven(f"/p/{token}/", outbox, "13905751234")
    respondent = proven(f"/p/{respondent_token}/", outbox, "13857001234")
    return case, f"/p/{token}/", applicant, f"/p/{respondent_token}/", respondent


def test_messages_to_everyone_and_privately_to_the_mediator(demo, outbox):
    case, a_url, applicant, r_url, respondent = mediated_case(demo, outbox)

    applicant.post(a_url + "room/message/", {"text": "我们希望尽快赔偿。"})
    applicant.post(a_url + "room/message/", {"text": "底线是十五万元。", "private": "1"})
    demo.client("mediator_wang").post(f"/online/cases/{case.pk}/room/", {"text": "下周二上午线上调解。"})

    assert "我们希望尽快赔偿" in respondent.get(r_url).text
    assert "下周二上午线上调解" in respondent.get(r_url).text
    assert "底线是十五万元" not in respondent.get(r_url).text  # private to the mediator
    assert "底线是十五万元" in applicant.get(a_url).text
    assert "底线是十五万元" in demo.client("mediator_wang").get(f"/online/cases/{case.pk}/room/").text
    assert RoomMessage.objects.filter(case=case).count() == 3


def test_an_empty_message_is_refused(demo, outbox):
    case, a_url, applicant, *_ = mediated_case(demo, outbox)
    response = applicant.post(a_url + "room/message/", {"text": "  "}, follow=True)
    assert RoomMessage.objects.filter(case=case).count() == 0
    assert response.context["messages"] and list(response.context["messages"])


def test_evidence_of_the_right_type_is_kept_and_served_to_the_people_in_the_case(demo, outbox):
    case, a_url, applicant, r_url, respondent = mediated_case(demo, outbox)

    applicant.post(a_url + "room/evidence/", {"file": SimpleUploadedFile("修理发票.png", PNG, "image/png"),
                                              "note": "船舶修理发票"})

    evidence = Evidence.objects.get(case=case)
    assert evidence.content_type == "image/png" and evidence.size == len(PNG) and evidence.name == "修理发票.png"
    assert "修理发票" not in evidence.file.name  # stored under a name of ours
    assert b"".join(respondent.get(f"{r_url}evidence/{evidence.pk}/").streaming_content) == PNG
    mediator = demo.client("mediator_wang").get(f"/online/cases/{case.pk}/evidence/{evidence.pk}/")
    assert mediator.status_code == 200 and mediator["Content-Type"] == "image/png"


def test_evidence_of_the_wrong_type_or_size_is_refused_with_a_message(demo, outbox, settings):
    case, a_url, applicant, *_ = mediated_case(demo, outbox)
    settings.MAX_UPLOAD_MB = 1

    renamed = applicant.post(a_url + "room/evidence/",
                             {"file": SimpleUploadedFile("evidence.pdf", b"MZ\x90\0 not a pdf", "application/pdf")},
                             follow=True)
    too_big = applicant.post(a_url + "room/evidence/",
                             {"file": SimpleUploadedFile("scan.pdf", PDF + b"0" * (1024 * 1024), "application/pdf")},
                             follow=True)

    assert Evidence.objects.filter(case=case).count() == 0
    assert "PDF" in renamed.text and "PNG" in renamed.text  # "only PDF documents and PNG or JPEG pictures"
    assert "1 MB" in too_big.text


def test_evidence_named_as_another_kind_or_empty_is_refused_with_a_message(demo, outbox):
    case, a_url, applicant, *_ = mediated_case(demo, outbox)

    pdf_as_jpg = applicant.post(a_url + "room/evidence/", {"file": SimpleUploadedFile("photo.jpg", PDF, "image/jpeg")},
                                follow=True, HTTP_ACCEPT_LANGUAGE="en")
    empty = applicant.post(a_url + "room/evidence/", {"file": SimpleUploadedFile("scan.pdf", b"", "application/pdf")},
                           follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert Evidence.objects.filter(case=case).count() == 0
    assert "named .jpg" in pdf_as_jpg.text
    assert "empty" in empty.text


def test_evidence_is_not_served_outside_the_case(demo, outbox):
    case, a_url, applicant, *_ = mediated_case(demo, outbox)
    applicant.post(a_url + "room/evidence/", {"file": SimpleUploadedFile("a.pdf", PDF, "application/pdf")})
    evidence = Evidence.objects.get(case=case)
    other, other_token = file_case(applicant={"name": "王小明", "phone": "13600001111"})
    stranger = proven(f"/p/{other_token}/", outbox, "13600001111")

    assert_not_found_for(stranger, f"/p/{other_token}/evidence/{evidence.pk}/")  # another case's file
    assert_not_found_for(Client(), f"{a_url}evidence/{evidence.pk}/")  # the link without the code
    assert_not_found_for(demo.client("liuheng_clerk"), f"/online/cases/{case.pk}/evidence/{evidence.pk}/")
    assert_not_found_for(demo.client("liuheng_clerk"), f"/online/cases/{case.pk}/room/")


def test_only_the_cases_mediator_writes_as_staff(demo, outbox):
    case, *_ = mediated_case(demo, outbox)
    demo.client("maritime_mediator").post(f"/online/cases/{case.pk}/room/", {"text": "我不是本案调解员"})
    assert RoomMessage.objects.filter(case=case).count() == 0


def test_the_mediator_schedules_a_session_and_the_parties_are_told(demo, outbox):
    case, a_url, applicant, r_url, respondent = mediated_case(demo, outbox)
    before = len(outbox)

    demo.client("mediator_wang").post(f"/online/cases/{case.pk}/room/", {
        "do": "schedule", "starts_at": "2099-03-03T09:30", "place": "https://meeting.example.invalid/pt-1",
        "online": "1",
    })

    assert {p for p, _ in outbox[before:]} == {"13905751234", "13857001234"}
    assert "2099-03-03 09:30" in outbox[-1][1]
    assert "2099-03-03 09:30" in respondent.get(r_url).text
    assert "meeting.example.invalid/pt-1" in applicant.get(a_url).text


def test_a_session_in_the_past_or_without_a_place_is_refused(demo, outbox):
    from yiwang.online.models import ScheduledSession

    case, *_ = mediated_case(demo, outbox)
    mediator = demo.client("mediator_wang")
    mediator.post(f"/online/cases/{case.pk}/room/", {"do": "schedule", "starts_at": "2001-01-01T09:00",
                                                     "place": "调解室"})
    mediator.post(f"/online/cases/{case.pk}/room/", {"do": "schedule", "starts_at": "2099-01-01T09:00",
                                                     "place": ""})
    mediator.post(f"/online/cases/{case.pk}/room/", {"do": "schedule", "starts_at": "not a date", "place": "x"})
    demo.client("maritime_mediator").post(f"/online/cases/{case.pk}/room/", {
        "do": "schedule", "starts_at": "2099-01-01T09:00", "place": "调解室"})  # not this case's mediator
    assert not ScheduledSession.objects.filter(case=case).exists()


def test_the_mediator_calls_off_a_session_and_the_parties_are_told(demo, outbox):
    from yiwang.audit.models import AuditEvent
    from yiwang.online.models import ScheduledSession

    case, a_url, applicant, r_url, respondent = mediated_case(demo, outbox)
    room = f"/online/cases/{case.pk}/room/"
    mediator = demo.client("mediator_wang")
    mediator.post(room, {"do": "schedule", "starts_at": "2099-04-04T14:00", "place": "六横镇调解室"})
    session = ScheduledSession.objects.get(case=case)
    assert "2099-04-04 14:00" in applicant.get(a_url).text
    assert mediator.get(room).content.decode().count('value="cancel_session"') == 1
    # a session that has begun is listed for a while, without the call-off form
    from django.utils import timezone

    ScheduledSession.objects.create(case=case, starts_at=timezone.now() - dt.timedelta(hours=1), place="调解室")
    assert mediator.get(room).content.decode().count('value="cancel_session"') == 1

    # refused: no reason, another mediator, a session of another case; nothing changes, nobody is told
    before = len(outbox)
    mediator.post(room, {"do": "cancel_session", "session": session.pk, "reason": " "})
    demo.client("maritime_mediator").post(room, {"do": "cancel_session", "session": session.pk, "reason": "x"})
    assert mediator.post(room, {"do": "cancel_session", "session": "x", "reason": "x"}).status_code == 404
    session.refresh_from_db()
    assert session.cancelled_at is None and len(outbox) == before

    mediator.post(room, {"do": "cancel_session", "session": session.pk, "reason": "调解员临时出差"})
    session.refresh_from_db()
    assert session.cancelled_at is not None
    assert {p for p, _ in outbox[before:]} == {"13905751234", "13857001234"}
    assert "调解员临时出差" in outbox[-1][1] and "2099-04-04 14:00" in outbox[-1][1]
    assert "2099-04-04 14:00" not in applicant.get(a_url).text
    assert "2099-04-04 14:00" not in respondent.get(r_url).text
    assert AuditEvent.objects.filter(verb="online.session_cancelled", object_id=str(session.pk)).count() == 1
    # a second call-off is refused and sends nothing
    count = len(outbox)
    mediator.post(room, {"do": "cancel_session", "session": session.pk, "reason": "再次取消"})
    assert len(outbox) == count


def test_a_session_scheduled_from_a_stale_page_is_refused_and_nobody_is_told(demo, outbox):
    from yiwang.online.models import ScheduledSession

    case, *_ = mediated_case(demo, outbox)
    stale = case.version - 1  # the page was read before the case's last change
    before = len(outbox)
    response = demo.client("mediator_wang").post(f"/online/cases/{case.pk}/room/", {
        "do": "schedule", "starts_at": "2099-03-03T09:30", "place": "调解室", "version": str(stale),
    }, follow=True, HTTP_ACCEPT_LANGUAGE="en")

    assert not ScheduledSession.objects.filter(case=case).exists() and len(outbox) == before
    assert "changed by someone else" in response.text


def test_the_staff_actions_on_a_case_check_the_version_they_were_given(demo, outbox):
    import pytest

    from yiwang.core.errors import StaleVersion
    from yiwang.online import actions

    case, *_ = mediated_case(demo, outbox)
    respondent = case.parties.get(role="respondent")
    token_before = respondent.online_access.token_hash
    with pytest.raises(StaleVersion):
        actions.do_invite_party(respondent, by=demo.putuo_staff, base_url="http://x", version=case.version - 1)
    respondent.online_access.refresh_from_db()
    assert respondent.online_access.token_hash == token_before  # the link was not replaced
    actions.do_invite_party(respondent, by=demo.putuo_staff, base_url="http://x", version=case.version)


def test_evidence_whose_stored_file_is_gone_is_404_not_500(demo, outbox, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case, a_url, applicant, r_url, respondent = mediated_case(demo, outbox)
    applicant.post(a_url + "room/evidence/", {"file": SimpleUploadedFile("发票.png", PNG, "image/png")})
    evidence = Evidence.objects.get(case=case)
    assert respondent.get(f"{r_url}evidence/{evidence.pk}/").status_code == 200
    (tmp_path / evidence.file.name).unlink()
    assert respondent.get(f"{r_url}evidence/{evidence.pk}/").status_code == 404
    assert demo.client("mediator_wang").get(f"/online/cases/{case.pk}/evidence/{evidence.pk}/").status_code == 404
