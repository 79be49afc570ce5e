"""How a written agreement takes effect (People's Mediation Law art. 29): every party signs, online or on
paper, then the mediator signs, then the committee's seal is applied. The seal's date is the date it
takes effect (`Agreement.effective_on`) and the mediator's the date it was signed (`signed_on`): both
follow from these steps, never typed. Until the seal the case stays in mediation.

    do_record_paper_signature(case, by=, party=, scan=, witness=)   the mediator records a party's
        signature on paper, with a scan of the signed page and who witnessed it
    do_record_online_signature(case, by=, party=, drawing=b"")      a party signed through their link
        (the citizen side, acting as the centre's 解纷码 identity, records it with the drawing)
    do_sign_agreement(case, by=)     the mediator signs, once every party has
    do_seal_agreement(case, by=)     the committee's seal: the agreement takes effect, mediating → agreed

Each writes one AgreementSignature and one timeline event; the citizen side's hook adds the matching
digital signature to the agreement's PDF when it was put up for remote signing.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.cases.actions._base import (
    CONFIRMATION_WINDOW_DAYS,
    CaseInputError,
    _event,
    _lock,
    _move,
    _save,
    _today,
    check_step,
)
from yiwang.cases.actions.intake import store_attachment
from yiwang.cases.models import (
    AgreementSignature,
    Case,
    EventKind,
    Outcome,
    Party,
    SignatureMethod,
    SignerRole,
    Status,
)
from yiwang.core import uploads
from yiwang.core.calendar import add_days_rolled

ROLE_WORDS = {"applicant": "申请人", "respondent": "被申请人"}  # as printed on the agreement


def get_signer_label(party: Party) -> str:
    """How a party's signature is labelled on the agreement: "申请人 张三"."""
    return f"{ROLE_WORDS.get(party.role, party.role)} {party.name}"


def _signature(case: Case, by, *, role: str, method: str, label: str, party=None, **extra) -> AgreementSignature:
    return AgreementSignature.objects.create(
        agreement=case.agreement, role=role, party=party, method=method, label=label[:100],
        signed_at=timezone.now(), recorded_by=by, **extra)


def _party_of(case: Case, party) -> Party:
    party_id = getattr(party, "pk", party)
    found = case.parties.filter(pk=party_id).first() if party_id else None
    if found is None:
        raise CaseInputError({"party": [_("Choose the party who signed.")]})
    if found.pk not in case.agreement.get_unsigned_parties():
        raise CaseInputError({"party": [_("%(name)s has already signed.") % {"name": found.name}]})
    return found


@transaction.atomic
def do_record_paper_signature(case: Case, *, by, party, scan=None, witness: str = "", version=None
                              ) -> AgreementSignature:
    """A party signed (or sealed, or fingerprinted) the agreement on paper: the mediator records it with a
    scan of the signed page (kept as the case's attachment) and who witnessed the signing."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "record_paper_signature")
    errors: dict = {}
    witness = (witness or "").strip()
    if not witness:
        errors["witness"] = [_("Say who witnessed the signature.")]
    elif len(witness) > 100:
        errors["witness"] = [_("At most 100 characters.")]
    try:
        party = _party_of(case, party)
    except CaseInputError as error:
        errors.update(error.message_dict)
    if scan is None:
        errors["scan"] = [_("Attach a scan or photo of the signed page.")]
    if errors:
        raise CaseInputError(errors)
    attachment = store_attachment(case, by=by, file=scan, field="scan", kinds=(uploads.PDF, *uploads.IMAGES),
                                  refusal=_("Attach the scan as a PDF or a picture (JPEG, PNG)."))
    signature = _signature(case, by, role=party.role, method=SignatureMethod.PAPER, label=get_signer_label(party),
                           party=party, scan=attachment, witness=witness)
    _save(case, [])
    _event(case, by, EventKind.AGREEMENT_SIGNED, permission=permission, signature=signature.pk, role=party.role,
           method=signature.method, party=party.pk, name=party.name, witness=witness)
    return signature


@transaction.atomic
def do_record_online_signature(case: Case, *, by, party, drawing: bytes = b"", version=None) -> AgreementSignature:
    """A party signed through their private link (proved by link and code on the citizen side), with the
    signature they drew. Recorded by the centre's 解纷码 identity, or staff."""
    case = _lock(case, by, version)
    permission = check_step(case, by, "record_online_signature")
    party = _party_of(case, party)
    signature = _signature(case, by, role=party.role, method=SignatureMethod.ONLINE, label=get_signer_label(party),
                           party=party)
    if drawing:
        signature.drawing.save(f"{case.number}-{signature.pk}.png", ContentFile(drawing), save=True)
    _save(case, [])
    _event(case, by, EventKind.AGREEMENT_SIGNED, permission=permission, signature=signature.pk, role=party.role,
           method=signature.method, party=party.pk, name=party.name, actor_name=party.name)
    return signature


@transaction.atomic
def do_sign_agreement(case: Case, *, by, drawing: bytes = b"", version=None) -> Case:
    """The mediator signs the agreement, after every party has; with `drawing` (a PNG of the signature
    drawn on the screen, as a party's online signature) it is kept and drawn into the mediator's box."""
    from django.core.files.base import ContentFile

    case = _lock(case, by, version)
    permission = check_step(case, by, "sign_agreement")
    name = by.display_name or by.get_username()
    signature = _signature(case, by, role=SignerRole.MEDIATOR, method=SignatureMethod.IN_PERSON,
                           label=f"调解员 {name}")
    if drawing:
        signature.drawing.save(f"{case.number}-mediator.png", ContentFile(drawing), save=True)
    agreement = case.agreement
    agreement.mediator = by
    agreement.signed_on = timezone.localtime(signature.signed_at).date()
    agreement.save(update_fields=["mediator", "signed_on"])
    _save(case, [])
    _event(case, by, EventKind.AGREEMENT_SIGNED, permission=permission, signature=signature.pk,
           role=SignerRole.MEDIATOR, method=signature.method)
    return case


@transaction.atomic
def do_seal_agreement(case: Case, *, by, version=None) -> Case:
    """The committee's seal is applied after the mediator's signature: the agreement takes effect today
    (mediating → agreed), and the 30 days for judicial confirmation (art. 33) start."""
    from yiwang.cases.documents import get_committee_name

    case = _lock(case, by, version)
    permission = check_step(case, by, "seal_agreement")
    signature = _signature(case, by, role=SignerRole.COMMITTEE, method=SignatureMethod.IN_PERSON,
                           label=get_committee_name(case))
    agreement = case.agreement
    agreement.effective_on = timezone.localtime(signature.signed_at).date()
    agreement.save(update_fields=["effective_on"])
    previous = _move(case, Status.AGREED)
    case.outcome = Outcome.AGREEMENT
    case.deadline = add_days_rolled(max(agreement.effective_on, _today()), CONFIRMATION_WINDOW_DAYS)
    _save(case, ["status", "outcome", "deadline"])
    _event(case, by, EventKind.AGREEMENT_RECORDED, permission=permission, from_status=previous,
           signature=signature.pk, role=SignerRole.COMMITTEE, effective_on=agreement.effective_on.isoformat())
    return case
