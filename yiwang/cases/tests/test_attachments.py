"""Files on a case: stored under MEDIA_ROOT (not served by the web server), read back only in scope."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.areas.models import Area
from yiwang.audit.models import AuditEvent
from yiwang.cases import actions
from yiwang.cases.models import Attachment


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
    upload = SimpleUploadedFile("../../现场照片.png", b"\x89PNG fake", content_type="image/png")
    response = api.post(f"/api/v1/cases/{case.pk}/attachments/", {"file": upload}, format="multipart")
    assert response.status_code == 201, response.json()
    attachment = Attachment.objects.get(case=case)
    assert attachment.name == "现场照片.png"  # the path part of the name is dropped
    stored = tmp_path / attachment.file.name
    assert stored.exists() and str(stored.resolve()).startswith(str(tmp_path))
    download = api.get(f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"\x89PNG fake"
    assert AuditEvent.objects.filter(verb="cases.attachment_read").exists()
    assert cast.api("shenjiamen_clerk").get(f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/").status_code == 404


def test_an_executable_is_refused_and_nothing_is_saved(cast, case):
    upload = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")
    response = cast.api("liuheng_clerk").post(f"/api/v1/cases/{case.pk}/attachments/", {"file": upload},
                                              format="multipart")
    assert response.status_code == 400 and "file" in response.json()
    assert not Attachment.objects.filter(case=case).exists()
