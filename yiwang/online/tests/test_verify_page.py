"""The public verification page: anyone uploads a PDF and reads whether the centre issued it unaltered."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from yiwang.online.tests.test_signing import content_stream_offset


def upload(data: bytes, name="agreement.pdf"):
    return Client().post("/verify/", {"file": SimpleUploadedFile(name, data, content_type="application/pdf")})


def test_anyone_can_open_the_page(db):
    response = Client().get("/verify/")
    assert response.status_code == 200 and 'type="file"' in response.text


def test_a_signed_agreement_is_reported_valid_with_its_signers_and_hash(db, signed_pdf):
    import hashlib

    response = upload(signed_pdf)

    assert response.status_code == 200
    result = response.context["result"]
    assert result.valid
    assert hashlib.sha256(signed_pdf).hexdigest() in response.text
    assert "舟山市普陀区社会治理中心" in response.text and "被申请人 李四" in response.text


def test_a_tampered_copy_is_reported_altered(db, signed_pdf):
    tampered = bytearray(signed_pdf)
    tampered[content_stream_offset(signed_pdf)] ^= 0x01

    response = upload(bytes(tampered))

    assert not response.context["result"].valid
    assert 'class="card verdict invalid"' in response.text


def test_files_over_the_size_limit_are_refused_with_a_message(db, settings):
    settings.MAX_UPLOAD_MB = 1

    response = upload(b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))

    assert response.status_code == 200
    assert response.context["result"] is None
    assert "file" in response.context["form"].errors


def test_no_file_is_a_form_error(db):
    response = Client().post("/verify/", {})
    assert "file" in response.context["form"].errors
