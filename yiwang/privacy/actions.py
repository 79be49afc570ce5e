"""Personal-data requests (PIPL art. 45, 46): a person asks for everything held about them, or for it to be
corrected. Staff holding `pii.request` on the case's area do it; every step is audited, with the
identifier masked (the audit log is never anonymised, so it holds no full ID or mobile number).

    get_person_parties(*, by, id_number="", phone="") → QuerySet[Party]   the person's party records by sees
    do_search_person(*, by, id_number="", phone="") → list[Party]          the same, audited (privacy.searched)
    do_export_person(*, by, id_number="", phone="") → dict                 everything, as JSON-ready data
    do_correct_party(party, *, by, reason, **changes) → Party              name, ID number, phone, address

Retention (anonymising archived cases) is yiwang.privacy.retention.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.actions import record
from yiwang.cases.models import Agreement, Case, CaseEvent, Party
from yiwang.cases.people import find_parties, normalise_id_number, normalise_phone
from yiwang.cases.validators import validate_id_number, validate_mobile
from yiwang.core.errors import InputError, PermissionRefused
from yiwang.core.scope import user_can, user_can_reach
from yiwang.pii import mask_id_number, mask_phone

REQUEST = "pii.request"
CORRECTABLE = ("name", "id_number", "phone", "address")


def _check_identifier(id_number: str, phone: str) -> tuple[str, str]:
    id_number, phone = normalise_id_number(id_number), normalise_phone(phone)
    if not id_number and not phone:
        raise InputError({"id_number": [_("Enter the person's ID number or mobile number.")]})
    return id_number, phone


def _masked(id_number: str, phone: str) -> dict:
    return {"id_number": mask_id_number(id_number) if id_number else "", "phone": mask_phone(phone) if phone else ""}


def get_person_parties(*, by, id_number: str = "", phone: str = ""):
    if not user_can(by, REQUEST):
        raise PermissionRefused(_("You may not handle personal-data requests."))
    id_number, phone = _check_identifier(id_number, phone)
    visible = Case.objects.visible_to(by, REQUEST)
    return (find_parties(id_number=id_number, phone=phone).filter(case__in=visible)
            .select_related("case", "case__dispute_type", "case__area").order_by("case__received_at", "pk"))


def do_search_person(*, by, id_number: str = "", phone: str = "") -> list[Party]:
    parties = list(get_person_parties(by=by, id_number=id_number, phone=phone))
    record(by, "privacy.searched", **_masked(normalise_id_number(id_number), normalise_phone(phone)),
           found=len(parties))
    return parties


def _party_data(party: Party) -> dict:
    return {"role": party.role, "kind": party.kind, "name": party.name, "id_number": party.id_number,
            "phone": party.phone, "address": party.address, "credit_code": party.credit_code,
            "representative": party.representative}


def do_export_person(*, by, id_number: str = "", phone: str = "") -> dict:
    """Everything held about the person in the cases `by` may handle requests on: each case they are a party
    to (number, type, area, dates, status, outcome, facts and claims), their party record, the case's timeline
    and the agreements with their details as recorded. Audited."""
    parties = list(get_person_parties(by=by, id_number=id_number, phone=phone))
    case_ids = sorted({p.case_id for p in parties})
    events, agreements = {}, {}
    for event in CaseEvent.objects.filter(case_id__in=case_ids).order_by("at", "pk"):
        events.setdefault(event.case_id, []).append(
            {"at": event.at.isoformat(), "kind": event.kind, "from": event.from_status, "to": event.to_status,
             "reason": event.reason})
    for agreement in Agreement.objects.filter(case_id__in=case_ids).order_by("pk"):
        agreements.setdefault(agreement.case_id, []).append(
            {"facts": agreement.facts, "content": agreement.content, "parties": agreement.parties_snapshot})
    cases = []
    for party in parties:
        case = party.case
        cases.append({
            "case_number": case.number, "dispute_type": str(case.dispute_type), "area": case.area_id,
            "received_at": case.received_at.isoformat(), "status": case.status, "outcome": case.outcome,
            "facts": case.facts, "claims": case.claims, "as_party": _party_data(party),
            "timeline": events.get(case.pk, []), "agreements": agreements.get(case.pk, []),
        })
    id_number, phone = normalise_id_number(id_number), normalise_phone(phone)
    record(by, "privacy.exported", **_masked(id_number, phone), cases=[c["case_number"] for c in cases])
    return {"exported_at": timezone.now().isoformat(), "exported_by": by.get_username(),
            "identifier": {"id_number": id_number, "phone": phone}, "cases": cases}


def do_correct_party(party: Party, *, by, reason: str, **changes) -> Party:
    """Correct a party's personal details on the person's request (PIPL art. 46). `reason` says what the
    request was; only the fields given and different are changed; audited with the field names."""
    unknown = set(changes) - set(CORRECTABLE)
    if unknown:
        raise InputError({name: [_("This field cannot be corrected here.")] for name in sorted(unknown)})
    if not user_can_reach(by, REQUEST, party.case):
        raise PermissionRefused(_("You may not handle personal-data requests on this case."))
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Say what the person asked for.")]
    changes = {k: (v or "").strip() for k, v in changes.items()}
    if "id_number" in changes:
        changes["id_number"] = normalise_id_number(changes["id_number"])
    checks = {"id_number": validate_id_number, "phone": validate_mobile}
    for name, check in checks.items():
        if changes.get(name):
            try:
                check(changes[name])
            except ValidationError as error:
                errors[name] = list(error.messages)
    if "name" in changes and not changes["name"]:
        errors["name"] = [_("A party has a name.")]
    if errors:
        raise InputError(errors)
    with transaction.atomic():
        party = Party.objects.select_for_update().get(pk=party.pk)
        changed = [name for name, value in changes.items() if getattr(party, name) != value]
        for name in changed:
            setattr(party, name, changes[name])
        if changed:
            # The keyed-hash lookup columns follow the numbers they index (yiwang.core.crypto).
            hashes = [f"{name}_hash" for name in changed if name in ("id_number", "phone")]
            party.save(update_fields=changed + hashes)
        record(by, "privacy.corrected", party.case, party=party.pk, fields=changed, reason=reason.strip()[:500])
    return party
