"""Each people's mediation committee's own signing certificate (models.CommitteeCertificate): made here
for the demo (EC P-256, self-signed, subject = the committee's name, marked 演示), or configured in the
admin with a key and certificate issued elsewhere.

    get_committee_certificate(centre) → CommitteeCertificate | None   the active one of the centre
    make_committee_certificate(centre, committee_name="") → CommitteeCertificate   (demo; kept if present)
    get_committee_trust_files() → tuple[Path, ...]     every active committee certificate (trust anchors)
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings


def get_committee_certificate(centre):
    from yiwang.online.models import CommitteeCertificate

    if centre is None:
        return None
    cert = CommitteeCertificate.objects.filter(centre=centre, active=True).first()
    if cert is None or not (Path(cert.key_file).is_file() and Path(cert.cert_file).is_file()):
        return None
    return cert


def get_committee_trust_files() -> tuple[Path, ...]:
    from yiwang.online.models import CommitteeCertificate

    try:
        paths = CommitteeCertificate.objects.filter(active=True).order_by("pk").values_list("cert_file", flat=True)
        return tuple(Path(p) for p in paths if Path(p).is_file())
    except Exception:  # no table yet (a fresh checkout before migrate)
        return ()


def committee_name_of(centre) -> str:
    name = centre.name
    return name if name.endswith("委员会") else f"{name}人民调解委员会"


def make_committee_certificate(centre, committee_name: str = "", *, directory: Path | None = None):
    """A demo key and self-signed certificate for the centre's committee (subject O and CN: its name,
    OU 电子印章（演示）), written under VAR_DIR/signing/committees/<centre id>/ and registered. An
    existing active certificate is kept."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    from yiwang.online.models import CommitteeCertificate
    from yiwang.online.signing import _key_usage, _write_private

    existing = get_committee_certificate(centre)
    if existing is not None:
        return existing
    committee_name = committee_name or committee_name_of(centre)
    directory = directory or Path(settings.VAR_DIR) / "signing" / "committees" / str(centre.pk)
    directory.mkdir(parents=True, exist_ok=True)
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    subject = x509.Name([
        x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, committee_name),
        x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "电子印章（演示）"),
        x509.NameAttribute(NameOID.COMMON_NAME, committee_name),
    ])
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    cert_path, key_path = directory / "committee.cert.pem", directory / "committee.key.pem"
    cert_path.write_bytes(cert.public_bytes(pem))
    _write_private(key_path, key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))
    CommitteeCertificate.objects.filter(centre=centre).delete()
    return CommitteeCertificate.objects.create(centre=centre, committee_name=committee_name,
                                               key_file=str(key_path), cert_file=str(cert_path))
