"""The URL walk's rules for co-building (yiwang/core/tests/test_url_walk.py): every page and API pattern,
walked by the cast and the app's own accounts, with demands inside and outside each one's scope."""

from dataclasses import replace

from yiwang.core.tests.urlwalk import Missing, Rule, can, scoped

ROLES = ["liuheng_community", "shenjiamen_community", "liuheng_office", "unit_liaison", "social_liaison"]

DEMAND = scoped("cobuild.Demand", "cobuild.view")
PK = lambda obj: {"pk": obj.pk}  # noqa: E731
CODE = lambda obj: {"code": obj.code}  # noqa: E731
DEMANDS = lambda w: w["cobuild_demands"]  # noqa: E731
SOCIAL_CODE = "51330903MJ8765437B"  # a well-formed 社会团体 code (both check characters hold)


def build(world) -> dict:
    """Demands in a 六横 village (one claimed by 区司法局 and reported with a photo, one open) and in
    沈家门's 新街社区; a resource of 区司法局; a project in 六横."""
    import datetime as dt

    from yiwang.areas.models import Area
    from yiwang.cobuild import actions
    from yiwang.cobuild.demo import load_accounts
    from yiwang.cobuild.models import Project, ReportPhoto
    from yiwang.cobuild.tests.helpers import justice, offer, post_demand, walk
    from yiwang.testing.factories import user

    load_accounts()
    office = user("liuheng_office")
    pairing = actions.do_pair(by=office, unit=justice(), area=Area.objects.get(code="330903100"),
                              party_organisation="六横镇“大工委”", membership="street", starts_on=dt.date(2026, 1, 1),
                              ends_on=dt.date(2026, 12, 31), unit_contact="张", area_contact="李", commitments="送法进村")
    social = actions.do_register_social_organisation(
        by=office, name="六横文化促进会", area=Area.objects.get(code="330903100"), credit_code=SOCIAL_CODE,
        registration_authority="舟山市普陀区民政局", registered_on=dt.date(2019, 3, 1), field="文化")
    from decimal import Decimal

    from yiwang.cobuild import venture
    from yiwang.cobuild.models import VentureCall

    calls = [VentureCall.objects.create(title=title, area_id="330903100", budget=Decimal("100000"), state=state,
                                        criteria=[{"code": "need", "name": "需求", "points": 100}],
                                        opens_on=dt.date(2026, 1, 1), closes_on=dt.date(2026, 2, 1))
             for title, state in (("已公布的创投", "decided"), ("征集中的创投", "open"))]
    application = venture.do_apply(calls[1], by=user("admin"), applicant=social, title="渔嫂互助", summary="互助",
                                   amount="1000")
    reported = walk(post_demand(title="已反馈的需求"), "report")
    open_here = post_demand(title="六横的开放需求")
    elsewhere = walk(post_demand(by="shenjiamen_community", area="330903001001", title="新街社区的需求"), "claim",
                     unit="social_liaison", community="shenjiamen_community")
    resource = offer()
    from yiwang.cobuild.models import ElderCouncil

    councils = [ElderCouncil.objects.create(name=name, kind="council", area_id=code)
                for name, code in (("六横镇乡贤理事会", "330903100"), ("沈家门街道乡贤理事会", "330903001"))]
    project = Project.objects.create(title="瓜果直播共建", area_id="330903100", lead=justice(),
                                     starts_on=dt.date(2026, 1, 1), ends_on=dt.date(2026, 6, 30))
    return {
        "cobuild_demands": [reported, open_here, elsewhere], "cobuild_resources": [resource],
        "cobuild_projects": [project], "cobuild_pairings": [pairing], "cobuild_socials": [social],
        "cobuild_calls": calls, "cobuild_communities": [Area.objects.get(code=open_here.area_id),
                                                        Area.objects.get(code="330903100")], "cobuild_applications": [application], "cobuild_councils": councils, "cobuild_photos": list(ReportPhoto.objects.filter(claim__demand=reported)),
    }


def _version(demand):
    from yiwang.cobuild.models import Demand

    return Demand.objects.filter(pk=demand.pk).values_list("version", flat=True).first()


def _pairing_version(pairing):
    from yiwang.cobuild.models import Pairing

    return Pairing.objects.filter(pk=pairing.pk).values_list("version", flat=True).first()


def _sees_photo(user, photo):
    from yiwang.cobuild.models import Claim, ReportPhoto

    if isinstance(photo, Missing):
        return False
    return (ReportPhoto.objects.visible_to(user, "cobuild.view").filter(pk=photo.pk).exists()
            and Claim.objects.visible_to(user, "cobuild.view").filter(pk=photo.claim_id).exists())


def _may_offer(user):
    from yiwang.cobuild.actions import get_acting_organisations

    return user.is_superuser or bool(get_acting_organisations(user))


def _step_rule(step: str) -> Rule:
    return Rule("post", api=True, objects=DEMANDS, kwargs=PK, sees=DEMAND, version=_version,
                why=f"POST /api/v1/cobuild/demands/{{id}}/{step}/")


RULES: dict[str, Rule] = {
    "cobuild:demand_list": Rule("page", allowed=can("cobuild.view"), denied=(403,)),
    "cobuild:demand_new": Rule("page", allowed=can("cobuild.post"), denied=(403,)),
    "cobuild:demand_detail": Rule("object", objects=DEMANDS, kwargs=PK, sees=DEMAND),
    "cobuild:demand_step": Rule("post", objects=DEMANDS, kwargs=lambda d: {"pk": d.pk, "step": "confirm"},
                                sees=DEMAND, version=_version),
    "cobuild:photo": Rule("object", objects=lambda w: w["cobuild_photos"], kwargs=PK, sees=_sees_photo,
                          why="the claim's readers only: another unit in the same area gets 404"),
    "cobuild:resource_list": Rule("page", allowed=can("cobuild.view"), denied=(403,)),
    "cobuild:resource_new": Rule("page", allowed=_may_offer, denied=(403,),
                                 why="for people acting for a unit or organisation"),
    "cobuild:venture_results": Rule("public", objects=lambda w: w["cobuild_calls"], kwargs=PK,
                                    sees=lambda u, c: not isinstance(c, Missing) and c.state == "decided",
                                    why="public once the call is decided; before, 404 for everyone"),
    "cobuild:rate": Rule("public", objects=lambda w: w["cobuild_communities"], kwargs=CODE,
                         sees=lambda u, a: not isinstance(a, Missing) and a.level == "village",
                         why="each community's public rating page; a town has none"),
    "cobuild:rate_qr": Rule("public", objects=lambda w: w["cobuild_communities"], kwargs=CODE,
                            sees=lambda u, a: not isinstance(a, Missing) and a.level == "village"),
    "cobuild:records": Rule("page", allowed=can("cobuild.view"), denied=(403,)),
    "cobuild:project_list": Rule("page", allowed=can("cobuild.view"), denied=(403,)),
    "cobuild:project_detail": Rule("object", objects=lambda w: w["cobuild_projects"], kwargs=PK,
                                   sees=scoped("cobuild.Project", "cobuild.view")),
    "cobuild-demand-list": Rule("page", api=True, why="a list over visible_to"),
    "cobuild-demand-detail": Rule("object", api=True, objects=DEMANDS, kwargs=PK, sees=DEMAND),
    "cobuild-demand-suggestions": Rule("object", api=True, objects=DEMANDS, kwargs=PK, sees=DEMAND),
    "cobuild-resource-list": Rule("page", api=True, why="a list over visible_to"),
    "cobuild-resource-detail": Rule("object", api=True, objects=lambda w: w["cobuild_resources"], kwargs=PK,
                                    sees=scoped("cobuild.Resource", "cobuild.view")),
    "cobuild-project-list": Rule("page", api=True, why="a list over visible_to"),
    "cobuild-project-detail": Rule("object", api=True, objects=lambda w: w["cobuild_projects"], kwargs=PK,
                                   sees=scoped("cobuild.Project", "cobuild.view")),
}
RULES.update({
    "cobuild-pairing-list": Rule("page", api=True, why="a list over visible_to"),
    "cobuild-pairing-detail": Rule("object", api=True, objects=lambda w: w["cobuild_pairings"], kwargs=PK,
                                   sees=scoped("cobuild.Pairing", "cobuild.view")),
    "cobuild-pairing-renew": Rule("post", api=True, objects=lambda w: w["cobuild_pairings"], kwargs=PK,
                                  sees=scoped("cobuild.Pairing", "cobuild.view"), version=_pairing_version),
    "cobuild-call-list": Rule("page", api=True, why="a list over visible_to"),
    "cobuild-call-detail": Rule("object", api=True, objects=lambda w: w["cobuild_calls"], kwargs=PK,
                                sees=scoped("cobuild.VentureCall", "cobuild.view")),
    "cobuild-application-list": Rule("page", api=True, why="a list over visible_to"),
    "cobuild-application-detail": Rule("object", api=True, objects=lambda w: w["cobuild_applications"], kwargs=PK,
                                       sees=scoped("cobuild.VentureApplication", "cobuild.view")),
    "cobuild-application-pay-tranche": Rule("post", api=True, objects=lambda w: w["cobuild_applications"],
                                            kwargs=PK, sees=scoped("cobuild.VentureApplication", "cobuild.view")),
    "cobuild-organisation-list": Rule("page", api=True, why="a list over visible_to"),
    "cobuild-organisation-detail": Rule("object", api=True, objects=lambda w: w["cobuild_socials"], kwargs=PK,
                                        sees=scoped("cobuild.SocialOrganisation", "cobuild.view")),
})


def _project_version(project):
    from yiwang.cobuild.models import Project

    return Project.objects.filter(pk=project.pk).values_list("version", flat=True).first()


def _social_version(social):
    from yiwang.cobuild.models import SocialOrganisation

    return SocialOrganisation.objects.filter(pk=social.pk).values_list("version", flat=True).first()


def _application_version(application):
    from yiwang.cobuild.models import VentureApplication

    return VentureApplication.objects.filter(pk=application.pk).values_list("version", flat=True).first()


def _on_panel(user, obj) -> bool:
    call = getattr(obj, "call", obj)
    return bool(user and user.is_authenticated) and call.reviewers.filter(pk=user.pk).exists()


PROJECT = scoped("cobuild.Project", "cobuild.view")
PROJECTS = lambda w: w["cobuild_projects"]  # noqa: E731
PAIRING = scoped("cobuild.Pairing", "cobuild.view")
PAIRINGS = lambda w: w["cobuild_pairings"]  # noqa: E731
SOCIAL = scoped("cobuild.SocialOrganisation", "cobuild.view")
SOCIALS = lambda w: w["cobuild_socials"]  # noqa: E731
CALLS = lambda w: w["cobuild_calls"]  # noqa: E731
APPLICATIONS = lambda w: w["cobuild_applications"]  # noqa: E731


def _sees_call(user, call):
    return not isinstance(call, Missing) and (scoped("cobuild.VentureCall", "cobuild.view")(user, call)
                                              or _on_panel(user, call))


def _sees_application(user, application):
    return not isinstance(application, Missing) and (
        scoped("cobuild.VentureApplication", "cobuild.view")(user, application) or _on_panel(user, application))


RULES.update({
    "cobuild:project_new": Rule("page", allowed=can("cobuild.manage"), denied=(403,)),
    "cobuild:project_step": Rule("post", objects=PROJECTS, kwargs=lambda p: {"pk": p.pk, "step": "start"},
                                 sees=PROJECT, version=_project_version),
    "cobuild:pairing_list": Rule("page", allowed=can("cobuild.view"), denied=(403,)),
    "cobuild:pairing_new": Rule("page", allowed=can("cobuild.manage"), denied=(403,)),
    "cobuild:pairing_detail": Rule("object", objects=PAIRINGS, kwargs=PK, sees=PAIRING),
    "cobuild:pairing_record": Rule("object", objects=PAIRINGS, kwargs=PK, sees=PAIRING, ok=(200, 403),
                                   why="the form for the unit's people and the office; other readers 403"),
    "cobuild:pairing_renew": Rule("post", objects=PAIRINGS, kwargs=PK, sees=PAIRING, version=_pairing_version),
    "cobuild:social_list": Rule("page", allowed=can("cobuild.view"), denied=(403,)),
    "cobuild:social_new": Rule("page", allowed=can("cobuild.manage"), denied=(403,)),
    "cobuild:social_detail": Rule("object", objects=SOCIALS, kwargs=PK, sees=SOCIAL),
    "cobuild:title_list": Rule("page", allowed=can("cobuild.view"), denied=(403,)),
    "cobuild:council_list": Rule("page", allowed=can("cobuild.view"), denied=(403,)),
    "cobuild:council_detail": Rule("object", objects=lambda w: w["cobuild_councils"], kwargs=PK,
                                   sees=scoped("cobuild.ElderCouncil", "cobuild.view")),
    "cobuild:call_list": Rule("page", allowed=can("cobuild.view"), denied=(403,),
                              why="also for panel members without a grant (none in the walk's world)"),
    "cobuild:call_new": Rule("page", allowed=can("cobuild.manage"), denied=(403,)),
    "cobuild:call_detail": Rule("object", objects=CALLS, kwargs=PK, sees=_sees_call),
    "cobuild:call_apply": Rule("object", objects=CALLS, kwargs=PK, sees=scoped("cobuild.VentureCall", "cobuild.view"),
                               ok=(200, 403), why="the form for people acting for a social organisation; others 403"),
    "cobuild:call_step": Rule("post", objects=CALLS, kwargs=lambda c: {"pk": c.pk, "step": "close"}, sees=_sees_call),
    "cobuild:application_detail": Rule("object", objects=APPLICATIONS, kwargs=PK, sees=_sees_application),
    "cobuild:application_step": Rule("post", objects=APPLICATIONS, kwargs=lambda a: {"pk": a.pk, "step": "fund"},
                                     sees=_sees_application, version=_application_version),
    "cobuild-pairing-record": Rule("post", api=True, objects=PAIRINGS, kwargs=PK, sees=PAIRING),
    "cobuild-organisation-update": Rule("post", api=True, objects=SOCIALS, kwargs=PK, sees=SOCIAL,
                                        version=_social_version),
    "cobuild-organisation-inspect": Rule("post", api=True, objects=SOCIALS, kwargs=PK, sees=SOCIAL),
    "cobuild-call-close": Rule("post", api=True, objects=CALLS, kwargs=PK,
                               sees=scoped("cobuild.VentureCall", "cobuild.view")),
    "cobuild-call-decide": Rule("post", api=True, objects=CALLS, kwargs=PK,
                                sees=scoped("cobuild.VentureCall", "cobuild.view")),
})
for _step in ("start", "milestone", "finish", "evaluate"):
    RULES[f"cobuild-project-{_step}"] = Rule("post", api=True, objects=PROJECTS, kwargs=PK, sees=PROJECT,
                                             version=_project_version)
for _step in ("review", "conflict", "fund", "report", "midterm", "final"):
    RULES[f"cobuild-application-{_step}"] = Rule("post", api=True, objects=APPLICATIONS, kwargs=PK,
                                                 sees=_sees_application, version=_application_version)
for _step in ("claim", "confirm", "decline", "report", "close", "withdraw"):
    RULES[f"cobuild-demand-{_step}"] = _step_rule(_step)
for _key in [k for k in RULES if k.startswith("cobuild-")]:
    _kwargs = RULES[_key].kwargs
    RULES[f"{_key}.format"] = replace(RULES[_key], kwargs=lambda obj, k=_kwargs: {**k(obj), "format": "json"})
