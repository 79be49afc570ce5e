"""The triage app's URLs in the project's URL walk (yiwang/core/tests/test_url_walk.py)."""

from dataclasses import replace

from yiwang.core.tests.urlwalk import Rule, scoped

CASES = lambda w: w["cases"]  # noqa: E731
CASE = scoped("cases.Case", "case.view")
PK = lambda obj: {"pk": obj.pk}  # noqa: E731


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
}
