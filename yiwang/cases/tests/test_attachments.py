"""Files on a case: stored under MEDIA_ROOT (not served by the web server), read back only in scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.areas.models import Area
from yiwang.audit.models import AuditEvent
from yiwang.cases import actions
from yiwang.cases.models import Attachment

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def case(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    area = Area.objects.filter(code__startswith="330903100", level="village").order_by("code").first()
    return actions.do_register_case(
        by=cast.liuheng_clerk, channel="window", dispute_type="neighbourhood", area=area, facts="事实",
        claims="请求", applicants=[{"name": "附件人", "phone": "13857002020"}],
    )


def test_upload_and_download_in_scope(cast, case, tmp_path):
    api = cast.api("liuheng_clerk")
    upload = SimpleUploadedFile("../../现场照片.png", PNG, content_type="application/octet-stream")
    response = api.post(f"/api/v1/cases/{case.pk}/attachments/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    attachment = Attachment.objects.get(case=case)
    assert attachment.name == "现场照片.png"  # the path part of the name is dropped
    assert attachment.content_type == "image/png"  # what the bytes say, not what the client claimed
    stored = tmp_path / attachment.file.name
    assert stored.exists() and str(stored.resolve()).startswith(str(tmp_path))
    download = api.get(f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert AuditEvent.objects.filter(verb="cases.attachment_read").exists()
    assert cast.api("shenjiamen_clerk").get(f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/").status_code == 404


def test_an_executable_is_refused_and_nothing_is_saved(cast, case):
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = cast.api("liuheng_clerk").post(f"/api/v1/cases/{case.pk}/attachments/", {"file": upload},
                                              format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    assert not Attachment.objects.filter(case=case).exists()


@pytest.mark.parametrize(("name", "content", "says"), [
    ("scan.jpg", PDF, ".jpg"),                             # a PDF renamed .jpg
    ("agreement.pdf", b"MZ\x90\x00\x03\x00\x00\x00", "PDF"),  # a program renamed .pdf
    ("empty.pdf", b"", "empty"),
])
def test_a_file_that_is_not_what_its_name_says_is_refused_and_nothing_is_saved(cast, case, name, content, says):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = cast.api("liuheng_clerk").post(f"/api/v1/cases/{case.pk}/attachments/", {"file": upload},
                                              format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and says in response.json()["file"][0]
    assert not Attachment.objects.filter(case=case).exists()


def test_a_file_over_the_limit_is_refused_and_nothing_is_saved(cast, case, settings):
    settings.MAX_UPLOAD_MB = 1
    upload = SimpleUploadedFile("scan.pdf", PDF + b"0" * (1024 * 1024), content_type="application/pdf")
    response = cast.api("liuheng_clerk").post(f"/api/v1/cases/{case.pk}/attachments/", {"file": upload},
                                              format="multipart", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "1 MB" in response.json()["file"][0]
    assert not Attachment.objects.filter(case=case).exists()


def test_an_attachment_whose_stored_file_is_gone_is_404_not_500(cast, case, tmp_path):
    api = cast.api("liuheng_clerk")
    upload = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    assert api.post(f"/api/v1/cases/{case.pk}/attachments/", {"file": upload}, format="multipart").status_code == 201
    attachment = Attachment.objects.get(case=case)
    (tmp_path / attachment.file.name).unlink()  # the object is lost from the storage
    assert api.get(f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/").status_code == 404
