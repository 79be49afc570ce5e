"""The staff side of online mediation (room, evidence, signing, sealed PDF, confirmation, invitations)
reads a case under the `case.view` grant, like the case page: someone who holds only `area.view` on the
case's village — a grid worker — gets 404 exactly as for a missing case, and sees no message or file."""

from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.accounts.demo import grid_worker_area
from yiwang.cases import actions as case_actions
from yiwang.online import actions
from yiwang.online.tests.factories import file_case
from yiwang.testing import assert_not_found_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_a_grid_worker_in_the_cases_village_sees_none_of_the_online_pages(demo):
    case, _token = file_case(centre="PT", area=grid_worker_area().code)
    case = case_actions.do_accept(case, by=demo.putuo_staff)
    case = case_actions.do_assign(case, by=demo.putuo_staff, mediators=[demo.mediator_wang])
    actions.do_post_message(case, by=demo.mediator_wang, text="请双方周五到六横调解室")
    evidence = actions.do_upload_evidence(case, by=demo.mediator_wang,
                                          upload=SimpleUploadedFile("photo.png", PNG, content_type="image/png"))
    base = f"/online/cases/{case.pk}"
    assert demo.client("mediator_wang").get(f"{base}/room/").status_code == 200
    worker = demo.client("grid_worker")
    for url in (f"{base}/room/", f"{base}/evidence/{evidence.pk}/", f"{base}/signing/", f"{base}/agreement.pdf"):
        assert_not_found_for(worker, url)
    respondent = case.parties.get(role="respondent")
    assert worker.post(f"{base}/confirmation/").status_code == 404
    assert worker.post(f"{base}/parties/{respondent.pk}/invite/").status_code == 404


def test_staff_reading_an_evidence_file_is_audited(demo):
    """Evidence names people (photos, contracts): a staff download leaves a trace, like a case attachment."""
    from yiwang.audit.models import AuditEvent

    case, _token = file_case(centre="PT")
    case = case_actions.do_accept(case, by=demo.putuo_staff)
    case = case_actions.do_assign(case, by=demo.putuo_staff, mediators=[demo.mediator_wang])
    evidence = actions.do_upload_evidence(case, by=demo.mediator_wang,
                                          upload=SimpleUploadedFile("photo.png", PNG, content_type="image/png"))
    response = demo.client("putuo_staff").get(f"/online/cases/{case.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 200
    read = AuditEvent.objects.filter(verb="online.evidence_read", actor=demo.putuo_staff)
    assert read.count() == 1 and read.get().object_id == str(evidence.pk)
