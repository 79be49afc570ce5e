"""Triage actions: suggest a dispute type for a text, remember what was suggested for each registered case
against what staff chose, and retrain from those corrections. It only suggests: the type is chosen by a
person, through the cases' actions."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.areas.models import Area, DisputeType
from yiwang.core.audit import record
from yiwang.core.errors import InputError, PermissionRefused
from yiwang.core.scope import user_can
from yiwang.triage import model
from yiwang.triage.models import Suggestion

logger = logging.getLogger(__name__)

MAX_TEXT = 4000  # characters: the facts and claims of one dispute, not a document
MIN_TEXT = 4
TOP = 3


class TriageInputError(InputError):
    """The text to classify is empty, too short or too long."""


@dataclass
class TypeSuggestion:
    """One suggested type with its score (a probability) and where the existing routing would send it."""

    dispute_type: str
    id: int
    name: str
    score: float
    tier: str
    centre: str = ""
    window: str = ""
    team: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def check_text(text) -> str:
    """The text, stripped, or TriageInputError saying what is wrong with it."""
    if not isinstance(text, str):
        raise TriageInputError({"text": _("Describe the dispute in words.")})
    text = text.strip()
    if len(text) < MIN_TEXT:
        raise TriageInputError({"text": _("Describe the dispute in a few words (at least %(n)s characters).")
                                % {"n": MIN_TEXT}})
    if len(text) > MAX_TEXT:
        raise TriageInputError({"text": _("The text is too long: at most %(n)s characters.") % {"n": MAX_TEXT}})
    return text


def suggest_types(text: str, *, area: Area | None = None, amount=None, people_involved: int = 1,
                  k: int = TOP) -> list[TypeSuggestion]:
    """The k likeliest active types for `text`, best first. The tier comes from cases' get_tier_for; with
    an `area`, also the centre, window and team the case would be routed to."""
    from yiwang.cases.actions.routing import get_centre_for, get_team_for, get_tier_for, get_window_for

    text = check_text(text)
    _key, classifier = model.get_classifier()
    types = {t.code: t for t in DisputeType.objects.filter(active=True)}
    ranked = [(code, score) for code, score in classifier.suggest(text, k=len(classifier.labels)) if code in types]
    out = []
    for code, score in ranked[:k]:
        dispute_type = types[code]
        tier = get_tier_for(dispute_type, amount=amount, people_involved=people_involved)
        suggestion = TypeSuggestion(code, dispute_type.pk, dispute_type.name, round(score, 3), tier)
        if area is not None:
            centre = get_centre_for(area.code, tier)
            if centre is not None:
                suggestion.centre = centre.name
                suggestion.tier = centre.level
                suggestion.window = str(get_window_for(centre, dispute_type) or "")
            suggestion.team = str(get_team_for(area.code, dispute_type) or "")
        out.append(suggestion)
    return out


def suggest_for_staff(user, text, *, area_code: str = "", amount=None, people_involved=1) -> list[TypeSuggestion]:
    """Suggestions for someone who registers cases; an `area_code` must be one they may register in."""
    if not user_can(user, "case.intake"):
        raise PermissionRefused(_("Only staff who register cases may ask for a suggestion."))
    area = None
    if area_code:
        area = Area.objects.filter(code=str(area_code)).first()
        if area is None:
            raise TriageInputError({"area": _("Give the division code of the place where the dispute arose.")})
        if not user_can(user, "case.intake", area.code):
            raise Area.DoesNotExist  # out of scope: answered as missing
    try:
        people_involved = max(1, int(people_involved or 1))
    except (TypeError, ValueError):
        raise TriageInputError({"people_involved": _("Enter the number of people involved (at least 1).")}) from None
    return suggest_types(text, area=area, amount=amount, people_involved=people_involved)


def case_text(case) -> str:
    return f"{case.facts}\n{case.claims}"[:MAX_TEXT]


def remember_suggestion(case, event) -> None:
    """case_changed handler: when a case is registered, record the type the classifier suggests for its
    facts and claims next to the type staff chose. Runs inside the registering transaction."""
    if event.kind != "registered":
        return
    text = case_text(case)
    if len(text.strip()) < MIN_TEXT:
        return
    try:
        key, classifier = model.get_classifier()
        top = classifier.suggest(text, k=TOP)
    except Exception:
        # A suggestion is a nicety: the case is registered even when the model cannot be built or read
        # (the handler runs inside the registration, and raising would roll the case back).
        logger.exception("triage: no suggestion recorded for case %s", case.pk)
        return
    # One statement: a suggestion already recorded for the case (a second call) is kept, as before.
    Suggestion.objects.bulk_create([Suggestion(
        case=case, text=text, suggested=top[0][0], scores=[[code, round(score, 3)] for code, score in top],
        chosen=case.dispute_type.code, model_key=key, recorded_at=timezone.now(),
    )], ignore_conflicts=True)


def get_corrections() -> list[model.Example]:
    """Every registered case whose suggested type staff changed, as a labelled example (oldest first).
    A case merged into another is left out: its type was never decided on its own."""
    rows = (Suggestion.objects.exclude(case__status="merged").select_related("case__dispute_type")
            .order_by("recorded_at", "id"))
    # The type now on the case is the decision (it may have been corrected after registration).
    return [model.Example(row.text, row.case.dispute_type.code) for row in rows
            if row.case.dispute_type.code != row.suggested]


@transaction.atomic
def do_retrain(*, by=None) -> dict:
    """Rebuild the classifier from the corpus and the corrections, and make it the one in use."""
    corrections = get_corrections()
    key, classifier = model.build(corrections)
    record(by, "triage.retrained", None, model=key, corrections=len(corrections))
    return {"model": key, "corrections": len(corrections), "types": len(classifier.labels)}
