"""Triage actions, re-exported: type suggestions and retraining (suggest.py), mediators' profiles and
conflicts and the parties' languages of a case (profiles.py)."""

from yiwang.triage.actions.profiles import (  # noqa: F401
    ProfileInputError,
    do_add_conflict,
    do_record_case_languages,
    do_remove_conflict,
    do_save_profile,
    get_case_languages,
    get_keepable_mediators,
    get_mediator_area,
    get_mediator_or_404,
)
from yiwang.triage.actions.suggest import (  # noqa: F401
    MAX_TEXT,
    MIN_TEXT,
    TOP,
    TriageInputError,
    TypeSuggestion,
    case_text,
    check_text,
    do_retrain,
    get_corrections,
    remember_suggestion,
    suggest_for_staff,
    suggest_types,
)
