"""What co-building adds to the apps below it, registered from CobuildConfig.ready(): the grid problem
page shows the demand a livelihood problem became, and its closure, or offers to raise one
(core.registry.problem_panels)."""

from yiwang.core import registry


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


def register() -> None:
    registry.problem_panels.register(registry.ProblemPanel(
        name="cobuild.demand", template="cobuild/_problem_panel.html", context=get_problem_demand, order=10))
