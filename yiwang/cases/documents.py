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
    """The body that issues the document: the case's mediation team if it has one, else its centre."""
    if case.team_id and case.team.kind in ("mediation", "maritime", "elders", "specialist"):
        return case.team.name
    return case.centre.name


def _facts_withheld(facts: bool) -> str:
    from yiwang.cases.actions import FACTS_WITHHELD

    return "" if facts else str(FACTS_WITHHELD)


def get_acceptance_notice_context(case, *, full_pii: bool = True, facts: bool = True, today=None) -> dict:
    parties = [_party_row(p.snapshot(), full_pii=full_pii) for p in case.parties.all()]
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
    }


def get_agreement_context(case, *, full_pii: bool = True, facts: bool = True) -> dict:
    agreement = case.agreement
    # The agreement prints the parties as they stood when it was signed (art. 29), not as edited since.
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
        # Each party and the committee keep a copy (art. 29).
        "copies": len(parties) + 1,
        "copies_text": _count_text(len(parties) + 1),
        "facts_withheld": _facts_withheld(facts),
    }


def render_acceptance_notice(case, *, full_pii: bool = True, facts: bool = True) -> bytes:
    """受理通知书: the committee tells the applicant the dispute is accepted, and their rights and duties."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_pdf(
            "cases/documents/acceptance_notice.html", get_acceptance_notice_context(case, full_pii=full_pii, facts=facts)
        )


def render_agreement(case, *, full_pii: bool = True, facts: bool = True) -> bytes:
    """调解协议书 with every element art. 29 requires, and signature lines for each party, the mediator
    and the committee's seal."""
    with translation.override(DOCUMENT_LANGUAGE):
        return render_pdf("cases/documents/agreement.html", get_agreement_context(case, full_pii=full_pii, facts=facts))
