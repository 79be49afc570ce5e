"""Each people's mediation committee signs with its own certificate (configured as data, one per centre
in the demo), its name in the certificate's subject; pdfsig validates every signature of the sealed file
and the verifier trusts it; a centre without one falls back to the platform's key."""

import shutil
import subprocess

import pytest

from yiwang.areas.models import Centre
from yiwang.online.certificates import make_committee_certificate
from yiwang.online.signing import Verdict, get_identity, sign_pdf, verify_pdf


@pytest.mark.skipif(not shutil.which("pdfsig"), reason="poppler-utils not installed")
def test_a_committee_seals_with_its_own_certificate_and_pdfsig_validates_every_signature(
        db, draft_pdf, tmp_path, settings):
    centre, other = Centre.objects.order_by("pk")[:2]
    certificate = make_committee_certificate(centre, directory=tmp_path / "committee")
    assert make_committee_certificate(centre).pk == certificate.pk  # kept, not remade
    assert certificate.committee_name.endswith("人民调解委员会")
    assert get_identity(centre=other).cert_file == get_identity().cert_file  # no certificate of its own

    pdf = draft_pdf
    for label in ("申请人 张三", "被申请人 李四"):
        pdf = sign_pdf(pdf, label, centre=centre)
    pdf = sign_pdf(pdf, certificate.committee_name, seal=True, centre=centre)
    path = tmp_path / "sealed.pdf"
    path.write_bytes(pdf)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert report.count("Signature is Valid.") == 3, report
    assert report.count(f"Signer Certificate Common Name: {certificate.committee_name}") == 3, report

    verification = verify_pdf(pdf)
    assert verification.verdict == Verdict.VALID and certificate.committee_name in verification.centre
    certificate.active = False  # withdrawn: no longer trusted
    certificate.save(update_fields=["active"])
    assert verify_pdf(pdf).verdict == Verdict.NOT_OURS
