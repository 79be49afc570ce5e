"""The disputes app's URLs added since the walk's own list (yiwang/core/tests/test_url_walk.py): the court
liaison's queue, and the API's steps of an agreement taking effect (issue 16)."""

from dataclasses import replace

from yiwang.core.tests.urlwalk import Rule, scoped


def _acts_for_a_court(user) -> bool:
    from yiwang.cases.court import get_courts_of

    return bool(get_courts_of(user))


def _case_version(case):
    from yiwang.cases.models import Case

    return Case.objects.filter(pk=case.pk).values_list("version", flat=True).first()


def _api_step(action: str) -> Rule:
    return Rule("post", api=True, objects=lambda w: w["cases"], kwargs=lambda c: {"pk": c.pk},
                sees=scoped("cases.Case", "case.view"), version=_case_version,
                why=f"POST /api/v1/cases/{{id}}/{action}/")


def build(world) -> dict:
    """A case the centre did not accept (its 不予受理告知书)."""
    from yiwang.testing.factories import make_case

    return {"not_accepted_cases": [make_case("not_accepted")]}


RULES: dict[str, Rule] = {
    "cases:not_accepted_notice": Rule("object", objects=lambda w: w["not_accepted_cases"], kwargs=lambda c: {"pk": c.pk},
                                      sees=scoped("cases.Case", "case.view")),
    "cases:court_queue": Rule("page", allowed=_acts_for_a_court, why="only for a court's liaison"),
    "cases:court_delegation": Rule("page", allowed=_acts_for_a_court, why="only for a court's liaison"),
    "case-delegations": Rule("post", api=True, why="POST only: a court's delegation (委派调解)"),
    "case-delegations.format": Rule("post", api=True, why="POST only: a court's delegation (委派调解)"),
}
for _action in ("record-oral-agreement", "record-paper-signature", "sign-agreement", "seal-agreement",
                "accept-confirmation", "extend-confirmation", "return-to-court"):
    RULES[f"case-{_action}"] = _api_step(_action)
    _base = RULES[f"case-{_action}"]
    RULES[f"case-{_action}.format"] = replace(_base, kwargs=lambda obj, _k=_base.kwargs: {**_k(obj), "format": "json"})
