"""Judicial confirmation (art. 33): one action assembles the court application within the 30 days and
records that the parties applied; the court's answer is then tracked on the case."""

import datetime as dt
import io
import shutil
import subprocess
import zipfile

import pytest
from django.utils import timezone

from yiwang.cases import actions as case_actions
from yiwang.cases.models import Agreement, Status
from yiwang.online import actions
from yiwang.online.tests.factories import agreed_case, file_case


def test_the_application_is_assembled_and_the_case_awaits_the_court(demo, outbox, tmp_path):
    case, _ = agreed_case(demo)

    response = demo.client("mediator_wang").post(f"/online/cases/{case.pk}/confirmation/")

    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.namelist() == ["01-司法确认申请书.pdf", "02-人民调解协议书.pdf"]
    case.refresh_from_db()
    assert case.status == Status.CONFIRMATION_PENDING
    assert case.agreement.confirmation_court is not None
    if shutil.which("pdftotext"):
        path = tmp_path / "application.pdf"
        path.write_bytes(archive.read("01-司法确认申请书.pdf"))
        text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
        text = text.replace(" ", "")
        for expected in ("陈海燕", "330602198805120025", "浙江省绍兴市越城区解放北路1号", "李大海",
                         "舟山市普陀区沈家门", case.agreement.confirmation_court.name):
            assert expected in text, expected

    # The court's answer is tracked on the case.
    case = case_actions.do_record_confirmation(case, by=demo.court_liaison, accepted=True,
                                               court_case_number="(2026)浙0903民特1号")
    assert case.status == Status.CONFIRMED


def test_after_thirty_days_the_application_is_refused(demo, outbox):
    case, _ = agreed_case(demo)
    Agreement.objects.filter(case=case).update(effective_on=timezone.localdate() - dt.timedelta(days=31),
                                               signed_on=timezone.localdate() - dt.timedelta(days=31))
    case.refresh_from_db()

    with pytest.raises(actions.SigningRefused):
        actions.do_assemble_confirmation(case, by=demo.mediator_wang)
    case.refresh_from_db()
    assert case.status == Status.AGREED


def test_no_agreement_no_application_and_outsiders_get_404(demo, outbox):
    case, _ = file_case()
    with pytest.raises(actions.SigningRefused):
        actions.do_assemble_confirmation(case, by=demo.mediator_wang)
    response = demo.client("liuheng_clerk").post(f"/online/cases/{case.pk}/confirmation/")
    assert response.status_code == 404
