"""Which mediators to name for a case, best first, with the reasons beside each name.

The pool is whoever may mediate in the case's area today (core.scope.get_users_who_can("case.mediate")),
exactly the people cases.do_assign accepts. Never suggested: a mediator already on the case, one who
recused from it, one with a recorded conflict with a party (a relative, a colleague), with an
organisation that is a party (their employer) or with the village or town where the dispute arose (an
office held there), one who once recused from another case of the same person (recusals are
remembered), one away today (leave, training) and one already carrying as many open cases as their
profile allows. Among the rest the score adds, with the weights below: the type declared in the
mediator's profile; past cases of the type (how many, how many ended in agreement, how fast); the number
of cases they carry now; living in the same village or town; speaking a language or dialect the parties
speak (recorded for the case, CaseLanguage) or the reader asks for. The assignment stays a person's
choice."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from yiwang.core import crypto
from yiwang.core.scope import get_users_who_can
from yiwang.triage.models import CaseLanguage, Conflict, ConflictKind, Language, MediatorProfile

W_DECLARED = 2.0
W_EXPERIENCE = 1.5  # at 10 or more past cases of the type
W_SUCCESS = 1.5  # times the share of agreements among them
W_SPEED = 0.5  # at closing within a month; less the slower
W_LOAD = 0.3  # per case carried now
W_VILLAGE, W_TOWN = 1.5, 0.8
W_DIALECT = 1.0
ACTIVE_STATUSES = ("accepted", "assigned", "mediating")
TOWN_CODE = 9


@dataclass
class Recommendation:
    """One mediator with a score and the reasons for it (or, when excluded, why)."""

    mediator: object
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    excluded: str = ""

    def as_dict(self) -> dict:
        return {"mediator": self.mediator.pk, "name": str(self.mediator), "score": round(self.score, 2),
                "reasons": self.reasons, **({"excluded": self.excluded} if self.excluded else {})}


def _party_keys(case):
    """(ID numbers, person names, credit codes, organisation names) of the case's parties."""
    parties = list(case.parties.all())
    people = [p for p in parties if p.kind == "person"]
    organisations = [p for p in parties if p.kind != "person"]
    return ({p.id_number for p in people if p.id_number}, {p.name for p in people if p.name},
            {p.credit_code for p in organisations if p.credit_code}, {p.name for p in organisations if p.name})


def _conflict_q(case):
    from yiwang.areas.models import Area

    ids, names, codes, organisations = _party_keys(case)
    places = Area.objects.filter(code__in=[case.area_id[:n] for n in range(1, len(case.area_id) + 1)])
    return (Q(kind=ConflictKind.PERSON) & (crypto.match_any("id_number", ids) | Q(id_number="", person_name__in=names))
            | Q(kind=ConflictKind.ORGANISATION) & (Q(credit_code__in=codes) | Q(credit_code="", person_name__in=organisations))
            | Q(kind=ConflictKind.VILLAGE, area__in=places))


def get_exclusions(case, candidate_ids) -> dict[int, str]:
    """Why each excluded candidate may not be suggested for this case."""
    from yiwang.cases.models import Assignment, Party

    out: dict[int, str] = {}
    for a in Assignment.objects.filter(case=case, mediator_id__in=candidate_ids):
        out[a.mediator_id] = _("recused from this case") if a.recused_at else _("already on this case")
    ids = _party_keys(case)[0]
    conflicts = Conflict.objects.filter(mediator_id__in=candidate_ids).filter(_conflict_q(case)).select_related("area")
    for conflict in conflicts:
        if conflict.kind == ConflictKind.VILLAGE:
            reason = _("%(relation)s in %(place)s, where the dispute arose (%(note)s)")
        elif conflict.kind == ConflictKind.ORGANISATION:
            reason = _("%(relation)s: %(place)s, a party (%(note)s)")
        else:
            reason = _("%(relation)s of a party (%(note)s)")
        out.setdefault(conflict.mediator_id, reason % {
            "relation": conflict.get_relation_display(), "place": conflict.subject,
            "note": conflict.note or conflict.subject})
    # A recusal on another case of the same person (matched by ID number) is remembered.
    if ids:
        others = Party.objects.filter(crypto.match_any("id_number", ids)).exclude(case=case).values("case_id")
        for a in Assignment.objects.filter(case_id__in=others, mediator_id__in=candidate_ids, recused_at__isnull=False):
            out.setdefault(a.mediator_id, _("recused before from a case of the same party"))
    return out


def _history(case, candidate_ids):
    """Per mediator: [past cases of the type, agreements, days to close in total, cases carried now]."""
    from yiwang.cases.models import Assignment

    stats = defaultdict(lambda: [0, 0, 0.0, 0])
    rows = (Assignment.objects.filter(mediator_id__in=candidate_ids, recused_at__isnull=True)
            .exclude(case=case).select_related("case"))
    for a in rows:
        c = a.case
        entry = stats[a.mediator_id]
        if c.status in ACTIVE_STATUSES:
            entry[3] += 1
        if c.dispute_type_id == case.dispute_type_id and c.outcome in ("agreement", "terminated"):
            # Mediation ended when the outcome was written: the case is closed only after follow-up, so
            # until then its last change is that moment.
            ended = c.closed_at or c.updated_at
            entry[0] += 1
            entry[1] += c.outcome == "agreement"
            entry[2] += max(0.0, (ended - a.assigned_at).total_seconds() / 86400)
    return stats


def get_case_language_ids(case, dialect: str = "") -> set[int]:
    """The languages recorded for the case's parties, with one the reader asks for (a code or a name)."""
    row = CaseLanguage.objects.filter(case=case).first()
    wanted = {lang.pk for lang in row.languages.all()} if row else set()
    if dialect:
        wanted |= set(Language.objects.filter(Q(code=dialect) | Q(name=dialect)).values_list("pk", flat=True))
    return wanted


def recommend_mediators(case, *, dialect: str = "", limit: int = 10, today=None) -> tuple[list[Recommendation], list[Recommendation]]:
    """(suggested best first, excluded with the reason) for `case`; `dialect` adds a language to those
    recorded for the parties; `today` (a date) decides who is away."""
    from django.utils import timezone

    today = today or timezone.localdate()
    candidates = list(get_users_who_can("case.mediate", case.area_id))
    ids = [u.pk for u in candidates]
    exclusions = get_exclusions(case, ids)
    profiles = {p.mediator_id: p for p in MediatorProfile.objects.filter(mediator_id__in=ids)
                .prefetch_related("dispute_types", "languages")}
    history = _history(case, ids)
    wanted = get_case_language_ids(case, dialect)
    suggested, excluded = [], []
    type_name = case.dispute_type.name
    for user in candidates:
        profile = profiles.get(user.pk)
        load = history[user.pk][3]
        if user.pk not in exclusions and profile is not None:
            if profile.is_away(today):
                exclusions[user.pk] = _("away until %(day)s") % {"day": profile.away_until.isoformat()} + (
                    f" ({profile.away_note})" if profile.away_note else "")
            elif profile.capacity and load >= profile.capacity:
                exclusions[user.pk] = _("carries %(n)s open cases, the most their profile allows") % {"n": load}
        if user.pk in exclusions:
            excluded.append(Recommendation(user, excluded=exclusions[user.pk]))
            continue
        rec = Recommendation(user)
        if profile and any(t.pk == case.dispute_type_id for t in profile.dispute_types.all()):
            rec.score += W_DECLARED
            rec.reasons.append(_("declares expertise in %(type)s") % {"type": type_name})
        past, agreed, days, load = history[user.pk]
        if past:
            rate, mean_days = agreed / past, days / past
            rec.score += W_EXPERIENCE * min(past, 10) / 10 + W_SUCCESS * rate + W_SPEED * max(0.0, 1 - mean_days / 60)
            rec.reasons.append(_("%(n)s past cases of this type, %(rate)s%% agreed, %(days)s days on average") % {
                "n": past, "rate": round(rate * 100), "days": round(mean_days)})
        rec.score -= W_LOAD * load
        rec.reasons.append(_("carries %(n)s open cases") % {"n": load})
        home = profile.home_area_id if profile else ""
        if home and home == case.area_id:
            rec.score += W_VILLAGE
            rec.reasons.append(_("lives in the same village"))
        elif home and home[:TOWN_CODE] == case.area_id[:TOWN_CODE]:
            rec.score += W_TOWN
            rec.reasons.append(_("from the same town"))
        spoken = list(profile.languages.all()) if profile else []
        shared = [lang.name for lang in spoken if lang.pk in wanted]
        if shared:
            rec.score += W_DIALECT
            rec.reasons.append(_("speaks %(languages)s, as the parties do") % {"languages": "、".join(shared)})
        elif spoken:
            rec.reasons.append(_("speaks %(languages)s") % {"languages": "、".join(lang.name for lang in spoken)})
        suggested.append(rec)
    suggested.sort(key=lambda r: (-r.score, str(r.mediator), r.mediator.pk))
    return suggested[:limit], excluded
