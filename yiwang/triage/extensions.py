"""What triage adds to the apps below it, registered from TriageConfig.ready(): the suggestion recorded
when a case is registered (hook core.hooks.case_changed), the recommended mediators and the likely
duplicates on the case page (core.registry.case_panels), and the type suggestion on the staff intake form
and the online filing page (core.registry.form_snippets)."""

from django.urls import reverse

from yiwang.core import hooks, registry
from yiwang.core.scope import user_can

ASSIGNABLE = ("accepted", "assigned", "mediating")


def get_mediator_panel(case, user, *, full_pii: bool = False):
    """The ranked mediators for whoever may name them, while the case can still take mediators."""
    from yiwang.triage.recommend import recommend_mediators

    if case.status not in ASSIGNABLE or not user_can(user, "case.route", case.area_id):
        return None
    suggested, excluded = recommend_mediators(case, limit=5)
    return {"suggested": suggested, "excluded": excluded} if suggested or excluded else None


def get_duplicate_panel(case, user, *, full_pii: bool = False):
    """Likely duplicates among the cases this reader may see, with the merge left to staff."""
    from yiwang.triage.duplicates import find_duplicates

    if not case.is_open or case.status == "merged":
        return None
    duplicates = find_duplicates(case, user)
    return {"duplicates": duplicates, "can_merge": user_can(user, "case.route", case.area_id)} if duplicates else None


def get_intake_snippet(request):
    if request is None or not user_can(request.user, "case.intake"):
        return None
    return {"url": reverse("triage-list"), "public": False}


def get_filing_snippet(request):
    return {"url": reverse("triage-public"), "public": True}


def register() -> None:
    from yiwang.triage import actions

    hooks.case_changed.connect(actions.remember_suggestion)
    registry.case_panels.register(registry.CasePanel(
        name="triage.mediators", template="triage/_mediators_panel.html", context=get_mediator_panel,
        slot="aside", order=20))
    registry.case_panels.register(registry.CasePanel(
        name="triage.duplicates", template="triage/_duplicates_panel.html", context=get_duplicate_panel,
        slot="main", order=20))
    registry.form_snippets.register(registry.FormSnippet(
        name="triage.intake", form="cases.intake", template="triage/_suggest.html", context=get_intake_snippet))
    registry.form_snippets.register(registry.FormSnippet(
        name="triage.filing", form="online.file", template="triage/_suggest.html", context=get_filing_snippet))
