"""What the warnings app adds to the apps below it, registered from WarningsConfig.ready(): the instant
rules run on every case and grid problem change (core.hooks, inside the action's transaction), a batch of
cases registered at once is evaluated on the worker as one set (hook cases_registered), the case page and
the vessel page list the warnings behind them (core.registry.case_panels, page_panels), the home page
counts the open ones (home_tiles), and the leader's daily digest has a section (digest_sections)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.core import hooks, registry
from yiwang.core.scope import user_can

DIGEST_OLDEST = 3  # how many of the oldest warnings nobody has handled the digest names


def on_case_changed(case, event) -> None:
    from yiwang.warnings import engine

    engine.evaluate_case(case, event)
    if getattr(event, "kind", "") == "registered" and case.dispute_type.maritime:
        # The maritime intake writes the case's record (the dead, the vessels, the crew) after this hook;
        # the sea's rules read it once the registration has committed.
        transaction.on_commit(partial(engine.evaluate_committed_case, case.pk), robust=True)


def on_problem_changed(old, problem) -> None:
    from yiwang.warnings import engine

    engine.evaluate_problem(old, problem)


def on_cases_registered(cases) -> None:
    """A bulk registration (a bank's batch, a court's list) is not evaluated case by case in the
    request: once it commits, one task on the worker runs the instant rules over the whole set."""
    from yiwang.warnings.tasks import evaluate_registered

    ids = [case.pk for case in cases]
    if ids:
        transaction.on_commit(lambda: evaluate_registered.enqueue(ids), robust=True)


def get_case_warnings(case, user, *, full_pii: bool = False) -> list | None:
    """The warnings the case is part of that the reader may see, newest first; None hides the card."""
    from yiwang.warnings.models import Warning

    if not user_can(user, "warning.view"):
        return None
    return list(Warning.objects.visible_to(user, "warning.view").filter(cases=case).select_related("rule")) or None


def get_vessel_warnings(vessel, user) -> list | None:
    """The open warnings about a vessel of the registry that the reader may see (by the area of each
    warning, however far the vessel sails): those whose cases list it on their maritime record or carry
    its registration number, and those naming it as their vessel; None hides the card."""
    from django.db.models import Q

    from yiwang.warnings.models import LEVEL_RANK, Warning

    if user is None or not user_can(user, "warning.view"):
        return None
    about = Q(cases__maritime__vessels=vessel) | Q(vessel=vessel.name)
    if vessel.registration_number:
        about |= Q(cases__vessel_number=vessel.registration_number)
    ids = Warning.objects.filter(about).values("pk")
    found = Warning.objects.visible_to(user, "warning.view").open().filter(pk__in=ids).select_related("rule", "area")
    return sorted(found, key=lambda w: (-LEVEL_RANK[w.level], w.raised_at)) or None


def get_digest_lines(user, day: dt.date) -> list[str]:
    """The warnings section of `user`'s daily digest for `day`: the open warnings they may see by level,
    how many were raised yesterday, and the oldest that nobody has yet handled (no measure recorded).
    Empty (the section left out) when there is nothing open and nothing new."""
    from yiwang.warnings.models import LEVEL_RANK, Level, Status, Warning

    if user is None or not user_can(user, "warning.view"):
        return []
    visible = Warning.objects.visible_to(user, "warning.view")
    start = timezone.make_aware(dt.datetime.combine(day - dt.timedelta(days=1), dt.time.min))
    end = start + dt.timedelta(days=1)
    new = visible.filter(raised_at__gte=start, raised_at__lt=end).count()
    open_ = list(visible.open().filter(raised_at__lt=end).select_related("rule").order_by("raised_at", "id"))
    if not open_ and not new:
        return []
    by_level = {level: sum(1 for w in open_ if w.level == level) for level in Level.values}
    levels = "、".join(_("%(level)s %(n)s") % {"level": label, "n": by_level[value]}
                      for value, label in reversed(Level.choices) if by_level[value])
    lines = [_("Early warnings: %(open)s open (%(levels)s), %(new)s raised yesterday.") % {
        "open": len(open_), "levels": levels or _("none"), "new": new}]
    waiting = [w for w in open_ if w.status in (Status.RAISED, Status.ACKNOWLEDGED)]
    waiting.sort(key=lambda w: (w.raised_at, -LEVEL_RANK[w.level]))
    for warning in waiting[:DIGEST_OLDEST]:
        age = (day - timezone.localtime(warning.raised_at).date()).days
        explanation = warning.explanation if len(warning.explanation) <= 80 else warning.explanation[:79] + "…"
        lines.append(_("Not yet handled for %(days)s days: %(level)s, %(rule)s, %(status)s: %(explanation)s") % {
            "days": age, "level": warning.get_level_display(), "rule": warning.rule.name,
            "status": warning.get_status_display(), "explanation": explanation})
    return lines


def get_home_tile(user) -> dict | None:
    from yiwang.warnings.models import Level, Warning

    if not user_can(user, "warning.view"):
        return None
    visible = Warning.objects.visible_to(user, "warning.view").open()
    return {"open": visible.count(), "red": visible.filter(level=Level.RED).count()}


MEETING_WARNINGS = 8


def get_meeting_warnings(area, user) -> dict | None:
    """The open warnings in `area` that the reader may see, on the leader's meeting view: how many, how
    many red, and the most serious first; None hides the card."""
    from yiwang.warnings.models import LEVEL_RANK, Level, Warning

    if user is None or not user_can(user, "warning.view"):
        return None
    found = list(Warning.objects.visible_to(user, "warning.view").open().filter(area__code__startswith=area.code)
                 .select_related("rule", "area"))
    found.sort(key=lambda w: (-LEVEL_RANK[w.level], -w.raised_at.timestamp()))
    return {"open": len(found), "red": sum(w.level == Level.RED for w in found), "shown": found[:MEETING_WARNINGS],
            "area": area}


def register() -> None:
    hooks.case_changed.connect(on_case_changed)
    hooks.problem_changed.connect(on_problem_changed)
    hooks.cases_registered.connect(on_cases_registered)
    registry.case_panels.register(registry.CasePanel(
        name="warnings.case", template="warnings/_case_panel.html", context=get_case_warnings, slot="aside",
        order=5))
    registry.page_panels.register(registry.PagePanel(
        name="warnings.vessel", page="maritime.vessel", template="warnings/_vessel_panel.html",
        context=get_vessel_warnings, order=5))
    registry.page_panels.register(registry.PagePanel(
        name="warnings.meeting", page="stats.meeting", template="warnings/_meeting_panel.html",
        context=get_meeting_warnings, order=5))
    registry.home_tiles.register(registry.HomeTile(
        name="warnings.open", template="warnings/_home_tile.html", context=get_home_tile, order=5))
    registry.digest_sections.register(registry.DigestSection(name="warnings.digest", lines=get_digest_lines, order=5))
