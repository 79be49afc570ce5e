"""Likely duplicates of a case by meaning, across types: the same dispute arriving through another channel
(the 12345 hotline with another type and only a name and an address) is found by what it says.

Signals, each with a weight of evidence, combined as independent (1 − Π(1 − s)):
    a party's ID number or mobile number shared        0.9
    a vessel in common (registry vessel of the maritime
    record, registration number, or one of the names)  0.6
    an applicant of the same name in the same town     0.5
    the same respondent (credit code, or name)         0.4
    the facts alike: 0.5 at a cosine of TEXT_MIN (character 2–3-gram TF-IDF), rising with it
                                                       (two people's own words for one dispute come out
                                                       near 0.4; unrelated disputes near 0.05)
Only cases the reader may see are compared (never across scope), received within DUPLICATE_DAYS of this
one, not merged. Staff decide the merge, with the cases' merge action."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.apps import apps
from django.utils.translation import gettext as _

DUPLICATE_DAYS = 90
TEXT_MIN = 0.3
THRESHOLD = 0.5
MAX_CANDIDATES = 2000
TOWN_CODE = 9


@dataclass
class Duplicate:
    """Another case that may be the same dispute, with a score in [0, 1] and the reasons."""

    case: object
    score: float
    reasons: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"case": self.case.pk, "number": self.case.number, "dispute_type": self.case.dispute_type.code,
                "score": round(self.score, 2), "reasons": self.reasons}


def _keys(case):
    parties = list(case.parties.all())
    applicants = [p for p in parties if p.role == "applicant"]
    respondents = [p for p in parties if p.role == "respondent"]
    return {
        "ids": {p.id_number for p in parties if p.id_number}, "phones": {p.phone for p in parties if p.phone},
        "names": {p.name for p in applicants if p.name},
        "respondents": {p.credit_code or p.name for p in respondents if p.credit_code or p.name},
    }


_NAMES = re.compile(r"[、,，;；/\s]+")


def _vessel_keys(cases) -> dict[int, set]:
    """Per case: the vessels it involves, as ("registry", id), ("number", …) and ("name", …) keys. The
    registry's vessels come from the maritime app's record when that app is installed (read through the
    app registry: triage does not depend on it)."""
    keys: dict[int, set] = {c.pk: set() for c in cases}
    for c in cases:
        if c.vessel_number:
            keys[c.pk].add(("number", c.vessel_number.strip().upper()))
        keys[c.pk].update(("name", name) for name in _NAMES.split(c.vessel_name or "") if name)
    if apps.is_installed("yiwang.maritime"):
        through = apps.get_model("maritime", "MaritimeRecord").vessels.through
        rows = through.objects.filter(maritimerecord__case_id__in=list(keys)).values_list(
            "maritimerecord__case_id", "vessel_id", "vessel__name")
        for case_id, vessel_id, name in rows:
            keys[case_id].update({("registry", vessel_id), ("name", name)})
    return keys


def _text_similarity(text: str, others: list[str]) -> list[float]:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    if not others:
        return []
    vectoriser = TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True)
    matrix = vectoriser.fit_transform([text, *others])
    return list(cosine_similarity(matrix[0], matrix[1:])[0])


def find_duplicates(case, user, *, limit: int = 5) -> list[Duplicate]:
    """The likeliest duplicates of `case` among the cases `user` may see, best first."""
    from yiwang.cases.models import Case

    since = case.received_at - dt.timedelta(days=DUPLICATE_DAYS)
    until = case.received_at + dt.timedelta(days=DUPLICATE_DAYS)
    candidates = list(
        Case.objects.visible_to(user, "case.view").filter(received_at__range=(since, until))
        .exclude(pk=case.pk).exclude(status="merged").select_related("dispute_type")
        .prefetch_related("parties").order_by("-received_at")[:MAX_CANDIDATES]
    )
    mine = _keys(case)
    vessels = _vessel_keys([case, *candidates])
    similarities = _text_similarity(f"{case.facts} {case.claims}", [f"{c.facts} {c.claims}" for c in candidates])
    out = []
    for other, similarity in zip(candidates, similarities, strict=True):
        theirs = _keys(other)
        signals: list[tuple[float, str]] = []
        if mine["ids"] & theirs["ids"] or mine["phones"] & theirs["phones"]:
            signals.append((0.9, _("a party's ID number or mobile number is the same")))
        if vessels[case.pk] & vessels[other.pk]:
            signals.append((0.6, _("the same vessel")))
        if mine["names"] & theirs["names"] and case.area_id[:TOWN_CODE] == other.area_id[:TOWN_CODE]:
            signals.append((0.5, _("an applicant of the same name in the same town")))
        if mine["respondents"] & theirs["respondents"]:
            signals.append((0.4, _("the same respondent")))
        if similarity >= TEXT_MIN:
            signals.append((0.5 + float(similarity) - TEXT_MIN, _("the facts are %(n)s%% alike") % {"n": round(similarity * 100)}))
        remaining = 1.0
        for weight, _reason in signals:
            remaining *= 1 - min(weight, 0.99)
        score = 1 - remaining
        if score >= THRESHOLD:
            reasons = [reason for _w, reason in signals]
            if other.dispute_type_id != case.dispute_type_id:
                reasons.append(_("registered as %(type)s") % {"type": other.dispute_type.name})
            out.append(Duplicate(other, score, reasons))
    out.sort(key=lambda d: (-d.score, -d.case.pk))
    return out[:limit]
