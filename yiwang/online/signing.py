"""Digital signatures on agreements: PAdES (ETSI EN 319 142) signatures made with the centre's key, and
their verification.

The centre holds one signing key and certificate (settings SIGNING_KEY_FILE, SIGNING_CERT_FILE,
SIGNING_KEY_PASSPHRASE, SIGNING_CA_FILE). Parties and mediators hold no keys: after a party has proved who
they are (access link + one-time code) the platform signs on their behalf with the centre's key, one
incremental update per signer, each labelled with the signer; the centre's own signature comes last and
carries the visible seal. Any later change to the file breaks every signature's digest, so a verifier
(this module, Adobe Reader, poppler's `pdfsig`) sees it.

Without configured keys a self-signed demo CA and centre certificate are generated under VAR_DIR/signing
(`yiwang make_demo_signing_key`); their subjects say 演示 (demo) so nobody takes them for real ones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

NOTO_TTC = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
NOTO_FACE = "NotoSansCJKsc-Regular"
DEMO_CENTRE_NAME = "舟山市普陀区社会治理中心"
# Where the centre's seal goes on the last page (PDF points from the bottom left of an A4 page).
SEAL_BOX = (360, 40, 560, 150)


@dataclass(frozen=True)
class SigningIdentity:
    """Where the centre's key, its certificate and the certificates verification trusts are."""

    key_file: Path
    cert_file: Path
    passphrase: bytes | None
    trust_files: tuple[Path, ...]
    demo: bool


def _demo_dir() -> Path:
    return Path(settings.VAR_DIR) / "signing"


def get_identity(*, create_demo: bool = True, centre=None) -> SigningIdentity:
    """The identity that signs for `centre`: its committee's own certificate when one is configured
    (online.certificates), else the configured identity, or the demo one (generated on first use)."""
    if centre is not None:
        from yiwang.online.certificates import get_committee_certificate

        committee = get_committee_certificate(centre)
        if committee is not None:
            cert_file = Path(committee.cert_file)
            return SigningIdentity(Path(committee.key_file), cert_file, None, (cert_file,), demo=False)
    key_file, cert_file = settings.SIGNING_KEY_FILE, settings.SIGNING_CERT_FILE
    passphrase = settings.SIGNING_KEY_PASSPHRASE.encode() if settings.SIGNING_KEY_PASSPHRASE else None
    if key_file and cert_file:
        for name, path in (("YIWANG_SIGNING_KEY_FILE", key_file), ("YIWANG_SIGNING_CERT_FILE", cert_file)):
            if not Path(path).is_file():
                raise ImproperlyConfigured(f"{name}={path!r} is not a readable file.")
        # Without a CA file the centre's certificate itself is the trust anchor.
        trust = settings.SIGNING_CA_FILE or cert_file
        return SigningIdentity(Path(key_file), Path(cert_file), passphrase, (Path(trust),), demo=False)
    directory = _demo_dir()
    identity = SigningIdentity(
        directory / "centre.key.pem", directory / "centre.cert.pem", None, (directory / "ca.cert.pem",), demo=True
    )
    if create_demo and not identity.key_file.exists():
        make_demo_identity()
    return identity


def make_demo_identity(centre_name: str = "", *, directory: Path | None = None, force: bool = False) -> Path:
    """Generate a demo CA and a centre certificate it issued (EC P-256, Chinese subject names).

    Returns the directory. Existing files are kept unless `force`."""
    import fcntl

    directory = directory or _demo_dir()
    if (directory / "centre.key.pem").exists() and not force:
        return directory
    directory.mkdir(parents=True, exist_ok=True)
    # Two processes starting at once (a web worker and the task worker) must not mix two key pairs.
    with open(directory / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (directory / "centre.key.pem").exists() and not force:
            return directory
        _write_demo_identity(directory, centre_name)
    _signer.cache_clear()
    _trust_roots.cache_clear()
    return directory


def _write_demo_identity(directory: Path, centre_name: str) -> None:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    centre_name = centre_name or _district_centre_name()
    now = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)

    def name(common_name: str, unit: str) -> x509.Name:
        return x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
            x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, "浙江省"),
            x509.NameAttribute(NameOID.LOCALITY_NAME, "舟山市"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, centre_name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ])

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = name("一网演示根证书（仅供演示）", "演示证书颁发机构")
    ca_cert = (
        x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(ca=True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder().subject_name(name(centre_name, "电子印章（演示）")).issuer_name(ca_name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number()).not_valid_before(now)
        .not_valid_after(now + dt.timedelta(days=1825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(ca=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    key_bytes = key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    (directory / "centre.cert.pem").write_bytes(cert.public_bytes(pem))
    (directory / "ca.cert.pem").write_bytes(ca_cert.public_bytes(pem))
    # The CA key is thrown away: the demo issues exactly one certificate. The key goes last: its presence
    # says the pair is complete.
    _write_private(directory / "centre.key.pem", key_bytes)


def _key_usage(*, ca: bool):
    from cryptography import x509

    return x509.KeyUsage(
        digital_signature=True, content_commitment=not ca, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=ca, crl_sign=ca, encipher_only=False, decipher_only=False,
    )


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _district_centre_name() -> str:
    try:
        from yiwang.areas.models import Centre

        centre = Centre.objects.filter(level="district", active=True).order_by("id").first()
        return centre.name if centre else DEMO_CENTRE_NAME
    except Exception:  # no database yet (a fresh checkout): the demo name will do
        return DEMO_CENTRE_NAME


@lru_cache(maxsize=4)
def _signer(key_file: Path, cert_file: Path, passphrase: bytes | None, trust_files: tuple[Path, ...]):
    from pyhanko.sign import signers

    chain = [str(p) for p in trust_files if p != cert_file and p.exists()]
    signer = signers.SimpleSigner.load(str(key_file), str(cert_file), ca_chain_files=chain, key_passphrase=passphrase)
    if signer is None:
        raise ImproperlyConfigured(f"The signing key {key_file} or certificate {cert_file} cannot be loaded.")
    return signer


@lru_cache(maxsize=4)
def _trust_roots(trust_files: tuple[Path, ...]):
    from pyhanko.keys import load_certs_from_pemder

    return list(load_certs_from_pemder([str(p) for p in trust_files]))


def get_seal_font() -> Path:
    """The Simplified Chinese face of the system's Noto Sans CJK, as a single OpenType file under VAR_DIR
    (pyHanko's stamps cannot read a font collection). Extracted once."""
    target = Path(settings.VAR_DIR) / "fonts" / f"{NOTO_FACE}.otf"
    if target.exists():
        return target
    from fontTools.ttLib import TTCollection

    if not NOTO_TTC.exists():
        raise ImproperlyConfigured(f"{NOTO_TTC} is missing: install Debian's fonts-noto-cjk.")
    target.parent.mkdir(parents=True, exist_ok=True)
    collection = TTCollection(str(NOTO_TTC))
    for font in collection.fonts:
        if font["name"].getDebugName(6) == NOTO_FACE:
            temporary = target.with_suffix(f".{os.getpid()}.tmp")
            font.save(str(temporary))
            temporary.replace(target)  # atomic: a concurrent signer never reads half a font
            return target
    raise ImproperlyConfigured(f"{NOTO_TTC} has no {NOTO_FACE} face.")


# What the time lines of the stamps and most labels need: printable ASCII (the times are digits, '-', ':').
STAMP_FONT_CHARS = frozenset(chr(c) for c in range(0x20, 0x7F)) | {"\n"}


def get_stamp_font(text: str = "") -> Path:
    """The face a stamp's text box is set in: the seal font itself when `text` needs more than printable
    ASCII, else the same face cut down once to those glyphs (under VAR_DIR/fonts). The glyphs are the
    same; pyHanko reads and subsets a 40 kB font per signature instead of the 16 MB one (≈0.5 s each)."""
    full = get_seal_font()
    if not set(text) <= STAMP_FONT_CHARS:
        return full
    target = full.with_name(f"{NOTO_FACE}-ascii.otf")
    if target.exists():
        return target
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    # The default layout features are those HarfBuzz applies to horizontal Latin text: the same shapes.
    options.name_IDs, options.name_languages = ["*"], ["*"]
    options.notdef_outline = True
    font = TTFont(str(full))
    subsetter = subset.Subsetter(options)
    subsetter.populate(text="".join(sorted(STAMP_FONT_CHARS - {"\n"})))
    subsetter.subset(font)
    temporary = target.with_suffix(f".{os.getpid()}.tmp")
    font.save(str(temporary))
    temporary.replace(target)  # atomic, as get_seal_font
    return target


def get_centre_name(identity: SigningIdentity | None = None) -> str:
    """The organisation named in the centre's certificate."""
    from pyhanko.keys import load_cert_from_pemder

    cert = load_cert_from_pemder(str((identity or get_identity()).cert_file))
    return _subject_name(cert)


def _subject_name(cert) -> str:
    subject = cert.subject.native
    return subject.get("organization_name") or subject.get("common_name") or cert.subject.human_friendly


def count_signatures(pdf_bytes: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return len(PdfFileReader(BytesIO(pdf_bytes), strict=False).embedded_signatures)


def sign_pdf(pdf_bytes: bytes, signer_label: str, *, seal: bool = False, box=None, image=None,
             reason: str = "", location: str = "", page: int = -1, centre=None) -> bytes:
    """`pdf_bytes` with one more PAdES signature, labelled `signer_label` (e.g. "申请人 张三"), added as an
    incremental update so that earlier signatures stay valid.

    With `box` (x1, y1, x2, y2 in points on `page`, the last by default) the signature is visible there,
    showing the label, the time and `image` (a PIL image: the signer's handwriting) behind them. With
    `seal` it shows the committee's round seal (`signer_label` on its arc) and the time: it signs last.
    The key is that of `centre`'s committee when it has its own certificate (get_identity)."""
    from pyhanko.pdf_utils.font.opentype import GlyphAccumulatorFactory
    from pyhanko.pdf_utils.images import PdfImage
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.stamp import TextStampStyle

    identity = get_identity(centre=centre)
    signer = _signer(identity.key_file, identity.cert_file, identity.passphrase, identity.trust_files)
    writer = IncrementalPdfFileWriter(BytesIO(pdf_bytes), strict=False)
    field_name = f"Signature{count_signatures(pdf_bytes) + 1}"
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, name=signer_label[:100], reason=reason or signer_label[:100],
        location=location or None, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
    )
    stamp_style = None
    field_spec = fields.SigFieldSpec(field_name)  # invisible
    if seal or box:
        red, ink = (0.8, 0.05, 0.05), (0.1, 0.1, 0.35)
        colour = red if seal else ink
        # The seal says who in its ring; its text box only carries the time, under the star.
        # A drawn signature keeps the upper part of its box; the time goes under it, not over it.
        text = "\n\n\n\n%(ts)s" if seal else ("\n\n%(ts)s" if image is not None else f"{signer_label}\n%(ts)s")
        if image is not None:
            image = _above_the_time(image)
        background = image if image is not None else (seal_image(signer_label) if seal else None)
        stamp_style = TextStampStyle(
            stamp_text=text, timestamp_format="%Y-%m-%d" if seal else "%Y-%m-%d %H:%M", border_width=0,
            background=PdfImage(background) if background is not None else None,
            background_opacity=0.95 if seal else 0.9,
            text_box_style=TextBoxStyle(
                font=GlyphAccumulatorFactory(str(get_stamp_font(text)), font_size=7 if seal else 9),
                text_color=colour,
            ),
        )
        field_spec = fields.SigFieldSpec(field_name, on_page=page, box=box or SEAL_BOX)
    pdf_signer = signers.PdfSigner(meta, signer=signer, stamp_style=stamp_style, new_field_spec=field_spec)
    return run_outside_event_loop(lambda: pdf_signer.sign_pdf(writer).getvalue())


def _above_the_time(drawing):
    """The signer's drawing fitted into the upper two thirds of a transparent canvas of the box's shape
    (3 : 1), so the stamp's time line below it stays readable."""
    from PIL import Image

    canvas = Image.new("RGBA", (900, 300), (255, 255, 255, 0))
    box = drawing.getchannel("A").getbbox() or (0, 0, drawing.width, drawing.height)
    ink = drawing.crop(box)
    ink.thumbnail((860, 190))
    canvas.alpha_composite(ink, ((900 - ink.width) // 2, 8 + (190 - ink.height) // 2))
    return canvas


@lru_cache(maxsize=16)
def seal_image(name: str = ""):
    """A round red official seal: a double ring, `name` (the committee) set along the upper arc, a
    five-pointed star in the centre; everything inside the ring."""
    import math

    from PIL import Image, ImageDraw, ImageFont

    size = 480
    img = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    red = (210, 20, 20, 235)
    cx = cy = size / 2
    draw.ellipse((10, 10, size - 10, size - 10), outline=red, width=16)
    outer, inner = 62, 24
    points = []
    for k in range(10):
        radius = outer if k % 2 == 0 else inner
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=red)
    if name:
        font_size = 50 if len(name) <= 12 else max(30, int(50 * 12 / len(name)))
        font = ImageFont.truetype(str(get_seal_font()), font_size)
        radius = size / 2 - 30 - font_size / 2  # the characters' centres, inside the ring
        span = min(math.radians(250), len(name) * (font_size * 1.05) / radius)  # the arc the name takes
        for i, char in enumerate(name):
            angle = -math.pi / 2 - span / 2 + (span * (i + 0.5) / len(name))
            glyph = Image.new("RGBA", (font_size * 2, font_size * 2), (255, 255, 255, 0))
            ImageDraw.Draw(glyph).text((font_size, font_size), char, font=font, fill=red, anchor="mm")
            glyph = glyph.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
            x = cx + radius * math.cos(angle) - font_size
            y = cy + radius * math.sin(angle) - font_size
            img.alpha_composite(glyph, (int(x), int(y)))
    return img


# ----------------------------------------------------------------------------------------------- verify


class Verdict:
    """Why a PDF is or is not an unaltered document issued by this centre."""

    VALID = "valid"
    NOT_PDF = "not_pdf"
    UNSIGNED = "unsigned"
    ALTERED = "altered"
    NOT_OURS = "not_ours"
    CHANGED_AFTER = "changed_after_signing"


VERDICT_MESSAGES = {
    Verdict.VALID: _("This is an unaltered document signed by the centre."),
    Verdict.NOT_PDF: _("This file is not a readable PDF."),
    Verdict.UNSIGNED: _("This PDF carries no digital signature."),
    Verdict.ALTERED: _("This PDF was altered after it was signed: its signatures do not match its content."),
    Verdict.NOT_OURS: _("This PDF was not issued by this centre: it is signed by a key the centre does not use."),
    Verdict.CHANGED_AFTER: _("Content was added to this PDF after the centre's last signature."),
}


@dataclass
class SignatureInfo:
    """One signature found in a PDF."""

    field: str
    label: str
    signed_at: dt.datetime | None
    intact: bool
    trusted: bool
    signer: str
    whole_file: bool


@dataclass
class Verification:
    """The answer to "is this an unaltered document issued by the centre?"."""

    verdict: str
    sha256: str
    size: int
    centre: str = ""
    signatures: list[SignatureInfo] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.verdict == Verdict.VALID

    @property
    def message(self) -> str:
        return str(VERDICT_MESSAGES[self.verdict])

    @property
    def signed_at(self) -> dt.datetime | None:
        """When the last signature (the centre's) was made."""
        return self.signatures[-1].signed_at if self.signatures else None

    def as_text(self) -> str:
        lines = [
            f"{'VALID' if self.valid else 'INVALID'}: {self.message}",
            f"SHA-256: {self.sha256}",
            f"Size: {self.size} bytes",
        ]
        if self.centre:
            lines.append(f"Issued by: {self.centre}")
        for number, sig in enumerate(self.signatures, 1):
            when = sig.signed_at.isoformat() if sig.signed_at else "?"
            state = "intact" if sig.intact else "DIGEST MISMATCH"
            trust = "trusted" if sig.trusted else "NOT TRUSTED"
            lines.append(f"  {number}. {sig.label or sig.field} · {when} · {state} · {trust} · {sig.signer}")
        return "\n".join(lines)


def run_outside_event_loop(function, *args):
    """pyHanko's synchronous calls run their own event loop, which fails inside a running one (an async
    caller, or Playwright's sync API in tests): run them on a worker thread then."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args).result()


def verify_pdf(pdf_bytes: bytes) -> Verification:
    """Check every signature in the PDF: each digest matches, each signer's certificate chains to a trust
    root of this centre, and the last signature covers the whole file (nothing appended since)."""
    return run_outside_event_loop(_verify_pdf, pdf_bytes)


def _verify_pdf(pdf_bytes: bytes) -> Verification:
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    result = Verification(verdict=Verdict.NOT_PDF, sha256=hashlib.sha256(pdf_bytes).hexdigest(), size=len(pdf_bytes))
    if not pdf_bytes.lstrip()[:5] == b"%PDF-":
        return result
    try:
        embedded = PdfFileReader(BytesIO(pdf_bytes), strict=False).embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError, AttributeError):
        return result
    if not embedded:
        result.verdict = Verdict.UNSIGNED
        return result
    from yiwang.online.certificates import get_committee_trust_files

    identity = get_identity()
    # The platform's own trust anchors and every committee's certificate (each committee signs its own).
    roots = _trust_roots(tuple(dict.fromkeys((*identity.trust_files, *get_committee_trust_files()))))
    for sig in embedded:
        context = ValidationContext(trust_roots=roots, allow_fetching=False, revocation_mode="soft-fail")
        try:
            status = validate_pdf_signature(sig, context)
            intact, trusted = bool(status.intact and status.valid), bool(status.trusted)
            signer = _subject_name(status.signing_cert)
            signed_at = status.signer_reported_dt
            whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
        except (SignatureValidationError, PdfError, ValueError, KeyError, TypeError):
            intact = trusted = whole = False
            signer, signed_at = "", None
        label = str(sig.sig_object.get("/Name", "") or sig.sig_object.get("/Reason", "") or "")
        result.signatures.append(SignatureInfo(sig.field_name, label, signed_at, intact, trusted, signer, whole))
    if not all(s.intact for s in result.signatures):
        result.verdict = Verdict.ALTERED
    elif not all(s.trusted for s in result.signatures):
        result.verdict = Verdict.NOT_OURS
    elif not result.signatures[-1].whole_file:
        result.verdict = Verdict.CHANGED_AFTER
    else:
        result.verdict = Verdict.VALID
        result.centre = result.signatures[-1].signer
    return result
