"""The URL walk's rules for the warnings app's pages and API (see yiwang/core/tests/test_url_walk.py): one
warning in 六横 and one in 沈家门, walked by every role of the cast (the district leader sees both; 六横镇's
warning leader, who sees one, is not added to ROLES: the core's sign-in rule lists its 302 roles before the
apps' ROLES join, so an added role fails there — test_scope.py covers the town leader instead)."""

from dataclasses import replace

from yiwang.core.tests.urlwalk import Rule, can, scoped

WARNINGS = lambda w: w["warnings"]  # noqa: E731
PK = lambda obj: {"pk": obj.pk}  # noqa: E731
SEES = scoped("warnings.Warning", "warning.view")


def _version(warning):
    from yiwang.warnings.models import Warning

    return Warning.objects.filter(pk=warning.pk).values_list("version", flat=True).first()


def build(world) -> dict:
    from yiwang.testing import factories as f
    from yiwang.warnings.models import Warning

    liuheng = f.register_case(people_involved=35)
    shenjiamen = f.register_case(by="shenjiamen_clerk", area=f.village("330903001"), people_involved=6)
    return {"warnings": [Warning.objects.filter(cases=liuheng).get(), Warning.objects.filter(cases=shenjiamen).get()]}


RULES = {
    "warnings:board": Rule("page", allowed=can("warning.view"), denied=(403,),
                           why="the leader's board: 403 for whoever holds no warning.view"),
    "warnings:detail": Rule("object", objects=WARNINGS, kwargs=PK, sees=SEES),
    "warnings:step": Rule("post", objects=WARNINGS, kwargs=lambda w: {"pk": w.pk, "step": "acknowledge"}, sees=SEES,
                          version=_version),
    "warning-list": Rule("page", api=True, why="a list over visible_to"),
    "warning-detail": Rule("object", api=True, objects=WARNINGS, kwargs=PK, sees=SEES),
}
for _step in ("acknowledge", "handle", "resolve", "dismiss"):
    RULES[f"warning-{_step}"] = Rule("post", api=True, objects=WARNINGS, kwargs=PK, sees=SEES, version=_version,
                                     why=f"POST /api/v1/warnings/{{id}}/{_step}/")
for _key in [k for k in RULES if k.startswith("warning-")]:
    _base = RULES[_key]
    RULES[f"{_key}.format"] = replace(_base, kwargs=lambda obj, _kwargs=_base.kwargs: {**_kwargs(obj), "format": "json"})
