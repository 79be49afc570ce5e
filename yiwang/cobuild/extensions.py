"""What co-building adds to the apps below it, registered from CobuildConfig.ready():

- the grid problem page shows the demand a livelihood problem became, and its closure, or offers to
  raise one (core.registry.problem_panels);
- a centre's page shows the 民主法治示范村（社区） of its area and its elder councils (page_panels
  "areas.centre");
- the statistics dashboard of an area shows its model villages and the co-building figures: demands,
  projects, pairings and each unit's record — claims met, time to claim, residents' ratings (page_panels
  "stats.dashboard").
"""

from yiwang.core import registry

RECORD_ROWS = 10
HOME_ROWS = 5


def get_problem_demand(problem, user) -> dict | None:
    """The demand `problem` became (with its closure), or — for a livelihood problem not yet raised —
    whether `user` may raise it; None leaves the card out."""
    from yiwang.cobuild.models import Demand
    from yiwang.core.scope import user_can, user_can_reach
    from yiwang.grids.models import Category

    demand = Demand.objects.filter(problem=problem).first()
    if demand is not None:
        claim = demand.current_claim()
        return {"demand": demand, "claim": claim, "visible": user_can_reach(user, "cobuild.view", demand)}
    if problem.category == Category.LIVELIHOOD and user_can(user, "cobuild.post", problem.area_id):
        return {"demand": None, "can_raise": True, "problem": problem}
    return None


def get_model_villages(area_code: str) -> list:
    """The 民主法治示范村（社区） titles held under `area_code`, highest level first, then the latest."""
    from yiwang.cobuild.models import DemocracyTitle

    order = {"national": 0, "provincial": 1, "city": 2, "district": 3}
    titles = list(DemocracyTitle.objects.filter(area__code__startswith=area_code).select_related("area"))
    return sorted(titles, key=lambda t: (order.get(t.level, 9), -t.year, t.area_id))


def get_centre_panel(centre, user) -> dict | None:
    """A centre's model villages and elder councils (public honours and bodies: no personal data)."""
    from django.db.models import Count

    from yiwang.cobuild.models import ElderCouncil

    titles = get_model_villages(centre.area_id)
    councils = (ElderCouncil.objects.filter(area__code__startswith=centre.area_id)
                .annotate(n=Count("members")).order_by("area_id", "name"))
    if not titles and not councils:
        return None
    return {"titles": titles, "councils": councils}


def get_dashboard_panel(area, user) -> dict | None:
    """The co-building figures of `area` for a reader of its statistics."""
    from django.db.models import Count

    from yiwang.cobuild.models import Demand, Pairing, Project
    from yiwang.cobuild.ratings import get_records
    from yiwang.core.scope import user_can

    if not (user_can(user, "stats.view", area.code) or user_can(user, "cobuild.view", area.code)):
        return None
    demands = dict(Demand.objects.filter(area__code__startswith=area.code).values_list("state")
                   .annotate(n=Count("id")).values_list("state", "n"))
    projects = dict(Project.objects.filter(area__code__startswith=area.code).values_list("stage")
                    .annotate(n=Count("id")).values_list("stage", "n"))
    records = get_records(area.code)
    return {
        "titles": get_model_villages(area.code), "demands": demands, "projects": projects,
        "demand_total": sum(demands.values()), "project_total": sum(projects.values()),
        "pairings": Pairing.objects.filter(area__code__startswith=area.code).count(),
        "records": records[:RECORD_ROWS], "more_records": max(0, len(records) - RECORD_ROWS),
        "links": user_can(user, "cobuild.view", area.code),
    }


def get_home_tile(user) -> dict | None:
    """Co-building work on the home page: for a unit's or social organisation's liaison (cobuild.claim),
    the open demands it may claim, newest first, and its claims still under way; for a community's staff
    (cobuild.post), the 发布需求 button and the claims waiting for its confirmation."""
    from yiwang.cobuild.actions import get_acting_organisations
    from yiwang.cobuild.models import Claim, Demand, DemandState
    from yiwang.core.scope import user_can

    if not user_can(user, "cobuild.view") or user.is_superuser:
        return None
    visible = Demand.objects.visible_to(user, "cobuild.view")
    tile = {"post": user_can(user, "cobuild.post"), "open": [], "open_count": 0, "claims": 0, "to_confirm": 0}
    organisations = get_acting_organisations(user)
    if organisations:
        claimable = visible.filter(state=DemandState.OPEN).select_related("area").order_by("-id")
        tile.update(open=list(claimable[:HOME_ROWS]), open_count=claimable.count(),
                    claims=visible.filter(state__in=[DemandState.CLAIMED, DemandState.IN_PROGRESS],
                                          pk__in=Claim.objects.filter(organisation_id__in=organisations)
                                          .values("demand_id")).count())
    if tile["post"]:
        tile["to_confirm"] = visible.filter(state__in=[DemandState.CLAIMED, DemandState.REPORTED]).count()
    if not (organisations or tile["post"]):
        return None
    tile["unit"] = bool(organisations)
    return tile


def register() -> None:
    registry.home_tiles.register(registry.HomeTile(
        name="cobuild.work", template="cobuild/_home_tile.html", context=get_home_tile, order=16))
    registry.problem_panels.register(registry.ProblemPanel(
        name="cobuild.demand", template="cobuild/_problem_panel.html", context=get_problem_demand, order=10))
    registry.page_panels.register(registry.PagePanel(
        name="cobuild.centre", page="areas.centre", template="cobuild/_centre_panel.html", context=get_centre_panel))
    registry.page_panels.register(registry.PagePanel(
        name="cobuild.dashboard", page="stats.dashboard", template="cobuild/_dashboard_panel.html",
        context=get_dashboard_panel))
