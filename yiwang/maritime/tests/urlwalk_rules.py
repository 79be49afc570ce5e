"""The maritime app's URLs in the project's URL walk (yiwang/core/tests/test_url_walk.py): a vessel one
agency sees through its task and one nobody outside the registry sees, a maritime case and a task of two
agencies, walked for every role of the cast and the coast guard's officer."""

from yiwang.core.tests.urlwalk import MISSING, Missing, Rule, can, scoped

ROLES = ["coastguard_officer"]


def build(world) -> dict:
    from yiwang.maritime.actions import do_give_task
    from yiwang.maritime.models import AgencyKind
    from yiwang.maritime.tests.helpers import agency, sea_case, vessel

    tasked, untouched, other = vessel(), vessel(), vessel()
    collision = sea_case(vessels=[tasked], incident_kind="collision")
    wages = sea_case(vessels=[other], incident_kind="crew_wages", position=("", ""), sea_area="W-LH")
    guard = do_give_task(collision.maritime, by=_user("putuo_staff"), agency=agency(AgencyKind.COAST_GUARD),
                         title="调取AIS轨迹", working_days=3)
    insurer = do_give_task(wages.maritime, by=_user("putuo_staff"), agency=agency(AgencyKind.INSURER),
                           title="核定理赔", working_days=3)
    return {"vessels": [tasked, untouched], "sea_cases": [collision, wages, world["cases"][0]],
            "agency_tasks": [guard, insurer]}


def _user(name):
    from yiwang.accounts.models import User

    return User.objects.get(username=name)


def _can_record(user, case):
    from yiwang.cases.models import Case
    from yiwang.maritime.views import can_record_details

    if isinstance(case, Missing) or not Case.objects.visible_to(user, "case.view").filter(pk=case.pk).exists():
        return False
    return can_record_details(case, user)


def _record_version(case):
    from yiwang.maritime.models import MaritimeRecord

    return MaritimeRecord.objects.filter(case_id=case.pk).values_list("version", flat=True).first()


def _sees_record(user, case):
    from yiwang.cases.models import Case
    from yiwang.maritime.models import MaritimeRecord

    if isinstance(case, Missing):
        return False
    return (Case.objects.visible_to(user, "case.view").filter(pk=case.pk).exists()
            and MaritimeRecord.objects.visible_to(user, "sea.view").filter(case_id=case.pk).exists())


def _sees_vessel(user, obj):
    from yiwang.maritime.models import Vessel

    return not isinstance(obj, Missing) and Vessel.objects.visible_to(user, "sea.view").filter(pk=obj.pk).exists()


def _may_edit_vessel(user, obj):
    from yiwang.core.scope import user_can

    return _sees_vessel(user, obj) and user_can(user, "sea.register", obj.area_id)


def _api_format(rule: Rule) -> Rule:
    from dataclasses import replace

    kwargs = rule.kwargs
    return replace(rule, kwargs=lambda obj: {**kwargs(obj), "format": "json"})


PK = lambda obj: {"pk": obj.pk}  # noqa: E731
VESSELS = lambda w: w["vessels"]  # noqa: E731
SEA_CASES = lambda w: w["sea_cases"]  # noqa: E731
VIEW = can("sea.view")

RULES = {
    "maritime:morning": Rule("page", allowed=VIEW),
    "maritime:zones_svg": Rule("page", allowed=VIEW),
    "maritime:vessel_list": Rule("page", allowed=VIEW),
    "maritime:vessel_new": Rule("page", allowed=can("sea.register")),
    "maritime:vessel_import": Rule("page", allowed=can("sea.register")),
    "maritime:vessel_detail": Rule("object", objects=VESSELS, kwargs=PK, sees=_sees_vessel,
                                   why="the county's registry; an agency sees the vessels of its tasks' cases"),
    "maritime:vessel_edit": Rule("object", objects=VESSELS, kwargs=PK, sees=_may_edit_vessel,
                                 why="those who register vessels in the vessel's area"),
    "maritime:intake": Rule("page", allowed=lambda u: can("case.intake")(u) and VIEW(u)),
    "maritime:record_details": Rule("object", objects=SEA_CASES, kwargs=PK, sees=_can_record,
                                    why="a maritime case, for those who register or coordinate it"),
    "maritime:record_step": Rule("post", objects=SEA_CASES, kwargs=lambda c: {"pk": c.pk, "step": "task"},
                                 sees=_sees_record, version=_record_version),
    "maritime:task_list": Rule("page", allowed=VIEW),
    "maritime:task_detail": Rule("object", objects=lambda w: w["agency_tasks"], kwargs=PK,
                                 sees=scoped("maritime.AgencyTask", "sea.view"),
                                 why="an agency's officer sees its own tasks only"),
    "vessel-list": Rule("page", api=True, why="a list over visible_to (empty without sea.view)"),
    "vessel-detail": Rule("object", api=True, objects=VESSELS, kwargs=PK, sees=_sees_vessel),
    "sea-area-list": Rule("page", api=True, allowed=VIEW, why="needs sea.view: 404 otherwise"),
}
for _key in ("vessel-list", "vessel-detail", "sea-area-list"):
    RULES[f"{_key}.format"] = _api_format(RULES[_key])

__all__ = ["MISSING", "RULES", "ROLES", "build"]
