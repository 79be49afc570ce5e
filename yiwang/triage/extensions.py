"""What triage adds to the apps below it, registered from TriageConfig.ready(): the suggestion recorded
when a case is registered and the parties' languages ticked on the intake form (hook
core.hooks.case_changed), the recommended mediators, the parties' languages and the likely duplicates on
the case page (core.registry.case_panels), the type suggestion on the staff intake form and the online
filing page and the languages on the intake form (core.registry.form_snippets), and the mediators'
profiles tile on the home page (core.registry.home_tiles)."""

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
    if not (suggested or excluded):
        return None
    from yiwang.triage.actions import get_case_languages

    return {"suggested": suggested, "excluded": excluded, "languages": get_case_languages(case)}


def get_languages_panel(case, user, *, full_pii: bool = False):
    """The languages the parties speak, with the form for whoever registers or routes the case; for other
    readers only once something is recorded."""
    from yiwang.triage.forms import CaseLanguagesForm
    from yiwang.triage.models import CaseLanguage

    row = CaseLanguage.objects.filter(case=case).prefetch_related("languages").first()
    may_write = user_can(user, "case.intake", case.area_id) or user_can(user, "case.route", case.area_id)
    if row is None and not may_write:
        return None
    form = None
    if may_write and case.is_open:
        form = CaseLanguagesForm(initial={"version": row.version if row else 0,
                                          "languages": list(row.languages.all()) if row else [],
                                          "note": row.note if row else ""})
    return {"row": row, "languages": list(row.languages.all()) if row else [], "form": form}


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


def get_intake_languages_snippet(request):
    from yiwang.triage.middleware import FIELD
    from yiwang.triage.models import Language

    if request is None or not user_can(request.user, "case.intake"):
        return None
    chosen = request.POST.getlist(FIELD) if request.method == "POST" else []
    return {"languages": list(Language.objects.filter(active=True)), "chosen": chosen}


def record_intake_languages(case, event) -> None:
    """case_changed handler: the languages ticked on the intake form, recorded for the case just
    registered, as the clerk who registered it (inside the registration: a refusal undoes both)."""
    from yiwang.triage.actions import do_record_case_languages
    from yiwang.triage.actions.profiles import ProfileInputError
    from yiwang.triage.middleware import get_pending
    from yiwang.triage.models import Language

    pending = get_pending()
    if event.kind != "registered" or pending is None:
        return
    languages = list(Language.objects.filter(code__in=pending.codes, active=True))
    if len(languages) != len(pending.codes):
        from django.utils.translation import gettext as _

        raise ProfileInputError({"languages": [_("Choose languages from the list.")]})
    do_record_case_languages(case, by=pending.user, languages=languages)


def get_home_tile(user):
    from yiwang.triage.actions import get_keepable_mediators

    if not user_can(user, "case.route"):
        return None
    return {"mediators": get_keepable_mediators(user).count()}


def register() -> None:
    from yiwang.triage import actions

    hooks.case_changed.connect(actions.remember_suggestion)
    hooks.case_changed.connect(record_intake_languages)
    registry.case_panels.register(registry.CasePanel(
        name="triage.mediators", template="triage/_mediators_panel.html", context=get_mediator_panel,
        slot="aside", order=20))
    registry.case_panels.register(registry.CasePanel(
        name="triage.languages", template="triage/_languages_panel.html", context=get_languages_panel,
        slot="aside", order=21))
    registry.case_panels.register(registry.CasePanel(
        name="triage.duplicates", template="triage/_duplicates_panel.html", context=get_duplicate_panel,
        slot="main", order=20))
    registry.form_snippets.register(registry.FormSnippet(
        name="triage.intake", form="cases.intake", template="triage/_suggest.html", context=get_intake_snippet))
    registry.form_snippets.register(registry.FormSnippet(
        name="triage.intake_languages", form="cases.intake", template="triage/_intake_languages.html",
        context=get_intake_languages_snippet, order=110))
    registry.home_tiles.register(registry.HomeTile(
        name="triage.mediators", template="triage/_home_tile.html", context=get_home_tile, order=60))
    registry.form_snippets.register(registry.FormSnippet(
        name="triage.filing", form="online.file", template="triage/_suggest.html", context=get_filing_snippet))
