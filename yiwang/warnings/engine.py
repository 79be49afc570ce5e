"""Running the rules on the database: the instant rules when a case or problem changes (inside its
action's transaction, from the core hooks), every rule on the schedule (`yiwang evaluate_warnings`), and
turning findings into warnings — one open warning per situation, new cases joining it.

Running twice changes nothing: a finding whose cases are all already linked to a warning of its
situation (open or closed) raises nothing new.
"""

from __future__ import annotations

import datetime as dt

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation

from yiwang.core import crypto
from yiwang.warnings import detect, routing
from yiwang.warnings.facts import Context, Lazy, case_facts, light_case_facts, problem_facts
from yiwang.warnings.models import (
    LEVEL_RANK,
    EventKind,
    Mode,
    Rule,
    SeaClosure,
    Warning,
    WarningEvent,
)

# How far back the group rules look when a case changes (the longest default window, 返回 after archive).
RELATED_DAYS = 400


def get_context(today: dt.date) -> Context:
    """The rules, names and closures as they stand, for evaluating on `today`."""
    from yiwang.areas.models import Area, DisputeType
    from yiwang.core.calendar import get_overrides, is_working_day
    from yiwang.grids.models import Category
    from yiwang.warnings.models import Exclusion

    district = settings.YIWANG_DISTRICT
    overrides = get_overrides(today - dt.timedelta(days=60), today)
    excluded: dict[str, set[str]] = {}
    for exclusion in Exclusion.objects.all():
        excluded.setdefault(exclusion.rule_id, set()).add(exclusion.party_key)
    # The names and closures are read when a rule first asks for them (a finding to explain, a maritime
    # case): the instant rules on a case that raises nothing read neither.
    return Context(
        today=today,
        rules={rule.code: rule for rule in Rule.objects.all()},
        area_names=Lazy(dict, lambda: Area.objects.filter(code__startswith=district).values_list("code", "name")),
        type_names=Lazy(dict, lambda: DisputeType.objects.values_list("code", "name")),
        category_names={value: str(label) for value, label in Category.choices},
        closures=Lazy(list, lambda: SeaClosure.objects.filter(ends_on__gte=today - dt.timedelta(days=RELATED_DAYS))
                      .values_list("name", "starts_on", "ends_on")),
        is_working_day=lambda day: is_working_day(day, overrides),
        excluded=excluded,
    )


def _codes(ctx: Context, mode: str | None = None) -> list[str]:
    return [code for code, rule in ctx.rules.items() if rule.enabled and (mode is None or rule.mode == mode)]


# ---------------------------------------------------------------------------------------------- instant

def related_cases(case):
    """The cases a change to `case` may form a group with: sharing a party (ID number, credit code or
    name), the vessel, or (from the vessel registry) a vessel or a vessel's owner, received within
    RELATED_DAYS."""
    from yiwang.cases.models import Case, Party

    parties = list(case.parties.all())
    q = Q(pk=case.pk)
    ids = [p.id_number for p in parties if p.id_number]
    codes = [p.credit_code for p in parties if p.credit_code]
    names = [p.name for p in parties if not p.id_number and not p.credit_code]
    party_q = crypto.match_any("id_number", ids) | Q(credit_code__in=codes) | Q(name__in=names)
    q |= Q(pk__in=Party.objects.filter(party_q).values("case_id"))
    if case.vessel_number:
        q |= Q(vessel_number=case.vessel_number)
    elif case.vessel_name:
        q |= Q(vessel_name=case.vessel_name)
    if apps.is_installed("yiwang.maritime"):
        q |= _registry_related_q(case)
    since = case.received_at - dt.timedelta(days=RELATED_DAYS)
    return Case.objects.filter(q, received_at__gte=since)


def _registry_related_q(case) -> Q:
    """Cases whose maritime record lists a vessel of `case`'s record, or a vessel of the same owner."""
    vessel_model = apps.get_model("maritime", "Vessel")
    record_model = apps.get_model("maritime", "MaritimeRecord")
    vessels = list(vessel_model.objects.filter(records__case_id=case.pk).values(
        "pk", "owner_id_number", "owner_credit_code", "owner_name", "area_id"))
    if not vessels:
        return Q(pk__in=[])
    same = Q(pk__in=[v["pk"] for v in vessels])
    for v in vessels:
        if v["owner_id_number"]:
            same |= crypto.match("owner_id_number", v["owner_id_number"])
        elif v["owner_credit_code"]:
            same |= Q(owner_credit_code=v["owner_credit_code"])
        elif v["owner_name"]:
            same |= Q(owner_name=v["owner_name"], owner_id_number="", owner_credit_code="",
                      area__code__startswith=v["area_id"][:9])
    return Q(pk__in=record_model.objects.filter(vessels__in=vessel_model.objects.filter(same)).values("case_id"))


def evaluate_case(case, event=None) -> list[Warning]:
    """The instant rules for `case` and the cases related to it (hook core.hooks.case_changed). Room
    messages are left to the schedule (facts.case_facts)."""
    today = timezone.localdate()
    ctx = get_context(today)
    codes = _codes(ctx, Mode.INSTANT)
    if not codes:
        return []
    facts = case_facts(related_cases(case), messages=False)
    focus = [f for f in facts if f.id == case.pk]
    with site_language():
        findings = detect.run(codes, facts, [], ctx, focus=focus)
    return apply_findings(findings, ctx)


def evaluate_committed_case(case_id: int) -> list[Warning]:
    """The instant rules for a case again once its action has committed: the maritime intake writes the
    case's maritime record (dead, vessels, crew) after the registration's hook ran."""
    from yiwang.cases.models import Case

    case = Case.objects.filter(pk=case_id).first()
    if case is None:
        return []
    with transaction.atomic():
        return evaluate_case(case)


def evaluate_cases(case_ids, today: dt.date | None = None) -> list[Warning]:
    """The instant rules for many cases at once (a bulk registration, on the worker): one load of the
    district's recent records, the per-case rules on these cases and the group rules on the groups they
    are in — a set-based pass instead of one evaluation per case."""
    today = today or timezone.localdate()
    ctx = get_context(today)
    codes = _codes(ctx, Mode.INSTANT)
    wanted = set(case_ids)
    if not codes or not wanted:
        return []
    recent = _recent_facts(today, messages=False)
    focus = [f for f in recent if f.id in wanted]
    with site_language():
        findings = detect.run(codes, recent, [], ctx, focus=focus)
    with transaction.atomic():
        return apply_findings(findings, ctx)


def evaluate_problem(old, problem) -> list[Warning]:
    """The instant rules on a grid problem's report (hook core.hooks.problem_changed): danger words, when
    it is reported or its description changes."""
    if old is not None and old.description == problem.description:
        return []
    ctx = get_context(timezone.localdate())
    from yiwang.grids.models import Problem

    facts = problem_facts(Problem.objects.filter(pk=problem.pk))
    codes = [c for c in _codes(ctx, Mode.INSTANT) if c in ("danger.extreme", "danger.mass")]
    with site_language():
        findings = detect.run(codes, [], facts, ctx, focus=[], focus_problems=facts)
    return apply_findings(findings, ctx)


# ---------------------------------------------------------------------------------------------- schedule

def evaluate_all(today: dt.date | None = None, out=lambda line: None) -> list[Warning]:
    """Every enabled rule over the district's records as of `today` (the schedule and the command)."""
    from yiwang.cases.models import Case
    from yiwang.grids.models import Problem

    today = today or timezone.localdate()
    ctx = get_context(today)
    district = settings.YIWANG_DISTRICT
    cases = Case.objects.filter(area__code__startswith=district)
    end = _end_of(today)
    since = end - dt.timedelta(days=RELATED_DAYS)
    recent = _recent_facts(today)
    years = max(int(r.setting("baseline_years", 3)) for r in ctx.rules.values()) if ctx.rules else 3
    history_since = end - dt.timedelta(days=365 * years + 30)
    known = {f.id for f in recent}  # an old case still open is in `recent` already: count it once
    history = [f for f in light_case_facts(cases.filter(received_at__gte=history_since, received_at__lt=since))
               if f.id not in known]
    problems = Problem.objects.filter(area__code__startswith=district, reported_at__lt=end)
    problem_rows = problem_facts(problems.filter(reported_at__gte=since)) + problem_facts(
        problems.filter(reported_at__gte=history_since, reported_at__lt=since), with_text=False)
    first = cases.order_by("received_at").values_list("received_at", flat=True).first()
    ctx.earliest = timezone.localtime(first).date() if first else today
    findings = []
    codes = _codes(ctx)
    window_codes = [c for c in codes if c in ("spike.cases", "spike.problems")]
    with site_language():
        findings += detect.run([c for c in codes if c not in window_codes], recent, problem_rows, ctx)
        findings += detect.run(window_codes, recent + history, problem_rows, ctx)
    with transaction.atomic():
        warnings = apply_findings(findings, ctx)
    out(f"{len(findings)} findings, {len(warnings)} warnings raised or joined")
    return warnings


def _end_of(today: dt.date):
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time()))


def _recent_facts(today: dt.date, *, messages: bool = True):
    """The district's cases received within RELATED_DAYS of `today`, or still open, as records."""
    from yiwang.cases.models import Case

    end = _end_of(today)
    since = end - dt.timedelta(days=RELATED_DAYS)
    cases = Case.objects.filter(area__code__startswith=settings.YIWANG_DISTRICT)
    return case_facts(cases.filter(Q(received_at__gte=since) | Q(status__in=_open_case_statuses()),
                                   received_at__lt=end), messages=messages)


def _open_case_statuses():
    from yiwang.cases.models import OPEN_STATUSES

    return sorted(OPEN_STATUSES)


# ---------------------------------------------------------------------------------------------- findings

def apply_findings(findings, ctx: Context) -> list[Warning]:
    """Raise a warning for each new situation and join new cases into the open warning of a known one;
    returns the warnings raised or changed. Runs inside the caller's transaction."""
    changed = []
    with site_language():
        for finding in findings:
            warning = _apply(finding, ctx)
            if warning is not None:
                changed.append(warning)
    return changed


def _apply(finding: detect.Finding, ctx: Context) -> Warning | None:
    now = timezone.now()
    existing = Warning.objects.select_for_update().filter(key=finding.key).open().first()
    if existing is not None:
        return _join(existing, finding, now)
    covered_cases = set(Warning.cases.through.objects.filter(warning__key=finding.key)
                        .values_list("case_id", flat=True))
    covered_problems = set(Warning.problems.through.objects.filter(warning__key=finding.key)
                           .values_list("problem_id", flat=True))
    if set(finding.cases) <= covered_cases and set(finding.problems) <= covered_problems:
        return None  # the situation was warned of and closed; nothing new has joined it since
    try:
        with transaction.atomic():
            return _raise(finding, ctx, now)
    except IntegrityError:  # someone raised the same situation meanwhile: join theirs
        existing = Warning.objects.select_for_update().filter(key=finding.key).open().first()
        return _join(existing, finding, now) if existing else None


def _raise(finding: detect.Finding, ctx: Context, now) -> Warning:
    from yiwang.audit.actions import record

    tier, routed = routing.get_tier(finding.area_code, finding.level)
    warning = Warning.objects.create(
        rule_id=finding.rule, key=finding.key, level=finding.level, area_id=_known_area(finding.area_code),
        tier=tier, routed_area=routed, vessel=finding.vessel[:60], explanation=finding.explanation,
        numbers=finding.numbers, raised_at=now, updated_at=now,
    )
    warning.cases.set(finding.cases)
    warning.problems.set(finding.problems)
    warning.leaders.set(routing.get_leaders_in_charge(warning))
    WarningEvent.objects.create(warning=warning, kind=EventKind.RAISED, at=now, note=finding.explanation,
                                detail={"level": finding.level, "tier": tier, "routed_area": routed})
    record(None, "warnings.raised", warning, area_code=warning.area_id, level=warning.level, rule=warning.rule_id)
    routing.announce_warning(warning, kind="warning.raised")
    return warning


def _known_area(code: str) -> str:
    """The division itself, or the nearest loaded one above it (a village not loaded yet)."""
    from yiwang.areas.models import Area
    from yiwang.core.codes import ancestor_codes

    known = set(Area.objects.filter(code__in=ancestor_codes(code)).values_list("code", flat=True))
    for candidate in reversed(ancestor_codes(code)):
        if candidate in known:
            return candidate
    return code


def _join(warning: Warning, finding: detect.Finding, now) -> Warning | None:
    linked_cases = set(warning.cases.values_list("pk", flat=True))
    linked_problems = set(warning.problems.values_list("pk", flat=True))
    new_cases = [pk for pk in finding.cases if pk not in linked_cases]
    new_problems = [pk for pk in finding.problems if pk not in linked_problems]
    higher = LEVEL_RANK[finding.level] > LEVEL_RANK[warning.level]
    if not new_cases and not new_problems and not higher:
        return None
    fields = ["explanation", "numbers", "updated_at", "version"]
    warning.explanation, warning.numbers, warning.updated_at = finding.explanation, finding.numbers, now
    warning.version += 1
    if new_cases or new_problems:
        warning.cases.add(*new_cases)
        warning.problems.add(*new_problems)
        WarningEvent.objects.create(warning=warning, kind=EventKind.JOINED, at=now, note=finding.explanation,
                                    detail={"cases": new_cases, "problems": new_problems})
    if higher:
        previous = warning.level
        warning.level = finding.level
        tier, routed = routing.get_tier(warning.area_id, warning.level)
        if routing.TIER_RANK[tier] > routing.TIER_RANK[warning.tier]:
            warning.tier, warning.routed_area = tier, routed
        fields += ["level", "tier", "routed_area"]
        WarningEvent.objects.create(warning=warning, kind=EventKind.LEVEL_RAISED, at=now,
                                    detail={"from": previous, "to": warning.level})
    warning.save(update_fields=fields)
    warning.leaders.add(*routing.get_leaders_in_charge(warning))
    if higher:
        routing.announce_warning(warning, kind="warning.raised")
    return warning


def site_language():
    """Explanations are written in the site's language (Chinese) whoever's action set them off."""
    return translation.override(settings.LANGUAGE_CODE)
