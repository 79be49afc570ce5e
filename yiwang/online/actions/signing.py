"""Remote signing, sealing and judicial confirmation: the agreement is put up for signing, each party
signs with a drawn signature and a code, the mediator signs and the centre's seal follows; then the
court application is assembled. The PDF signatures themselves are yiwang.online.signing's.

    do_prepare_signing(case, *, by, base_url, version=None) → SignedAgreement   a drafted agreement (the
        case still mediating) → its PDF with empty boxes in the signature block; each party gets their link
    do_request_signing_code(access) → OneTimeCode
    do_sign_as_party(access, *, code, drawing) → Signature       drawn signature + code → recorded through
        cases.actions.do_record_online_signature
    do_sign_as_mediator(case, *, by, drawing="", version=None) → SignedAgreement   after every party: the mediator's
        signature, then the committee's seal (cases.actions.do_sign_agreement, do_seal_agreement): in effect
    mirror_signature(case, event)   hook: every step of art. 29 the disputes app records (online or paper
        signature, mediator, seal) becomes one PAdES signature in its box; the seal completes the file
    check_confirmation(case, *, by)                             SigningRefused unless it may be assembled now
    do_assemble_confirmation(case, *, by, version=None) → (zip bytes, name)   application + agreement;
        records that the parties applied (art. 33)
    get_signed_agreement(case), get_pending_parties(signed), get_signed_pdf(signed)
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.actions import record
from yiwang.cases import actions as case_actions
from yiwang.cases.models import Case
from yiwang.online.actions.access import check_code, do_open_access, get_access_url, send_party_code
from yiwang.online.actions.base import (
    SigningRefused,
    check_case_version,
    check_mediator,
    get_online_intake_user,
    party_label,
)
from yiwang.online.models import CodePurpose, OneTimeCode, PartyAccess, Signature, SignedAgreement
from yiwang.online.notify import notify_parties

MAX_DRAWING_BYTES = 300 * 1024


def _store_pdf(signed: SignedAgreement, pdf: bytes, step: int) -> None:
    """Keep `pdf` as the agreement's file (one per step, so each signed state stays on disk) and its hash."""
    name = f"{signed.case.number}-{step}.pdf"
    signed.pdf.save(name, ContentFile(pdf), save=False)
    signed.sha256 = hashlib.sha256(pdf).hexdigest()


def get_signed_pdf(signed: SignedAgreement) -> bytes:
    """The agreement's PDF as it stands now (after the latest signature); 404 when the stored file is gone."""
    from yiwang.core.uploads import read_stored_file

    return read_stored_file(signed.pdf)


def check_drawing(data_url: str):
    """The handwritten signature a party drew on the screen: a PNG data URL, not empty, not too big.
    Returns (png bytes, PIL image)."""
    from PIL import Image, UnidentifiedImageError

    prefix = "data:image/png;base64,"
    if not isinstance(data_url, str) or not data_url.startswith(prefix):
        raise SigningRefused(_("Draw your signature in the box."), code="no_drawing")
    try:
        png = base64.b64decode(data_url[len(prefix):], validate=True)
    except (binascii.Error, ValueError):
        raise SigningRefused(_("Draw your signature in the box."), code="no_drawing") from None
    if len(png) > MAX_DRAWING_BYTES:
        raise SigningRefused(_("The drawing is too large."), code="drawing_too_large")
    try:
        image = Image.open(BytesIO(png))
        image.load()
    except (UnidentifiedImageError, OSError, ValueError):
        raise SigningRefused(_("Draw your signature in the box."), code="no_drawing") from None
    if image.format != "PNG" or image.width > 2000 or image.height > 2000:
        raise SigningRefused(_("Draw your signature in the box."), code="no_drawing")
    image = image.convert("RGBA")
    if image.getchannel("A").getbbox() is None:  # nothing drawn
        raise SigningRefused(_("Draw your signature in the box."), code="empty_drawing")
    return png, image


def do_prepare_signing(case, *, by, base_url: str, version: int | None = None) -> SignedAgreement:
    """The mediator puts the drafted agreement up for remote signing: the PDF with its signature block is
    made, and each party with a mobile number gets their link by SMS. The case stays in mediation until
    the agreement takes effect (every party, the mediator, the seal: cases.actions.signing). `version`:
    the case's, as read."""
    from yiwang.online.documents import render_agreement_for_signing

    check_mediator(by, case, SigningRefused)
    agreement = getattr(case, "agreement", None) if hasattr(case, "agreement") else None
    if agreement is None or case.status != "mediating" or not agreement.is_draft:
        raise SigningRefused(_("Draft the agreement first: remote signing starts from a drafted agreement."))
    if agreement.oral:
        raise SigningRefused(_("An oral agreement is recorded by the mediator, not signed remotely."))
    with transaction.atomic():
        check_case_version(case, version)
        existing = SignedAgreement.objects.select_for_update().filter(case=case).first()
        if (existing is not None and existing.signatures.exists()) or agreement.signatures.exists():
            raise SigningRefused(_("Signing has already started; the agreement can no longer be redrafted."))
        from yiwang.online.documents import MAX_SLOTS

        parties = list(case.parties.all())
        # Remote signing holds MAX_SLOTS signers (the parties', the mediator's and the seal): a group
        # dispute's agreement is signed on paper.
        if len(parties) + 2 > MAX_SLOTS:
            raise SigningRefused(_("This agreement has more parties than the signing page holds (%(n)s at most): "
                                   "sign it on paper.") % {"n": MAX_SLOTS - 2})
        if len(agreement.parties_snapshot) != len(parties):
            raise SigningRefused(_("The parties changed after the agreement was recorded: record it again."))
        pdf, slots = render_agreement_for_signing(case)
        signed = existing or SignedAgreement(case=case)
        signed.slots = slots
        signed.created_at, signed.created_by, signed.completed_at = timezone.now(), by, None
        _store_pdf(signed, pdf, 0)
        signed.original_sha256 = signed.sha256
        signed.save()
        record(by, "online.signing_prepared", signed, area_code=case.area_id, sha256=signed.sha256)
        # A live link keeps working (only its hash is stored, so it cannot be sent again as is); a party
        # with a mobile and no link gets a new one.
        linked = set(PartyAccess.objects.filter(party__case=case, revoked_at__isnull=True)
                     .values_list("party_id", flat=True))
        tokens = {party.pk: do_open_access(party, by=by)[1]
                  for party in parties if party.phone and party.pk not in linked}

        def text(party) -> str:
            if party.pk not in tokens:
                return _("%(centre)s: the mediation agreement of case %(number)s is ready. Open your case link "
                         "to read and sign it.") % {"centre": case.centre.name, "number": case.number}
            return _("%(centre)s: the mediation agreement of case %(number)s is ready. Read and sign it "
                     "here: %(url)s") % {"centre": case.centre.name, "number": case.number,
                                         "url": get_access_url(tokens[party.pk], base_url)}

        notify_parties(case, text, key=f"online.signing_prepared:{signed.pk}:{signed.created_at.isoformat()}",
                       secret=True)
    return signed


def get_signed_agreement(case) -> SignedAgreement | None:
    """The case's agreement put up for remote signing (signed and sealed or not), or None."""
    return SignedAgreement.objects.filter(case=case).first()


def get_pending_parties(signed: SignedAgreement) -> list[int]:
    """The parties (pks) who have not signed yet."""
    done = set(signed.signatures.exclude(party=None).values_list("party_id", flat=True))
    return [slot["party"] for slot in signed.slots if slot["party"] and slot["party"] not in done]


def _slot(signed: SignedAgreement, *, party=None, role=None) -> dict | None:
    """The signing page's box for this party (or role: "mediator", "centre"), as prepared."""
    for slot in signed.slots:
        if (party is not None and slot["party"] == party.pk) or (role is not None and slot["role"] == role):
            return slot
    return None


def _append_signature(signed: SignedAgreement, *, label: str, role: str, box=None, image=None, seal=False,
                      party=None, user=None, drawing: bytes = b"", page: int = -1) -> Signature:
    """Sign the agreement's PDF once more (inside the caller's transaction, on the locked row) and record
    the signature with its order, time, address and the file's new hash."""
    from yiwang.audit.context import get_origin
    from yiwang.online.signing import sign_pdf

    order = signed.signatures.count() + 1
    pdf = sign_pdf(get_signed_pdf(signed), label, box=tuple(box) if box else None, image=image, seal=seal,
                   location=signed.case.centre.name, page=page, centre=signed.case.centre)
    _store_pdf(signed, pdf, order)
    signed.save(update_fields=["pdf", "sha256"])
    signature = Signature(
        agreement=signed, order=order, role=role, party=party, user=user, label=label,
        signed_at=timezone.now(), ip_address=get_origin().ip, sha256=signed.sha256,
    )
    if drawing:
        signature.drawing.save(f"{signed.case.number}-{order}.png", ContentFile(drawing), save=False)
    signature.save()
    return signature


def do_request_signing_code(access: PartyAccess) -> OneTimeCode:
    """SMS the code that confirms a party's signature."""
    return send_party_code(access, CodePurpose.SIGN)


def do_sign_as_party(access: PartyAccess, *, code: str, drawing: str) -> Signature:
    """A party signs: their drawn signature and the one-time code sent for signing. The signature is
    recorded in the disputes app (cases.actions.do_record_online_signature, as the centre's 解纷码
    identity), whose hook (mirror_signature) adds the digital signature in their name to the PDF."""
    party = access.party
    case = party.case
    png, _image = check_drawing(drawing)
    with transaction.atomic():
        signed = SignedAgreement.objects.select_for_update().filter(case=case).first()
        if signed is None or signed.completed_at is not None:
            raise SigningRefused(_("There is no agreement waiting for your signature."))
        if party.pk not in get_pending_parties(signed):
            raise SigningRefused(_("You have already signed this agreement."))
    # The code is checked (and a wrong try counted) in its own transaction, before anything is signed.
    check_code(party.phone, CodePurpose.SIGN, code, access=access)
    with transaction.atomic():
        signed = SignedAgreement.objects.select_for_update().get(pk=signed.pk)
        if party.pk not in get_pending_parties(signed):
            raise SigningRefused(_("You have already signed this agreement."))
        locked = Case.objects.get(pk=case.pk)
        try:
            case_actions.do_record_online_signature(locked, by=get_online_intake_user(locked.centre), party=party,
                                                    drawing=png)
        except case_actions.StaleCase:
            raise
        except case_actions.CaseActionError as exc:
            raise SigningRefused(" ".join(exc.messages)) from None
        signature = signed.signatures.get(party=party)
        record(None, "online.party_signed", signed, area_code=case.area_id, actor_name=party.name,
               party=party.pk, order=signature.order, sha256=signature.sha256)
    return signature


def do_sign_as_mediator(case, *, by, drawing: str = "", version: int | None = None) -> SignedAgreement:
    """The mediator signs once every party has, and the committee's seal follows at once: the agreement
    takes effect (art. 29; cases.actions.do_sign_agreement then do_seal_agreement, each mirrored into the
    PDF by mirror_signature). With `drawing` (a data URL, as a party draws theirs) the mediator's
    handwriting goes into their box. Each party is told by SMS. `version`: the case's, as read."""
    check_mediator(by, case, SigningRefused)
    png = check_drawing(drawing)[0] if drawing else b""
    with transaction.atomic():
        check_case_version(case, version)
        signed = SignedAgreement.objects.select_for_update().filter(case=case).first()
        if signed is None:
            raise SigningRefused(_("The agreement has not been put up for signing."))
        if signed.completed_at is not None:
            raise SigningRefused(_("The agreement is already signed and sealed."))
        if get_pending_parties(signed):
            raise SigningRefused(_("Every party must sign before the mediator."))
        try:
            fresh = Case.objects.get(pk=case.pk)
            if case.agreement.signature_of(role="mediator") is None:
                fresh = case_actions.do_sign_agreement(fresh, by=by, drawing=png)
            case_actions.do_seal_agreement(fresh, by=by)
        except case_actions.StaleCase:
            raise
        except case_actions.CaseActionError as exc:
            raise SigningRefused(" ".join(exc.messages)) from None
        signed.refresh_from_db()
    return signed


def mirror_signature(case, event) -> None:
    """Hook core.hooks.case_changed: a step of art. 29 recorded in the disputes app (a party's signature
    online or on paper, the mediator's, the committee's seal) is added to the agreement's PDF as one more
    PAdES signature in the signer's box, when the agreement was put up for remote signing. The seal
    completes the file: it becomes the case's signed and sealed agreement, and the parties are told."""
    from yiwang.cases.models import AgreementSignature, EventKind

    if event.kind not in (EventKind.AGREEMENT_SIGNED, EventKind.AGREEMENT_RECORDED) or "signature" not in event.detail:
        return
    signed = SignedAgreement.objects.select_for_update().filter(case=case, completed_at__isnull=True).first()
    if signed is None:
        return
    step = AgreementSignature.objects.select_related("party", "scan").get(pk=event.detail["signature"])
    if step.party_id:
        slot, role = _slot(signed, party=step.party), step.party.role
        label = party_label(step.party)
        if step.method == "paper":
            label = f"{label}（纸质签署，见证人：{step.witness}）"
        image, png = None, b""
        if step.drawing:
            from PIL import Image

            with step.drawing.open("rb") as handle:
                png = handle.read()
            image = Image.open(BytesIO(png)).convert("RGBA")
        _append_signature(signed, label=label, role=role, box=slot["box"] if slot else None, image=image,
                          party=step.party, drawing=png, page=slot.get("page", -1) if slot else -1)
        return
    if step.role == "mediator":
        slot = _slot(signed, role="mediator")
        image, png = None, b""
        if step.drawing:  # drawn on the screen, like a party's
            from PIL import Image

            with step.drawing.open("rb") as handle:
                png = handle.read()
            image = Image.open(BytesIO(png)).convert("RGBA")
        _append_signature(signed, label=step.label, role="mediator", box=slot["box"] if slot else None,
                          image=image, drawing=png, user=step.recorded_by, page=slot.get("page", -1) if slot else -1)
        return
    slot = _slot(signed, role="centre")
    _append_signature(signed, label=step.label, role="centre", box=slot["box"] if slot else None, seal=True,
                      user=step.recorded_by, page=slot.get("page", -1) if slot else -1)
    signed.completed_at = timezone.now()
    signed.save(update_fields=["completed_at"])
    agreement = case.agreement
    agreement.sealed_pdf.name = signed.pdf.name  # the one document of record from now on
    agreement.save(update_fields=["sealed_pdf"])
    record(step.recorded_by, "online.agreement_sealed", signed, area_code=case.area_id, sha256=signed.sha256)
    text = _("%(centre)s: the agreement of case %(number)s is signed by everyone and sealed. "
             "Open your case link to download it.") % {"centre": case.centre.name, "number": case.number}
    notify_parties(case, text, key=f"online.agreement_sealed:{signed.pk}")


# -------------------------------------------------------------------------------- judicial confirmation


def check_confirmation(case, *, by) -> None:
    """SigningRefused unless `by` may assemble the judicial confirmation application of `case` now: a
    mediator or a court liaison, an agreement that has taken effect, and (before anyone applied) the 30
    days of art. 33 still open."""
    # As do_apply_confirmation asks: the case's assigned mediator, or the court whose case it is.
    if not (case_actions.check_case_party(case, by, "case.mediate")
            or case_actions.check_case_party(case, by, "case.court")):
        raise SigningRefused(_("You may not apply for judicial confirmation of case %(number)s.")
                             % {"number": case.number})
    agreement = getattr(case, "agreement", None) if hasattr(case, "agreement") else None
    if agreement is None or not agreement.is_effective or case.status not in ("agreed", "confirmation_pending"):
        raise SigningRefused(_("Judicial confirmation needs an agreement that has taken effect."))
    if agreement.oral:
        raise SigningRefused(_("An oral agreement is not submitted for judicial confirmation."))
    deadline = case.agreement.effective_on + dt.timedelta(days=case_actions.CONFIRMATION_WINDOW_DAYS)
    if case.status == "agreed" and timezone.localdate() > deadline:
        raise SigningRefused(_("The 30 days for applying for judicial confirmation ended on %(date)s.")
                             % {"date": deadline.isoformat()})


def do_assemble_confirmation(case, *, by, version: int | None = None) -> tuple[bytes, str]:
    """One action for judicial confirmation (art. 33): within 30 days of the agreement taking effect,
    assemble the court application (the joint application with each party's identity and address for
    service, and the agreement — the sealed PDF when it was signed remotely) and record through the
    disputes app that the parties applied; the court's answer is then recorded there
    (do_record_confirmation). Returns the ZIP file's bytes and its name. `version`: the case's, as read."""
    from yiwang.cases.documents import render_agreement
    from yiwang.documents import build_package
    from yiwang.online.documents import render_confirmation_application

    check_confirmation(case, by=by)
    signed = SignedAgreement.objects.filter(case=case, completed_at__isnull=False).first()
    with transaction.atomic():
        check_case_version(case, version)
        if case.status == "agreed":
            case = case_actions.do_apply_confirmation(case, by=by)
        court = case.agreement.confirmation_court
        application = render_confirmation_application(case, court=court, signed=signed)
        agreement_pdf = get_signed_pdf(signed) if signed else render_agreement(case, full_pii=True)
        package = build_package([("01-司法确认申请书.pdf", application), ("02-人民调解协议书.pdf", agreement_pdf)])
        record(by, "online.confirmation_assembled", case, court=court.name if court else "",
               agreement_sha256=hashlib.sha256(agreement_pdf).hexdigest())
    return package, f"{case.number}-司法确认.zip"

