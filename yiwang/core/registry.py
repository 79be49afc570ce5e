"""What an app adds to pages and serializers of the apps below it, registered in its `AppConfig.ready()`:
the base app renders what is registered and imports none of the apps built on it (STYLE.md 13).

    case_panels         cards on the staff case page (/cases/<id>/)          CasePanel
    home_tiles          tiles on the staff home page (/home/)               HomeTile
    case_api_fields     read-only fields of the case API (/api/v1/cases/)   CaseApiField
    form_snippets       pieces of other apps' form pages (intake, filing)    FormSnippet
    organisation_cases  more cases an organisation-limited grant reaches     OrganisationCases
    problem_panels      cards on the grid problem page (/grids/problems/<id>/)   ProblemPanel
    page_panels         cards on any other app's object page, by page name   PagePanel
    digest_sections     sections of a leader's daily digest                   DigestSection

Each list is read in a stable order: by `order`, then by `name`. Registering the same name again
replaces the entry (ready() may run more than once in tests); two apps cannot share a name silently,
because the later one wins and the earlier one's own tests fail.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

# Where a panel sits on the case page: under the case's parties, or in the side column under the actions.
PANEL_SLOTS = ("main", "aside")


@dataclass(frozen=True)
class CasePanel:
    """A card on the case page: `template` is included with `panel` set to what `context(case, user,
    full_pii=…)` returns; None (or anything empty) leaves the card out for this reader."""

    name: str
    template: str
    context: Callable[..., Any]
    slot: str = "aside"
    order: int = 100

    def __post_init__(self):
        if self.slot not in PANEL_SLOTS:
            raise ValueError(f"case panel {self.name}: slot must be one of {PANEL_SLOTS}")


@dataclass(frozen=True)
class HomeTile:
    """Tiles on the home page: `template` is included with `tile` set to what `context(user)` returns;
    None leaves them out (the reader may not open what they link to)."""

    name: str
    template: str
    context: Callable[..., Any]
    order: int = 100


@dataclass(frozen=True)
class CaseApiField:
    """A read-only field of the case API: `field()` makes the DRF field (it reads the Case, e.g. with
    source="*"; its schema type comes from the field, e.g. drf_spectacular's @extend_schema_field);
    `select_related` names the relations the field reads, joined by the case API's queryset."""

    name: str
    field: Callable[[], Any]
    select_related: tuple[str, ...] = ()
    order: int = 100


@dataclass
class Registry:
    """One ordered list of contributions of one kind, keyed by name."""

    kind: type
    _items: dict[str, Any] = field(default_factory=dict)

    def register(self, item) -> Any:
        if not isinstance(item, self.kind):
            raise TypeError(f"expected a {self.kind.__name__}, got {item!r}")
        self._items[item.name] = item
        return item

    def unregister(self, name: str) -> None:
        self._items.pop(name, None)

    def __iter__(self):
        return iter(sorted(self._items.values(), key=lambda item: (item.order, item.name)))

    def names(self) -> list[str]:
        return [item.name for item in self]


case_panels = Registry(CasePanel)
home_tiles = Registry(HomeTile)
case_api_fields = Registry(CaseApiField)


# A piece of a form page of another app, e.g. a suggestion shown
# beside the intake form's fields. Rendered with {% load registry_tags %}{% form_snippets "name" %}.
@dataclass(frozen=True)
class FormSnippet:
    """A piece of the form page named `form` ("cases.intake" under the facts and claims, "cases.intake.after"
    under the amount, "online.file"): `template` is included with `snippet` set to what `context(request)`
    returns and `form` to the page's form; None leaves it out for this request."""

    name: str
    form: str
    template: str
    context: Callable[..., Any]
    order: int = 100


form_snippets = Registry(FormSnippet)


@dataclass(frozen=True)
class OrganisationCases:
    """More cases an organisation-limited grant reaches (beyond those cases.models.organisation_case_q
    names): `q(organisation_id)` returns a Q on Case, e.g. the cases a maritime agency has tasks on."""

    name: str
    q: Callable[[int], Any]
    order: int = 100


organisation_cases = Registry(OrganisationCases)


@dataclass(frozen=True)
class ProblemPanel:
    """A card on the grid problem page (/grids/problems/<id>/): `template` is included with `panel` set
    to what `context(problem, user)` returns; None (or anything empty) leaves the card out."""

    name: str
    template: str
    context: Callable[..., Any]
    order: int = 100


problem_panels = Registry(ProblemPanel)


@dataclass(frozen=True)
class PagePanel:
    """A card on the object page named `page` ("maritime.vessel", "areas.centre", "stats.dashboard" with the
    area; on a party's private page once proven, where the user is anonymous: "online.party" with the case
    under its claims, "online.party.answer" with the party's access under their answer to mediation),
    for pages of apps other than the one registering:
    `template` is included with `panel` set to what `context(obj, user)` returns; None (or anything empty)
    leaves the card out. Rendered with {% load registry_tags %}{% page_panels "maritime.vessel" vessel %}."""

    name: str
    page: str
    template: str
    context: Callable[..., Any]
    order: int = 100


page_panels = Registry(PagePanel)


@dataclass(frozen=True)
class DigestSection:
    """A section of the daily digest a reader of area statistics receives: `lines(user, day)` returns the
    section's lines (translated text, already limited to what `user` may see) for the digest of `day`;
    an empty list leaves the section out."""

    name: str
    lines: Callable[..., list]
    order: int = 100


digest_sections = Registry(DigestSection)
