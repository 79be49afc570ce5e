"""Printable documents for a case: the acceptance notice (受理通知书) and the mediation agreement
(调解协议书, People's Mediation Law art. 29), rendered to PDF with the CJK fonts embedded.

The documents are legal papers handed to the parties, so they are always rendered in Chinese whatever
the reader's interface language. Whether personal information is printed in full is the caller's
decision (`full_pii`): the view grants it to users holding pii.view and audits the download. So is
whether the facts and claims are printed (`facts`): only for those who work the case
(actions.can_read_case_facts); otherwise a note says they are withheld.
"""

from django.utils import timezone, translation

from yiwang.documents import render_pdf
from yiwang.pii import mask_address, mask_id_number, mask_phone

DOCUMENT_LANGUAGE = "zh-hans"
CHINESE_NUMERALS = "零一二三四五六七八九十"


def _count_text(n: int) -> str:
    """Counts as written in documents: 三份, not 3份 (in Chinese, up to ten)."""
    if (translation.get_language() or "").startswith("zh") and 0 <= n <= 10:
        return CHINESE_NUMERALS[n]
    return str(n)


def _party_row(data: dict, *, full_pii: bool) -> dict:
    """One party as printed: a dict (from a Party or an agreement's snapshot), masked unless allowed."""
    row = dict(data)
    if not full_pii:
        row["id_number"] = mask_id_number(row.get("id_number", ""))
        row["phone"] = mask_phone(row.get("phone", ""))
        row["address"] = mask_address(row.get("address", ""))
    return row


def get_committee_name(case) -> str:
    """The people's mediation committee (人民调解委员会) that issues the case's documents: the case's
    mediation team when it is itself such a committee, else the committee of the centre handling the
    case. The same name stands in the header, the body, the signature block and the seal."""
    if case.team_id and case.team.kind in ("mediation", "maritime", "elders", "specialist") and (
            case.team.name.endswith("委员会")):
        return case.team.name
    name = case.centre.name
    return name if name.endswith("委员会") else f"{name}人民调解委员会"


def _facts_withheld(facts: bool) -> str:
    from yiwang.cases.actions import FACTS_WITHHELD

    return "" if facts else str(FACTS_WITHHELD)


def get_acceptance_notice_context(case, *, full_pii: bool = True, facts: bool = True, today=None,
                                  party_copy: bool = True) -> dict:
    """The notice is served on the applicant (`party_copy`): the other side's ID number and phone are
    masked on it whatever the reader may see, as the applicant has no need of them; the copy kept on file
    (`party_copy=False`) prints everyone as `full_pii` allows."""
    parties = []
    for p in case.parties.all():
        row = _party_row(p.snapshot(), full_pii=full_pii)
        if party_copy and p.role != "applicant":
            row["id_number"], row["phone"] = mask_id_number(p.id_number), mask_phone(p.phone)
        parties.append(row)
    respondents = [p for p in parties if p["role"] == "respondent"]
    mediators = [a.mediator for a in case.assignments.filter(recused_at__isnull=True).select_related("mediator")]
    return {
        "case": case,
        "committee": get_committee_name(case),
        "applicants": [p for p in parties if p["role"] == "applicant"],
        "respondents": respondents,
        "respondent_names": "、".join(p["name"] for p in respondents),
        "all_parties": parties,
        "mediators": mediators,
        "mediator_names": "、".join(m.display_name or m.get_username() for m in mediators),
        "issued_on": today or timezone.localdate(),
        "facts_withheld": _facts_withheld(facts),
        "party_copy": party_copy,
    }


def get_signer_rows(case, *, slots: bool = False) -> list[dict]:
    """The agreement's signature block, in signing order: each party (applicants, then respondents), the
    mediator, the committee's seal; each with its signature when made. With `slots` each row names the
    anchor where the remote signing's digital signature goes (`slot-<n>`) instead of what was made."""
    from django.utils.translation import gettext as _

    from yiwang.cases.models import SignatureMethod

    agreement = case.agreement
    signatures = list(agreement.signatures.all()) if agreement.pk else []
    by_party = {s.party_id: s for s in signatures if s.party_id}
    by_role = {s.role: s for s in signatures if not s.party_id}
    rows = []
    for party in case.parties.order_by("role", "id"):
        rows.append({"role": party.role, "party": party.pk, "signature": by_party.get(party.pk),
                     "title": f"{_('Applicant') if party.role == 'applicant' else _('Respondent')} {party.name}",
                     "hint": _("(signature, seal or fingerprint)")})
    mediator = agreement.mediator
    name = (mediator.display_name or mediator.get_username()) if mediator else ""
    rows.append({"role": "mediator", "party": None, "signature": by_role.get("mediator"),
                 "title": " ".join(filter(None, [_("People's mediator"), name])), "hint": _("(signature)")})
    rows.append({"role": "committee", "party": None, "signature": by_role.get("committee"),
                 "title": get_committee_name(case), "hint": _("(seal of the people's mediation committee)")})
    how = {SignatureMethod.ONLINE: _("signed online"), SignatureMethod.IN_PERSON: "",
           SignatureMethod.LEGACY: _("signed before signatures were kept on this platform")}
    for n, row in enumerate(rows, 1):
        signature = row["signature"]
        row["slot"] = f"slot-{n}" if slots else ""
        if signature is not None:
            row["signed_on"] = timezone.localtime(signature.signed_at).date()
            if signature.method == SignatureMethod.PAPER:
                row["how"] = _("signed on paper, witnessed by %(witness)s") % {"witness": signature.witness}
            elif row["role"] == "committee" and signature.method != SignatureMethod.LEGACY:
                row["how"] = _("seal applied")
            else:
                row["how"] = how.get(signature.method, "")
    return rows


def get_agreement_context(case, *, full_pii: bool = True, facts: bool = True, signing: bool = False) -> dict:
    agreement = case.agreement
    # The agreement prints the parties as they stood when it was drafted (art. 29), not as edited since.
    snapshot = agreement.parties_snapshot or [p.snapshot() for p in case.parties.all()]
    parties = [_party_row(p, full_pii=full_pii) for p in snapshot]
    return {
        "case": case,
        "agreement": agreement,
        "committee": get_committee_name(case),
        "applicants": [p for p in parties if p.get("role") == "applicant"],
        "respondents": [p for p in parties if p.get("role") == "respondent"],
        "parties": parties,
        "mediator": agreement.mediator,
        "draft": agreement.is_draft and not signing,
        "signing": signing,
        "signers": [] if agreement.oral else get_signer_rows(case, slots=signing),
        # Each party and the committee keep a copy (art. 29).
        "copies": len(parties) + 1,
        "copies_text": _count_text(len(parties) + 1),
        "facts_withheld": _facts_withheld(facts),
    }


def render_acceptance_notice(case, *, full_pii: bool = True, facts: bool = True, party_copy: bool = True) -> bytes:
    """受理通知书: the committee tells the applicant the dispute is accepted, and their rights and duties;
    the applicant's copy (default) or the one kept on file (get_acceptance_notice_context)."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_pdf("cases/documents/acceptance_notice.html", get_acceptance_notice_context(
            case, full_pii=full_pii, facts=facts, party_copy=party_copy))


def render_not_accepted_notice(case, *, full_pii: bool = False) -> bytes:
    """不予受理告知书: the committee tells the applicant it does not take the dispute up, why, and where to
    go instead (the routes told). Served on the applicant: the other side's ID number and phone masked."""
    with translation.override(DOCUMENT_LANGUAGE):
        context = get_acceptance_notice_context(case, full_pii=full_pii, party_copy=True)
        context.update(reason=case.outcome_note, redirect=case.not_accepted_redirect,
                       decided_on=timezone.localtime(case.closed_at).date() if case.closed_at else timezone.localdate())
        return render_pdf("cases/documents/not_accepted_notice.html", context)


def render_agreement(case, *, full_pii: bool = True, facts: bool = True) -> bytes:
    """调解协议书 with every element art. 29 requires and its signature block (each party, the mediator,
    the committee's seal): the draft before it takes effect, marked as such; after, the block filled in
    from the signatures recorded (a printed copy of an agreement signed on paper)."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_pdf("cases/documents/agreement.html", get_agreement_context(case, full_pii=full_pii, facts=facts))


def render_delegation_return(case, *, reason: str = "") -> bytes:
    """委派调解退回函: the committee returns a court-delegated dispute it could not settle to the court for
    filing, naming the court's 案号, the parties (in full: the court needs them for service), the sessions
    held and the materials that go with it."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_pdf("cases/documents/delegation_return.html", {
            "case": case, "delegation": case.delegation, "committee": get_committee_name(case),
            "parties": [p.snapshot() for p in case.parties.all()], "sessions": list(case.sessions.all()),
            "attachments": list(case.attachments.order_by("uploaded_at", "id")), "reason": reason,
            "issued_on": timezone.localdate(),
        })
