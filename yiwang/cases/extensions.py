"""What the disputes app adds to the pages of the apps below it (yiwang.core.registry), registered from
CasesConfig.ready(): two tiles on the home page, and the 最多跑一地 card on the statistics dashboard."""

from yiwang.core import registry
from yiwang.core.scope import user_can

HOME_ROWS = 5


def get_home_tiles(user) -> dict | None:
    """The user's open cases, the next few of them by deadline (a mediator's next case is one click from
    home), the overdue ones in their area, the 登记案件 button for who registers at a window, a court
    liaison's queue; nothing for someone who sees no case."""
    from django.utils import timezone

    from yiwang.cases.court import get_courts_of
    from yiwang.cases.models import Case, Status

    if not user_can(user, "case.view"):
        return None
    from yiwang.cases.views import get_own_organisation

    visible = Case.objects.visible_to(user, "case.view")
    mine = visible.open().mine(user)
    organisation = get_own_organisation(user)
    today = timezone.localdate()
    upcoming = list(mine.select_related("dispute_type").order_by("deadline", "id")[:HOME_ROWS])
    for case in upcoming:
        case.overdue = case.is_overdue(today)
    tile = {"mine": mine.count(), "upcoming": upcoming, "overdue": visible.overdue().count(),
            # a bank submits its cases in batches (finance's tile), a court through its own queue
            "intake": organisation is None and user_can(user, "case.intake")}
    if organisation is not None:  # a bank's operator, a court's liaison: their organisation's own cases
        tile.update(organisation=organisation, open=visible.open().count(), total=visible.count())
    elif user_can(user, "case.route"):  # a centre's staff and clerks: accepted cases waiting for a mediator
        tile["to_assign"] = Case.objects.visible_to(user, "case.route").filter(status=Status.ACCEPTED).count()
    if get_courts_of(user):
        from yiwang.cases.court import get_court_queue

        queue = get_court_queue(user)
        tile["court"] = {"delegations": len(queue.delegations), "confirmations": len(queue.confirmations),
                         "referrals": len(queue.referrals)}
    return tile


def get_trips_panel(area, user) -> dict | None:
    """最多跑一地 on the dashboard of `area`: of the cases received this year in its subtree, how many
    needed more than one trip in person (Case.needed_more_than_one_trip), with the share. For readers of
    the area's statistics; one counting query."""
    import datetime as dt

    from django.db.models import Count, Q
    from django.utils import timezone

    from yiwang.cases.models import Case

    if area is None or not user_can(user, "stats.view", area.code):
        return None
    year = timezone.localdate().year
    start = timezone.make_aware(dt.datetime(year, 1, 1))
    figures = Case.objects.filter(area__code__startswith=area.code, received_at__gte=start).exclude(
        status="merged").aggregate(received=Count("id"), multi=Count("id", filter=Q(visits__gt=1)))
    received, multi = figures["received"], figures["multi"]
    return {"year": year, "received": received, "multi": multi,
            "share": round(100 * multi / received, 1) if received else None}


def register() -> None:
    registry.page_panels.register(registry.PagePanel(
        name="cases.trips", page="stats.dashboard", template="cases/_trips_panel.html", context=get_trips_panel,
        order=20))
    registry.home_tiles.register(registry.HomeTile(
        name="cases.queue", template="cases/_home_tiles.html", context=get_home_tiles, order=10))
