"""The dashboard's tables, built once and rendered three ways: as HTML, as Excel and in the monthly PDF,
so the page and its exports always show the same numbers. Every count links to the rows behind it
(the case queue or the problem list), which the reader's own scope narrows again."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.translation import gettext as _

from yiwang.areas.models import Area, DisputeType
from yiwang.cases.models import Channel, Outcome, Tier
from yiwang.grids.models import Category
from yiwang.stats import figures as f


@dataclass
class Cell:
    value: object
    href: str = ""
    percent: bool = False

    @property
    def text(self) -> str:
        if self.value is None:
            return "—"
        if self.percent:
            return f"{self.value:.2f}%"
        return str(self.value)


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    unit: str
    rows: list[list[Cell]] = field(default_factory=list)


class Links:
    """URLs of the lists behind the figures for one area and period."""

    def __init__(self, area: Area, start, end):
        self.area, self.start, self.end = area, start, end

    def cases(self, **filters) -> str:
        # The queue's `area` filter is the subtree where the disputes arose, as the figures count them.
        params = {"queue": "all", "state": filters.pop("state", "all"), "area": self.area.code,
                  "received_from": self.start.isoformat(), "received_to": self.end.isoformat()}
        params.update({k: v for k, v in filters.items() if v})
        return f"{reverse('cases:queue')}?{urlencode(params)}"

    def problems(self, cleared: bool = False, **filters) -> str:
        """The problem list behind a grid figure: the problems reported in the period (or, `cleared`, closed
        in it), so that the list counts what the figure counts; the open backlog (show="open") is today's."""
        params = {"area": self.area.code, "show": filters.pop("show", "all"), **filters}
        if params["show"] != "open":
            prefix = "closed" if cleared else "reported"
            params.update({f"{prefix}_from": self.start.isoformat(), f"{prefix}_to": self.end.isoformat()})
        return f"{reverse('grids:problem_list')}?{urlencode(params)}"




def dashboard_url(code: str, start, end) -> str:
    return f"{reverse('stats:dashboard', args=[code])}?start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"


def get_children(area: Area) -> list[Area]:
    return list(Area.objects.filter(parent=area).order_by("code"))


def area_table(area: Area, start, end) -> Table:
    """One row per area one level down (drill-down), and a total row."""
    children = get_children(area)
    codes = [c.code for c in children]
    now = f.get_children_figures(codes + [area.code], start, end)
    table = Table("areas", _("Cases and grid problems by area"), [
        _("Area"), _("Cases received"), _("Same period last year"), _("Year on year"), _("Mediation agreements"),
        _("Closed"), _("Grid visits"), _("Problems found"), _("Problems cleared")], _("cases, visits, problems"))
    for child in [*children, None]:
        code = child.code if child else area.code
        figures = now[code]
        links = Links(child or area, start, end)
        name = Cell(child.name, dashboard_url(child.code, start, end)) if child else Cell(_("Total"))
        table.rows.append([
            name,
            Cell(figures["received"], links.cases()),
            Cell(figures["received_previous_year"]),
            Cell(figures["yoy_change_percent"], percent=True),
            Cell(figures["mediation_agreements"]),
            Cell(figures["closed"], links.cases(state="closed")),
            Cell(figures["visits"]),
            Cell(figures["reported"], links.problems()),
            Cell(figures["cleared"], links.problems(cleared=True)),
        ])
    return table


def breakdown_table(key: str, title: str, label: str, current: dict, previous: dict | None, names: dict,
                    link) -> Table:
    headers = [label, _("Cases received")]
    if previous is not None:
        headers += [_("Same period last year"), _("Year on year")]
    table = Table(key, title, headers, _("cases"))
    total = sum(current.values())
    for code in sorted(set(current) | set(previous or {}), key=lambda c: (-current.get(c, 0), c)):
        row = [Cell(str(names.get(code, code))), Cell(current.get(code, 0), link(code))]
        if previous is not None:
            row += [Cell(previous.get(code, 0)),
                    Cell(f.change_percent(current.get(code, 0), previous.get(code, 0)), percent=True)]
        table.rows.append(row)
    row = [Cell(_("Total")), Cell(total)]
    if previous is not None:
        row += [Cell(sum(previous.values())), Cell(f.change_percent(total, sum(previous.values())), percent=True)]
    table.rows.append(row)
    return table


def case_tables(area: Area, start, end, cases: dict) -> list[Table]:
    links = Links(area, start, end)
    types = dict(DisputeType.objects.values_list("code", "name"))
    outcomes = {**dict(Outcome.choices), "open": _("Still open")}
    return [
        breakdown_table("types", _("Cases received by dispute type"), _("Dispute type"), cases["by_type"],
                        cases["by_type_previous_year"], types, lambda code: links.cases(dispute_type=code)),
        breakdown_table("channels", _("Cases received by channel"), _("Channel"), cases["by_channel"],
                        cases["by_channel_previous_year"], dict(Channel.choices),
                        lambda code: links.cases(channel=code)),
        breakdown_table("tiers", _("Cases received by tier"), _("Tier"), cases["by_tier"],
                        cases["by_tier_previous_year"], dict(Tier.choices), lambda code: links.cases()),
        breakdown_table("outcomes", _("Cases received by outcome"), _("Outcome"), cases["by_outcome"], None,
                        outcomes, lambda code: links.cases(state="open" if code == "open" else "closed")),
    ]


def grid_table(area: Area, start, end, grids: dict) -> Table:
    links = Links(area, start, end)
    table = Table("problems", _("Grid problems by category"), [
        _("Category"), _("Problems found"), _("Problems cleared")], _("problems"))
    for code, label in Category.choices:
        table.rows.append([Cell(str(label)), Cell(grids["by_category"].get(code, 0), links.problems(category=code)),
                           Cell(grids["cleared_by_category"].get(code, 0))])
    table.rows.append([Cell(_("Total")), Cell(grids["reported"], links.problems()), Cell(grids["cleared"])])
    return table


def get_tables(area: Area, start, end, cases: dict, grids: dict) -> list[Table]:
    return [area_table(area, start, end), *case_tables(area, start, end, cases), grid_table(area, start, end, grids)]
