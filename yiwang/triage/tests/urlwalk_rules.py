"""The triage app's URLs in the project's URL walk (yiwang/core/tests/test_url_walk.py)."""

from dataclasses import replace

from yiwang.core.tests.urlwalk import Missing, Rule, can, scoped

CASES = lambda w: w["cases"]  # noqa: E731
CASE = scoped("cases.Case", "case.view")
PK = lambda obj: {"pk": obj.pk}  # noqa: E731
KEPT = lambda w: w["triage_mediators"]  # noqa: E731
CONFLICTS = lambda w: w["triage_conflicts"]  # noqa: E731


def build(world) -> dict:
    """A mediator of one 六横 village (kept by 六横's clerk and the district), the district's mediator
    王 (kept by the district only), and a conflict of interest of each."""
    from django.utils import timezone

    from yiwang.accounts.models import Grant, Role, User
    from yiwang.testing import factories as f
    from yiwang.triage.models import Conflict

    village = User.objects.create(username="walk_village_mediator", display_name="村调解员")
    Grant.objects.create(user=village, role=Role.objects.get(code="mediator"), area_id=f.village())
    wang = f.user("mediator_wang")
    conflicts = [Conflict.objects.create(mediator=m, person_name="欧阳某", relation="relative", recorded_at=timezone.now())
                 for m in (village, wang)]
    return {"triage_mediators": [village, wang], "triage_conflicts": conflicts}


def _keeps(user, mediator) -> bool:
    from yiwang.triage.actions import get_keepable_mediators

    return not isinstance(mediator, Missing) and get_keepable_mediators(user).filter(pk=mediator.pk).exists()


def _keeps_conflict(user, conflict) -> bool:
    return not isinstance(conflict, Missing) and _keeps(user, conflict.mediator)


def _conflict_count(conflict):
    from yiwang.triage.models import Conflict

    return Conflict.objects.filter(pk=conflict.pk).count()


def _languages_version(case):
    from yiwang.triage.models import CaseLanguage

    row = CaseLanguage.objects.filter(case=case).first()
    return row.version if row else 0


def _json(rule: Rule) -> Rule:
    kwargs = rule.kwargs
    return replace(rule, kwargs=lambda obj: {**kwargs(obj), "format": "json"})


SUGGEST = Rule("post", api=True, why="POST /api/v1/triage/ with a text")
# Anyone may post to the public twin (rate-limited), so a GET is 405 even signed out.
PUBLIC = Rule("post", api=True, anonymous=(405,), why="POST /api/v1/triage/public/, for the filing page")
# Inside: 200 for whoever may name mediators (case.route), 403 for a reader of the case who may not.
MEDIATORS = Rule("object", api=True, objects=CASES, kwargs=PK, sees=CASE, ok=(200, 403),
                 why="ranked mediators of a visible case")
DUPLICATES = Rule("object", api=True, objects=CASES, kwargs=PK, sees=CASE, why="likely duplicates of a visible case")

RULES = {
    "triage-list": SUGGEST, "triage-list.format": _json(SUGGEST),
    "triage-public": PUBLIC, "triage-public.format": _json(PUBLIC),
    "triage-mediators-detail": MEDIATORS, "triage-mediators-detail.format": _json(MEDIATORS),
    "triage-duplicates-detail": DUPLICATES, "triage-duplicates-detail.format": _json(DUPLICATES),
    "triage-hotline-list": Rule("post", api=True, why="POST /api/v1/triage/hotline/ with 12345 orders"),
    "triage-hotline-list.format": Rule("post", api=True, why="the same, with a format suffix"),
    "triage:mediator_list": Rule("page", allowed=can("case.route"), denied=(403,),
                                 why="the mediators of the area where the reader routes cases"),
    "triage:mediator_detail": Rule("object", objects=KEPT, kwargs=PK, sees=_keeps,
                                   why="a mediator's profile, for whoever keeps it"),
    "triage:conflict_add": Rule("post", objects=KEPT, kwargs=PK, sees=_keeps,
                                why="record a conflict of a mediator one keeps"),
    "triage:conflict_remove": Rule("post", objects=CONFLICTS, kwargs=PK, sees=_keeps_conflict,
                                   version=_conflict_count, why="remove a conflict of a mediator one keeps"),
    "triage:case_languages": Rule("post", objects=CASES, kwargs=PK, sees=CASE, version=_languages_version,
                                  why="the parties' languages of a visible case"),
}
