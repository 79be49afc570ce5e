"""Agreements carry PAdES signatures that standard validators accept, and tampering shows."""

import re
import shutil
import subprocess
from io import BytesIO

import pytest
from django.core.management import call_command
from django.utils import translation

from yiwang.online.signing import Verdict, count_signatures, run_outside_event_loop, sign_pdf, verify_pdf


def content_stream_offset(pdf: bytes) -> int:
    """The offset of the first page's content stream data."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    page = PdfFileReader(BytesIO(pdf)).root["/Pages"]["/Kids"][0]
    ref = page.raw_get("/Contents")
    header = re.search(rb"(?<!\d)%d 0 obj" % ref.idnum, pdf)
    return pdf.index(b"stream", header.end()) + len(b"stream\n") + 10


def test_a_signed_agreement_verifies_with_every_signature_in_order(signed_pdf):
    result = verify_pdf(signed_pdf)

    assert result.valid, result.as_text()
    assert result.verdict == Verdict.VALID
    assert result.centre == "舟山市普陀区社会治理中心"
    assert [s.label for s in result.signatures] == ["申请人 张三", "被申请人 李四", "调解员 王调解", "舟山市普陀区社会治理中心"]
    assert all(s.intact and s.trusted and s.signed_at for s in result.signatures)
    assert result.signatures[-1].whole_file and not result.signatures[0].whole_file
    assert len(result.sha256) == 64 and result.size == len(signed_pdf)


def test_pyhanko_validator_accepts_it_with_the_demo_ca_as_trust_root(signed_pdf, signing_dir):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    root = load_cert_from_pemder(str(signing_dir / "ca.cert.pem"))
    signatures = PdfFileReader(BytesIO(signed_pdf)).embedded_signatures
    assert len(signatures) == 4
    for signature in signatures:
        context = ValidationContext(trust_roots=[root], allow_fetching=False)
        # (pyHanko runs its own event loop; a browser test's Playwright loop may be running in this thread.)
        status = run_outside_event_loop(validate_pdf_signature, signature, context)
        assert status.intact and status.valid and status.trusted, status.pretty_print_details()
        assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils' pdfsig is not installed")
def test_poppler_pdfsig_reports_every_signature_valid(signed_pdf, tmp_path):
    path = tmp_path / "agreement.pdf"
    path.write_bytes(signed_pdf)
    output = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    # pdfsig exits 0 whatever the verdict: read what it says.
    assert output.count("Signature is Valid.") == 4, output
    assert "Total document signed" in output


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils' pdfsig is not installed")
def test_one_byte_changed_in_a_content_stream_fails_everywhere(signed_pdf, tmp_path):
    offset = content_stream_offset(signed_pdf)
    tampered = bytearray(signed_pdf)
    tampered[offset] ^= 0x01

    result = verify_pdf(bytes(tampered))

    assert not result.valid
    assert result.verdict == Verdict.ALTERED
    assert not any(s.intact for s in result.signatures)
    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(tampered))
    output = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout
    assert "Signature is Valid." not in output and "Digest Mismatch" in output, output


def test_a_pdf_signed_by_another_key_is_not_issued_by_this_centre(draft_pdf, signing_dir, other_signing_dir):
    from django.test import override_settings

    with override_settings(
        SIGNING_KEY_FILE=str(other_signing_dir / "centre.key.pem"),
        SIGNING_CERT_FILE=str(other_signing_dir / "centre.cert.pem"),
        SIGNING_CA_FILE=str(other_signing_dir / "ca.cert.pem"),
    ):
        forged = sign_pdf(draft_pdf, "舟山市普陀区社会治理中心", seal=True)
        assert verify_pdf(forged).valid  # valid for whoever trusts that other CA …

    result = verify_pdf(forged)  # … but not against this centre's

    assert result.verdict == Verdict.NOT_OURS
    with translation.override("en"):
        assert "not issued by this centre" in result.message
    assert result.centre == ""


def test_content_appended_after_the_seal_is_reported(signed_pdf):
    from pyhanko.pdf_utils.generic import NameObject, TextStringObject
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(BytesIO(signed_pdf))
    writer.root[NameObject("/Lang")] = TextStringObject("en")
    writer.update_root()
    out = BytesIO()
    writer.write(out)

    result = verify_pdf(out.getvalue())

    assert result.verdict == Verdict.CHANGED_AFTER
    assert all(s.intact for s in result.signatures)


def test_unsigned_and_non_pdf_files_are_not_valid(draft_pdf):
    assert verify_pdf(draft_pdf).verdict == Verdict.UNSIGNED
    assert verify_pdf(b"GIF89a not a pdf").verdict == Verdict.NOT_PDF
    assert verify_pdf(b"%PDF-1.7\ngarbage").verdict in (Verdict.NOT_PDF, Verdict.UNSIGNED)


def test_the_centre_signature_shows_a_seal_on_the_last_page(signed_pdf):
    from pyhanko.pdf_utils.reader import PdfFileReader

    signatures = PdfFileReader(BytesIO(signed_pdf)).embedded_signatures
    assert count_signatures(signed_pdf) == 4
    x1, y1, x2, y2 = (float(v) for v in signatures[-1].sig_field["/Rect"])
    assert x2 - x1 > 100 and y2 - y1 > 50  # visible
    assert all(float(v) == 0 for v in signatures[0].sig_field["/Rect"])  # the parties' are invisible


def test_verify_agreement_command_prints_the_verdict_and_fails_when_invalid(signed_pdf, tmp_path, capsys):
    good = tmp_path / "good.pdf"
    good.write_bytes(signed_pdf)
    call_command("verify_agreement", str(good))
    out = capsys.readouterr().out
    assert out.startswith("VALID") and "舟山市普陀区社会治理中心" in out and "SHA-256" in out

    bad = tmp_path / "bad.pdf"
    tampered = bytearray(signed_pdf)
    tampered[content_stream_offset(signed_pdf)] ^= 0x01
    bad.write_bytes(bytes(tampered))
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_agreement", str(bad))
    assert exit_info.value.code == 1
    assert capsys.readouterr().out.startswith("INVALID")
