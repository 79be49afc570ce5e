"""Every URL pattern of the project, walked for every role of the cast and an anonymous visitor, with one
object inside and one outside the role's scope (see urlwalk.py for how the rule of each pattern decides).

No answer may be a 5xx. Outside the scope the answer is exactly 404, as for a missing object; inside, a
2xx or the documented redirect. Anonymous visitors are sent to sign in on staff pages and refused (401/403)
on the API. POST-only addresses answer 405 to a GET, and a POST on an outside object answers 404 and
changes nothing. A pattern without a rule here fails `test_every_url_pattern_has_a_rule`, so a new URL
cannot land unwalked.
"""

import datetime as dt

import pytest

from yiwang.core.tests.urlwalk import (
    ANONYMOUS,
    MISSING,
    Missing,
    Rule,
    can,
    get_admin_rules,
    get_patterns,
    scoped,
)
from yiwang.testing import CAST

# No xdist group: the twelve walks split over the workers, each building the (cheap) world once.

ROLES = [*CAST, "liuheng_staff", ANONYMOUS]
LIUHENG, SHENJIAMEN, PUTUO = "330903100", "330903001", "330903"
MONTH = {"year": 2026, "month": 1}
STATS_MONTH = {"year": "2026", "month": "1"}
# Division codes are public: an unknown one is bad input (400, with the message saying so); a known one
# outside the reader's scope is 404.
UNKNOWN_AREA = (400,)


# --- the world: one of each kind of object the scope rules tell apart -------------------------------------

def build_world() -> dict:
    from yiwang.accounts.demo import grid_worker_area
    from yiwang.accounts.models import User
    from yiwang.areas.models import Area, Centre, DisputeType, Organisation, Team, Window
    from yiwang.core.jobs import start_job
    from yiwang.grids.actions import do_receive_request
    from yiwang.grids.models import Grid, Open311Key, VisitTask
    from yiwang.grids.schedule import do_plan_visits
    from yiwang.testing import factories as f

    liuheng = f.make_case("agreed")  # registered by 六横's clerk, mediated by mediator_wang
    shenjiamen = f.make_case("agreed", area=f.village(SHENJIAMEN), by="shenjiamen_clerk", mediator="maritime_mediator")
    banks = f.register_case(by="bank_operator", channel="bank", area=f.village(SHENJIAMEN), dispute_type="financial")
    at_court = f.make_case("confirmation_pending", area=f.village(SHENJIAMEN), by="shenjiamen_clerk")
    online, token = f.file_online_case()
    cases = [liuheng, shenjiamen, banks, at_court, online]

    worker_grid = Grid.objects.filter(area=grid_worker_area()).order_by("code").first()
    other_grid = Grid.objects.filter(area__code__startswith=SHENJIAMEN).order_by("code").first()
    problems = [f.make_problem(worker_grid, "accepted"), f.report_problem(other_grid, by="admin")]
    open311 = do_receive_request(Open311Key.objects.order_by("pk").first(), category="environment",
                                 description="路灯不亮", address_id=worker_grid.code, reporter_name="市民")
    visits = [f.log_visit(worker_grid), f.log_visit(other_grid, by="admin")]
    do_plan_visits(dt.date(2026, 3, 2))  # a fixed Monday: every grid's visit tasks for the weeks after it
    staff, leader = User.objects.get(username="putuo_staff"), User.objects.get(username="putuo_leader")
    jobs = [start_job("stats.export", by=staff, area_code=PUTUO, params={"area": PUTUO, "key": "areas"}),
            start_job("stats.export", by=leader, area_code=PUTUO, params={"area": PUTUO, "key": "areas"})]

    def by_area(model, *codes):
        return [model.objects.filter(area__code__startswith=code).order_by("pk").first() for code in codes]

    return {
        "cases": cases, "online": online, "token": token, "problems": problems, "open311": [open311, problems[0]],
        "visits": visits, "jobs": jobs, "grids": [worker_grid, other_grid],
        "areas": [Area.objects.get(code=code) for code in (grid_worker_area().code, LIUHENG, SHENJIAMEN, PUTUO)],
        "centres": [Centre.objects.get(code="PT"), *by_area(Centre, LIUHENG, SHENJIAMEN)],
        "teams": by_area(Team, LIUHENG, SHENJIAMEN),
        "windows": list(Window.objects.order_by("pk")[:1]),  # the windows are all the district centre's
        "organisations": list(Organisation.objects.order_by("pk")[:2]),
        "dispute_types": [DisputeType.objects.order_by("code").first()],
        "tasks": [VisitTask.objects.filter(grid=grid).order_by("pk").first() for grid in (worker_grid, other_grid)],
        "board": [worker_grid, other_grid, Area.objects.get(code=LIUHENG), Area.objects.get(code=SHENJIAMEN)],
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once for the module inside a transaction rolled back after its last test; each test's own
    transaction nests inside it."""
    from django.db import transaction
    from django.test import override_settings

    with django_db_blocker.unblock(), override_settings(SMS_BACKEND="yiwang.online.sms.MemoryBackend"):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build_world()
            for module in APP_RULE_MODULES:
                if hasattr(module, "build"):
                    world.update(module.build(world))
            yield world
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


# --- who sees what: read from the scope rules, never listed by hand ----------------------------------------

def _present(user, obj):
    return not isinstance(obj, Missing)


def _room(user, case):
    from yiwang.online.actions import can_enter_room

    return can_enter_room(case, user)


def _grid_area(obj):
    return getattr(obj, "area_id", None) or obj.code


def _sees_board(action):
    def sees(user, obj):
        from yiwang.core.scope import user_can

        return not isinstance(obj, Missing) and user_can(user, action, _grid_area(obj))
    return sees


def _case_version(case):
    from yiwang.cases.models import Case

    return Case.objects.filter(pk=case.pk).values_list("version", flat=True).first()


def _problem_version(problem):
    from yiwang.grids.models import Problem

    return Problem.objects.filter(pk=problem.pk).values_list("version", flat=True).first()


def _job_count(obj):
    from yiwang.core.models import Job

    return Job.objects.count()


def _valid_token(user, obj):
    return obj.get("valid", False)


CASES = lambda w: w["cases"]  # noqa: E731
CASE = scoped("cases.Case", "case.view")
PK = lambda obj: {"pk": obj.pk}  # noqa: E731
TOKENS = lambda w: [{"token": w["token"], "valid": True}, {"token": "x" * 43, "valid": False}]  # noqa: E731
TOKEN = lambda obj: {"token": obj["token"]}  # noqa: E731
CENTRE_CODES = lambda w: [w["centres"][0], MISSING]  # noqa: E731
CODE = lambda obj: {"code": obj.code}  # noqa: E731


def case_api_action(action):
    return Rule("post", api=True, objects=CASES, kwargs=PK, sees=CASE, version=_case_version,
                why=f"POST /api/v1/cases/{{id}}/{action}/")


def drf(base: Rule) -> Rule:
    """The `.json` format-suffix twin of an API rule: the same view and queryset."""
    from dataclasses import replace

    kwargs = base.kwargs
    return replace(base, kwargs=lambda obj: {**kwargs(obj), "format": "json"})


API_LIST = Rule("page", api=True, why="a list over visible_to")

RULES: dict[str, Rule] = {
    # accounts
    "root": Rule("public", ok=(302,), why="redirects to sign-in or home"),
    "home": Rule("page"),
    "accounts:login": Rule("public", roles={r: (302,) for r in ROLES if r != ANONYMOUS},
                           why="the sign-in form; a signed-in user is sent on"),
    "accounts:logout": Rule("public", ok=(405,), why="POST only (Django's LogoutView); not POSTed: it would sign out"),
    "accounts:password_change": Rule("page"),
    # areas
    "areas:centre_list": Rule("page"), "areas:team_list": Rule("page"), "areas:organisation_list": Rule("page"),
    "areas:centre_detail": Rule("object", objects=lambda w: w["centres"], kwargs=PK, sees=scoped("areas.Centre")),
    # cases
    "cases:queue": Rule("page", allowed=can("case.view")),
    "cases:intake": Rule("page", allowed=can("case.intake")),
    "cases:detail": Rule("object", objects=CASES, kwargs=PK, sees=CASE),
    "cases:act": Rule("post", objects=CASES, kwargs=lambda c: {"pk": c.pk, "name": "accept"}, sees=CASE,
                      version=_case_version),
    "cases:acceptance_notice": Rule("object", objects=lambda w: w["cases"][:2], kwargs=PK, sees=CASE),
    "cases:agreement": Rule("object", objects=lambda w: w["cases"][:2], kwargs=PK, sees=CASE),
    # grids
    "grids:home": Rule("page", allowed=can("grid.view"), ok=(302,), denied=(403,),
                       why="sends to the widest board the user may read"),
    "grids:board": Rule("object", objects=lambda w: w["board"], kwargs=CODE, sees=_sees_board("grid.view")),
    "grids:figures": Rule("object", objects=lambda w: w["board"], kwargs=CODE, sees=_sees_board("grid.view")),
    "grids:month": Rule("object", objects=lambda w: w["board"], kwargs=lambda o: {"code": o.code, **MONTH},
                        sees=_sees_board("grid.view")),
    "grids:month_export": Rule("object", objects=lambda w: w["grids"],
                               kwargs=lambda o: {"code": o.code, "year": "2026", "month": "1", "fmt": "xlsx"},
                               sees=_sees_board("grid.view"), why="the xlsx twin; the pdf is the same report"),
    "grids:visit_new": Rule("page", allowed=can("grid.visit"), denied=(403, 404)),
    "grids:problem_new": Rule("page", allowed=can("grid.visit"), denied=(403, 404)),
    "grids:visit_detail": Rule("object", objects=lambda w: w["visits"], kwargs=PK, sees=scoped("grids.Visit", "grid.view")),
    "grids:task_list": Rule("page"), "grids:problem_list": Rule("page"),
    "grids:problem_detail": Rule("object", objects=lambda w: w["problems"], kwargs=PK,
                                 sees=scoped("grids.Problem", "grid.view")),
    "grids:problem_step": Rule("post", objects=lambda w: w["problems"], kwargs=lambda p: {"pk": p.pk, "step": "dispatch"},
                               sees=scoped("grids.Problem", "grid.view"), version=_problem_version),
    "grids:photo": Rule("object", objects=lambda w: [], kwargs=PK, sees=scoped("grids.Photo", "grid.view"),
                        why="no photo is built: walked with a missing one"),
    # Open311: public, and only what came in through Open311 is published
    "grids:open311_services": Rule("public", kwargs=lambda o: {"fmt": "json"}),
    "grids:open311_service": Rule("public", objects=lambda w: [{"code": "environment"}, {"code": "nonesuch"}],
                                  kwargs=lambda o: {"code": o["code"], "fmt": "json"},
                                  sees=lambda u, o: o["code"] != "nonesuch"),
    "grids:open311_requests": Rule("public", kwargs=lambda o: {"fmt": "json"}),
    "grids:open311_request": Rule("public", objects=lambda w: w["open311"],
                                  kwargs=lambda p: {"request_id": str(p.pk), "fmt": "json"},
                                  sees=lambda u, p: p.channel == "open311",
                                  why="a problem found on a visit is internal: 404"),
    "grids:open311_token": Rule("public", objects=lambda w: w["open311"],
                                kwargs=lambda p: {"token": p.token or "none", "fmt": "json"},
                                sees=lambda u, p: p.channel == "open311"),
    "grids:open311_discovery": Rule("public", kwargs=lambda o: {"fmt": "json"}),
    # online: the citizen side is public, reached by a centre code or a party's token
    "online:centres": Rule("public"),
    "online:file": Rule("public", objects=CENTRE_CODES, kwargs=CODE, sees=_present),
    "online:filed": Rule("public", objects=CENTRE_CODES, kwargs=CODE, sees=_present, ok=(200, 302),
                         why="without a filing in the session it sends back to the form"),
    "online:qr_png": Rule("public", objects=CENTRE_CODES, kwargs=CODE, sees=_present),
    "online:qr_svg": Rule("public", objects=CENTRE_CODES, kwargs=CODE, sees=_present),
    "online:poster": Rule("public", objects=CENTRE_CODES, kwargs=CODE, sees=_present),
    "online:party": Rule("public", objects=TOKENS, kwargs=TOKEN, sees=_valid_token,
                         why="a valid token shows the form asking for the code sent to the phone"),
    "online:party_agreement_pdf": Rule("public", objects=TOKENS, kwargs=TOKEN, sees=_valid_token, ok=(404,),
                                       why="until this session proves the code, 404 even for a valid token"),
    "online:party_evidence": Rule("public", objects=TOKENS, kwargs=lambda o: {**TOKEN(o), "evidence_pk": 1},
                                  sees=_valid_token, ok=(404,), why="unproven session: 404"),
    **{f"online:{name}": Rule("post", objects=TOKENS, kwargs=TOKEN, sees=_valid_token, anonymous=(405,),
                              why="the party's POSTs; an invalid token answers 404")
       for name in ("party_sign", "party_answer", "party_rate", "party_message", "party_evidence_upload")},
    "online:room": Rule("object", objects=CASES, kwargs=PK, sees=scoped("cases.Case", "case.view", also=_room),
                        why="only the case's mediators and centre staff: a leader or a bank gets 404"),
    "online:evidence": Rule("object", objects=CASES, kwargs=lambda c: {"pk": c.pk, "evidence_pk": MISSING.pk},
                            sees=lambda u, c: False, why="no evidence is built: 404 inside and out"),
    "online:signing": Rule("object", objects=CASES, kwargs=PK, sees=CASE),
    "online:confirmation": Rule("post", objects=CASES, kwargs=PK, sees=CASE, version=_case_version),
    "online:signed_pdf": Rule("object", objects=CASES, kwargs=PK, sees=lambda u, c: False,
                              why="nothing was signed remotely in this world: 404 inside and out"),
    "online:invite": Rule("post", objects=lambda w: [w["online"]],
                          kwargs=lambda c: {"pk": c.pk, "party_pk": c.parties.order_by("pk").first().pk if c.pk != MISSING.pk else 1},
                          sees=CASE, version=_case_version),
    "online:verify": Rule("public"),
    # stats
    "stats:home": Rule("page", allowed=can("stats.view"), ok=(302,)),
    "stats:dashboard": Rule("object", objects=lambda w: w["areas"], kwargs=CODE, sees=_sees_board("stats.view"),
                            missing=UNKNOWN_AREA),
    "stats:meeting": Rule("object", objects=lambda w: w["areas"], kwargs=CODE, sees=_sees_board("stats.view"),
                          missing=UNKNOWN_AREA),
    "stats:export": Rule("object", objects=lambda w: w["areas"], kwargs=lambda a: {"code": a.code, "key": "areas"},
                         sees=_sees_board("stats.view"), missing=UNKNOWN_AREA),
    "stats:export_job": Rule("post", anonymous=(405,), why="require_POST comes before the sign-in check", objects=lambda w: w["areas"], kwargs=lambda a: {"code": a.code, "key": "areas"},
                             sees=_sees_board("stats.view"), version=_job_count, missing=UNKNOWN_AREA),
    "stats:month_report": Rule("object", objects=lambda w: w["areas"], kwargs=lambda a: {"code": a.code, **STATS_MONTH},
                               sees=_sees_board("stats.view"), missing=UNKNOWN_AREA),
    # jobs
    "core:job_list": Rule("page"),
    "core:job_detail": Rule("object", objects=lambda w: w["jobs"], kwargs=PK, sees=scoped("core.Job", None)),
    "core:job_result": Rule("object", objects=lambda w: w["jobs"], kwargs=PK, sees=scoped("core.Job", None), ok=(404,),
                            why="the job never runs inside the test's transaction: no result yet, 404 even to its starter"),
    "set_language": Rule("public", ok=(302,), why="a GET changes nothing and sends back"),
    # the API's own pages
    "api-token": Rule("public", api=True, ok=(405,), anonymous=(405,), why="POST only: username and password"),
    # The schema and its docs for any signed-in user when DEBUG is off (issue 18): they map the attack surface.
    "openapi": Rule("page", api=True, allowed=lambda user: True, anonymous=(401, 403)),
    "api-docs": Rule("page", allowed=lambda user: True, anonymous=(302,)),
    "api-redoc": Rule("page", allowed=lambda user: True, anonymous=(302,)),
}

API_OBJECTS = {
    "area": Rule("object", api=True, objects=lambda w: w["areas"], kwargs=CODE, sees=scoped("areas.Area")),
    "centre": Rule("object", api=True, objects=lambda w: w["centres"], kwargs=PK, sees=scoped("areas.Centre")),
    "window": Rule("object", api=True, objects=lambda w: w["windows"], kwargs=PK, sees=scoped("areas.Window")),
    "team": Rule("object", api=True, objects=lambda w: w["teams"], kwargs=PK, sees=scoped("areas.Team")),
    "organisation": Rule("object", api=True, objects=lambda w: w["organisations"], kwargs=PK,
                         sees=scoped("areas.Organisation")),
    "job": Rule("object", api=True, objects=lambda w: w["jobs"], kwargs=PK, sees=scoped("core.Job", None)),
    "dispute-type": Rule("object", api=True, objects=lambda w: w["dispute_types"], kwargs=CODE, sees=_present,
                         why="national master data: not scoped"),
    "case": Rule("object", api=True, objects=CASES, kwargs=PK, sees=CASE),
    "grid": Rule("object", api=True, objects=lambda w: w["grids"], kwargs=PK, sees=scoped("grids.Grid", "grid.view")),
    "grid-visit-task": Rule("object", api=True, objects=lambda w: w["tasks"], kwargs=PK,
                            sees=scoped("grids.VisitTask", "grid.view")),
    "grid-problem": Rule("object", api=True, objects=lambda w: w["problems"], kwargs=PK,
                         sees=scoped("grids.Problem", "grid.view")),
    "signed-agreement": Rule("object", api=True, objects=lambda w: [], kwargs=PK, sees=_present,
                             why="nothing was signed remotely: walked with a missing one"),
}
for _basename, _rule in API_OBJECTS.items():
    RULES[f"{_basename}-list"] = API_LIST
    RULES[f"{_basename}-detail"] = _rule
for _name in ("stats-cases-list", "stats-grids-list"):
    RULES[_name] = Rule("page", api=True, allowed=can("stats.view"), denied=(404,),
                        why="without stats.view there is no area the reader may read: 404, as out of scope")
RULES["case-attachments"] = Rule("post", api=True, objects=CASES, kwargs=PK, sees=CASE, version=_case_version,
                                 why="POST only: attach a file")
RULES["case-attachment"] = Rule("object", api=True, objects=CASES,
                                kwargs=lambda c: {"pk": c.pk, "attachment_id": MISSING.pk}, sees=lambda u, c: False,
                                why="no attachment is built: 404 inside and out")
for _action in ("accept", "apply-confirmation", "archive", "assign", "delegate", "escalate", "extend", "follow-up",
                "merge", "not-accept", "record-agreement", "record-confirmation", "record-performance",
                "record-referral-result", "record-refusal", "record-session", "record-visit", "recuse", "refer",
                "start-mediation", "supervise", "terminate", "transfer-window", "withdraw"):
    RULES[f"case-{_action}"] = case_api_action(_action)
RULES["grid-problem-step"] = Rule("post", api=True, objects=lambda w: w["problems"], kwargs=PK,
                                  sees=scoped("grids.Problem", "grid.view"), version=_problem_version)
for _key in [k for k in RULES if not k.endswith(".format") and RULES[k].api and "-" in k and k not in
             ("api-token", "api-docs", "api-redoc")]:
    RULES[f"{_key}.format"] = drf(RULES[_key])



# --- the apps built on the core bring their own rules ------------------------------------------------------
# An app whose URLs the walk must cover ships `<app>/tests/urlwalk_rules.py` with
#     RULES: dict[str, Rule]                 its patterns' rules (its own `.format` twins included)
#     build(world) -> dict                   (optional) its objects, added to the world after the core's
#     ROLES: list[str]                       (optional) more users of the cast to walk as
# so that a new app adds no line to this file.

def _app_rule_modules() -> list:
    from importlib import import_module
    from importlib.util import find_spec

    from django.apps import apps

    modules = []
    for config in apps.get_app_configs():
        name = f"{config.name}.tests.urlwalk_rules"
        if config.name.startswith("yiwang.") and find_spec(f"{config.name}.tests") and find_spec(name):
            modules.append(import_module(name))
    return modules


APP_RULE_MODULES = _app_rule_modules()
for _module in APP_RULE_MODULES:
    clash = set(RULES) & set(_module.RULES)
    assert not clash, f"{_module.__name__} redefines rules: {sorted(clash)}"
    RULES.update(_module.RULES)
    ROLES[-1:-1] = [role for role in getattr(_module, "ROLES", []) if role not in ROLES]
# The sign-in form sends every signed-in role on, the apps' roles too.
RULES["accounts:login"].roles.update({role: (302,) for role in ROLES if role != ANONYMOUS})


# --- the tests ---------------------------------------------------------------------------------------------

def _is_admin(key: str, route: str) -> bool:
    return key.startswith("admin:") or route.startswith("admin/")


def test_every_url_pattern_has_a_rule_and_every_rule_a_pattern():
    patterns = get_patterns()
    admin_rules = get_admin_rules()
    missing = sorted(f"{key}  ({route})" for key, route in patterns.items()
                     if key not in RULES and key not in admin_rules)
    assert not missing, "URL patterns the walk does not cover (add a rule to RULES):\n" + "\n".join(missing)
    stale = sorted(set(RULES) - set(patterns))
    assert not stale, f"rules naming patterns that no longer exist: {stale}"
    assert not sorted(k for k in patterns if _is_admin(k, patterns[k]) and k not in admin_rules)


def _walk_for(username):
    from django.test import Client

    from yiwang.accounts.models import User
    from yiwang.core.tests.urlwalk import Walk
    from yiwang.testing import Cast

    if username == ANONYMOUS:
        from rest_framework.test import APIClient

        return Walk(username, None, Client(), APIClient())
    cast = Cast()
    return Walk(username, User.objects.get(username=username), cast.client(username), cast.api(username))


@pytest.mark.parametrize("username", ROLES)
def test_every_url_for_every_role(world, db, username):
    from yiwang.core.tests.urlwalk import walk_admin, walk_rule

    walk = _walk_for(username)
    for key, rule in RULES.items():
        walk_rule(walk, key, rule, world)
    walk_admin(walk)
    print(f"{username}: {walk.requests} requests")
    # A Chinese reader sees no English (yiwang.testing.english): every page but the admin site's, whose
    # leftovers (codes in list columns and JSON fields) are reported here and not yet refused.
    english = {page: words for page, words in walk.english.items() if not page.startswith("GET /admin/")}
    print("English on admin pages:", {page: words for page, words in walk.english.items() if page not in english})
    assert not walk.failures, f"{username}: {len(walk.failures)} of {walk.requests} answers wrong:\n" + "\n".join(
        walk.failures)
    assert not english, f"{username}: English on {len(english)} pages rendered in Chinese:\n" + "\n".join(
        f"{page}: {' '.join(words)}" for page, words in english.items())


# Rules walked only with objects nobody sees (nothing of the kind is built): 404 inside and out.
NOTHING_INSIDE = {"grids:photo", "online:evidence", "online:signed_pdf", "case-attachment", "signed-agreement-detail",
                  "online:party_evidence", "online:party_agreement_pdf"}


def test_the_world_gives_every_rule_both_sides(world, db):
    """The walk proves something only if, for each rule on objects, some role stands inside one of its
    objects and some role outside a real one (not merely a missing id): the bank beside the family
    dispute, the court beside the case it has nothing to do with, one grid beside another."""
    from yiwang.accounts.models import User

    users = {name: User.objects.get(username=name) for name in ROLES if name != ANONYMOUS}
    for key, rule in RULES.items():
        if rule.objects is None or key.removesuffix(".format") in NOTHING_INSIDE:
            continue
        candidates = [obj for obj in rule.objects(world) if obj is not None]
        seen = {name: [rule.sees(user, obj) for obj in candidates] for name, user in users.items()}
        assert any(any(row) for row in seen.values()), f"{key}: no role sees any of its objects"
        if rule.kind != "public" and key not in ("dispute-type-detail", "dispute-type-detail.format"):
            assert any(not all(row) for row in seen.values()), f"{key}: every role sees every object"


@pytest.mark.parametrize(("username", "own", "other"), [
    ("bank_operator", 2, 0), ("court_liaison", 3, 0), ("liuheng_clerk", 0, 1), ("shenjiamen_clerk", 1, 0),
])
def test_the_organisation_and_area_limited_roles_stand_where_the_rules_say(world, db, username, own, other):
    """The candidates the walk picks for the cases: the bank's own submission and not the 六横 family
    dispute, the case at the court, the clerk's own town."""
    from yiwang.accounts.models import User

    user = User.objects.get(username=username)
    assert CASE(user, world["cases"][own]) and not CASE(user, world["cases"][other])
