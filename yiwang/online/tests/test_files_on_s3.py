"""Private files on an S3-compatible server (a real SeaweedFS started for this module): an attachment
uploaded through the API lands in the bucket, not on the app server's disk, and comes back only through the
app's scope check (an outsider gets 404, the bucket answers nobody without the key); a remotely signed and
sealed agreement is stored there at each step and verifies when read back through the app."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from yiwang.core.uploads import stored_file_response
from yiwang.online import actions
from yiwang.online.models import PartyAccess
from yiwang.online.signing import verify_pdf
from yiwang.online.tests.factories import drafted_case, drawing_data_url
from yiwang.testing import assert_not_found_for, factories

pytestmark = pytest.mark.xdist_group("s3")  # one worker starts the server once

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


@pytest.fixture(autouse=True)
def files_on_s3(s3, settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "private": s3.storage_settings()}
    settings.MEDIA_ROOT = str(tmp_path / "must-stay-empty")
    yield
    assert not (tmp_path / "must-stay-empty").exists()  # nothing was written to the local disk


def _stored(s3, name: str) -> bytes:
    return s3.client().get_object(Bucket=s3.bucket, Key=name)["Body"].read()


def test_an_attachment_is_stored_in_the_bucket_and_read_only_in_scope(cast, s3):
    from yiwang.cases.models import Attachment

    case = factories.register_case()
    api = cast.api("liuheng_clerk")
    upload = SimpleUploadedFile("现场照片.png", PNG, content_type="image/png")
    assert api.post(f"/api/v1/cases/{case.pk}/attachments/", {"file": upload}, format="multipart").status_code == 201
    attachment = Attachment.objects.get(case=case)
    assert _stored(s3, attachment.file.name) == PNG

    download = api.get(f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PNG
    assert_not_found_for(cast.api("shenjiamen_clerk"), f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/")

    import urllib.error
    import urllib.request

    with pytest.raises(urllib.error.HTTPError) as refused:  # the bucket itself is not public
        urllib.request.urlopen(f"{s3.endpoint}/{s3.bucket}/{attachment.file.name}", timeout=5)
    assert refused.value.code == 403


def test_a_missing_object_is_a_404_not_an_error(cast, s3):
    from yiwang.cases.models import Attachment

    case = factories.register_case()
    upload = SimpleUploadedFile("scan.png", PNG, content_type="image/png")
    cast.api("liuheng_clerk").post(f"/api/v1/cases/{case.pk}/attachments/", {"file": upload}, format="multipart")
    attachment = Attachment.objects.get(case=case)
    s3.client().delete_object(Bucket=s3.bucket, Key=attachment.file.name)
    with pytest.raises(Http404):
        stored_file_response(attachment.file, attachment.content_type)


def test_a_remotely_signed_agreement_is_stored_in_the_bucket_and_verifies(demo, outbox, s3):
    case, _ = drafted_case(demo)
    mediator = demo.mediator_wang
    actions.do_prepare_signing(case, by=mediator, base_url="http://testserver")
    for access in PartyAccess.objects.filter(party__case=case, revoked_at__isnull=True).select_related("party"):
        actions.do_request_signing_code(access)
        code = re.search(r"\d{6}", outbox[-1][1]).group()
        actions.do_sign_as_party(access, code=code, drawing=drawing_data_url())
    case.refresh_from_db()
    signed = actions.do_sign_as_mediator(case, by=mediator)

    stored = _stored(s3, signed.pdf.name)
    assert verify_pdf(stored).valid
    page = demo.client("mediator_wang").get(f"/online/cases/{case.pk}/agreement.pdf")
    assert page.status_code == 200 and b"".join(getattr(page, "streaming_content", [page.content])) == stored
    assert_not_found_for(demo.client("shenjiamen_clerk"), f"/online/cases/{case.pk}/agreement.pdf")
    case.agreement.refresh_from_db()
    assert case.agreement.sealed_pdf.name == signed.pdf.name  # the case's document of record, in the bucket
