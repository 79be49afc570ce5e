"""What the rules read: plain records of cases and grid problems, built from the database here and by the
backtest's simulator (bench/warnings_backtest.py) alike, so that both run the same rules.

Text is normalised once, when a record is built: full-width characters to half-width (NFKC) and every
space removed, so that "跳 楼", "跳　楼" and a full-width "ＳＯＳ" match the word lists.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Full-width to half-width, spaces removed, Latin letters lower-cased."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text or "")).lower()


def party_key(*, kind: str, name: str, id_number: str = "", credit_code: str = "", area_code: str = "") -> str:
    """Who a party is, across cases: the ID number, else the credit code, else the name in the town."""
    if id_number:
        return f"id:{id_number.upper()}"
    if credit_code:
        return f"cc:{credit_code.upper()}"
    return f"name:{normalise(name)}@{area_code[:9]}"


def vessel_key(number: str, name: str) -> str:
    """A vessel across cases: its number (浙普渔12345), else its name, normalised."""
    return normalise(number) or normalise(name)


@dataclass(frozen=True)
class CaseFact:
    """A case as the rules see it. `applicants`/`respondents` are party keys; `text` joins the facts, the
    claims, session records and room messages, normalised; `last_activity` is the last mediation session
    (or the day it was received)."""

    id: int
    area_code: str
    type_code: str
    received: dt.date
    maritime: bool = False
    people: int = 1
    amount: Decimal | float | None = None
    text: str = ""
    vessel: str = ""
    vessel_label: str = ""
    applicants: tuple[str, ...] = ()
    respondents: tuple[str, ...] = ()
    respondent_names: tuple[str, ...] = ()
    tier: str = "village"
    is_open: bool = True
    closed_on: dt.date | None = None
    deadline: dt.date | None = None
    last_activity: dt.date | None = None
    lead_leader_id: int | None = None
    # From the vessel registry (yiwang.maritime), when the case has a maritime record: the vessels
    # involved (keys and names), each one's owner (a party key, and the name), the record's dead or
    # missing, crew involved and incident kind, and the crew the registry lists for the vessels, with how
    # many of them have no written contract.
    vessels: tuple[str, ...] = ()
    vessel_names: tuple[str, ...] = ()
    owners: tuple[str, ...] = ()
    owner_names: tuple[str, ...] = ()
    dead: int = 0
    crew: int = 0
    incident: str = ""
    crew_registered: int = 0
    crew_without_contract: int = 0
    # The court rejected judicial confirmation of the case's agreement (the dispute is open again).
    reopened_on: dt.date | None = None
    reopen_reason: str = ""

    @property
    def parties(self) -> tuple[str, ...]:
        return self.applicants + self.respondents


@dataclass(frozen=True)
class ProblemFact:
    """A grid problem as the rules see it."""

    id: int
    area_code: str
    category: str
    reported: dt.date
    text: str = ""


class Lazy:
    """A dict or list read from the database on first use: Lazy(dict, lambda: queryset) behaves as the
    dict (get, [], in, iteration, len) once anything asks."""

    def __init__(self, kind, load):
        self._kind, self._load, self._value = kind, load, None

    def _get(self):
        if self._value is None:
            self._value = self._kind(self._load())
        return self._value

    def __getattr__(self, name):  # get, items, keys, values …
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._get(), name)

    def __getitem__(self, key):
        return self._get()[key]

    def __contains__(self, key):
        return key in self._get()

    def __iter__(self):
        return iter(self._get())

    def __len__(self):
        return len(self._get())

    def __bool__(self):
        return bool(self._get())

    def __eq__(self, other):
        return self._get() == (other._get() if isinstance(other, Lazy) else other)


@dataclass
class Context:
    """What every rule needs besides the records: today, the rules by code, names to write explanations
    with, the sea closures in force, and which working days count (for stalled cases)."""

    today: dt.date
    rules: dict
    area_names: dict[str, str] = field(default_factory=dict)
    type_names: dict[str, str] = field(default_factory=dict)
    category_names: dict[str, str] = field(default_factory=dict)
    closures: list = field(default_factory=list)  # (name, starts_on, ends_on)
    is_working_day: object = None  # date → bool; None: Monday to Friday
    earliest: dt.date | None = None  # the first day the records cover (spike baselines need history)
    excluded: dict = field(default_factory=dict)  # rule code → party keys the district excludes from it

    def is_excluded(self, code: str, key: str) -> bool:
        return key in self.excluded.get(code, ())

    def area_name(self, code: str) -> str:
        """A village is named with its town (六横镇东靖社区), so a district leader knows where it is."""
        name = self.area_names.get(code, code)
        town = self.area_names.get(code[:9]) if len(code) > 9 else None
        return f"{town}{name}" if town and not name.startswith(town) else name

    def closure_on(self, day: dt.date):
        for name, starts, ends in self.closures:
            if starts <= day <= ends:
                return name
        return None

    def working(self, day: dt.date) -> bool:
        return self.is_working_day(day) if self.is_working_day else day.weekday() < 5


# ---------------------------------------------------------------------------------------------- the database

def _local_date(moment) -> dt.date | None:
    return timezone.localtime(moment).date() if moment else None


def case_facts(queryset, *, messages: bool = True) -> list[CaseFact]:
    """Records of the cases in `queryset`, with their parties, sessions, the vessel registry's facts and,
    with `messages`, the mediation room's messages (a few queries). The instant path leaves messages out:
    a message posted changes no case, and reading every message of every related case in the request of
    a case action costs what the schedule pays once an hour."""
    from django.apps import apps

    from yiwang.cases.models import Agreement, MediationSession, Party

    cases = list(queryset.select_related("dispute_type").order_by("id"))
    ids = [c.pk for c in cases]
    parties: dict[int, list] = {}
    for party in Party.objects.filter(case_id__in=ids).order_by("id"):
        parties.setdefault(party.case_id, []).append(party)
    texts: dict[int, list[str]] = {}
    last_session: dict[int, dt.date] = {}
    for case_id, held_at, record in MediationSession.objects.filter(case_id__in=ids).values_list(
            "case_id", "held_at", "record"):
        texts.setdefault(case_id, []).append(record)
        day = _local_date(held_at)
        last_session[case_id] = max(day, last_session.get(case_id, day))
    if messages and apps.is_installed("yiwang.online"):
        message = apps.get_model("online", "RoomMessage")
        for case_id, text in message.objects.filter(case_id__in=ids).values_list("case_id", "text"):
            texts.setdefault(case_id, []).append(text)
    # The court's answer is on the agreement (cases.actions.agreement.do_record_confirmation).
    reopened = {case_id: (decided_on, note) for case_id, decided_on, note in Agreement.objects.filter(
        case_id__in=ids, confirmation_accepted=False).values_list("case_id", "confirmation_decided_on",
                                                                 "confirmation_note")}
    sea = sea_facts(ids) if apps.is_installed("yiwang.maritime") else {}
    facts = []
    for case in cases:
        own = parties.get(case.pk, [])
        received = _local_date(case.received_at)
        at_sea = dict(sea.get(case.pk, {}))
        amount = case.amount
        loss = at_sea.pop("loss_amount", None)
        if loss is not None and (amount is None or loss > amount):
            amount = loss  # the losses at sea the maritime record counts, when the claim names less
        reopened_on, reopen_reason = reopened.get(case.pk, (None, ""))
        if case.pk in reopened and reopened_on is None:
            reopened_on = received  # a decision without its date: known to be rejected, not when
        facts.append(CaseFact(
            id=case.pk, area_code=case.area_id, type_code=case.dispute_type.code, received=received,
            maritime=case.dispute_type.maritime, people=case.people_involved, amount=amount,
            text=normalise(" ".join([case.facts, case.claims, *texts.get(case.pk, [])])),
            vessel=vessel_key(case.vessel_number, case.vessel_name),
            vessel_label=case.vessel_name or case.vessel_number,
            applicants=_keys(own, "applicant", case.area_id), respondents=_keys(own, "respondent", case.area_id),
            respondent_names=tuple(p.name for p in own if p.role == "respondent"),
            tier=case.tier, is_open=case.is_open, closed_on=_local_date(case.closed_at), deadline=case.deadline,
            last_activity=last_session.get(case.pk, received), lead_leader_id=case.lead_leader_id,
            reopened_on=reopened_on, reopen_reason=reopen_reason, **at_sea,
        ))
    return facts


def sea_facts(case_ids) -> dict[int, dict]:
    """What the vessel registry says of each case's maritime record (only its models are read): the
    vessels and their owners, the dead or missing, the crew involved, the incident, the losses, and the
    registered crew of those vessels with how many lack a written contract. Case id → CaseFact fields
    (and `loss_amount`, which case_facts weighs against the case's amount)."""
    from django.apps import apps
    from django.db.models import Count, Q

    record_model = apps.get_model("maritime", "MaritimeRecord")
    crew_model = apps.get_model("maritime", "CrewMember")
    records = list(record_model.objects.filter(case_id__in=case_ids).prefetch_related("vessels"))
    vessel_ids = {v.pk for r in records for v in r.vessels.all()}
    crew = {row["vessel_id"]: (row["n"], row["without"]) for row in crew_model.objects.filter(
        vessel_id__in=vessel_ids).values("vessel_id").annotate(n=Count("id"), without=Count(
            "id", filter=Q(written_contract=False)))}
    out = {}
    for r in records:
        vessels = sorted(r.vessels.all(), key=lambda v: v.pk)
        out[r.case_id] = {
            "vessels": tuple(vessel_key(v.registration_number, v.name) for v in vessels),
            "vessel_names": tuple(v.name for v in vessels),
            "owners": tuple(party_key(kind=v.owner_kind, name=v.owner_name, id_number=v.owner_id_number,
                                      credit_code=v.owner_credit_code, area_code=v.area_id) for v in vessels),
            "owner_names": tuple(v.owner_name for v in vessels),
            "dead": r.dead, "crew": r.crew_involved, "incident": r.incident_kind, "loss_amount": r.loss_amount,
            "crew_registered": sum(crew.get(v.pk, (0, 0))[0] for v in vessels),
            "crew_without_contract": sum(crew.get(v.pk, (0, 0))[1] for v in vessels),
        }
    return out


def _keys(parties, role: str, area_code: str) -> tuple[str, ...]:
    return tuple(party_key(kind=p.kind, name=p.name, id_number=p.id_number, credit_code=p.credit_code,
                           area_code=area_code) for p in parties if p.role == role)


def light_case_facts(queryset) -> list[CaseFact]:
    """Only area, type and day: what a spike's baseline counts, over years of cases."""
    from yiwang.areas.models import DisputeType

    codes = dict(DisputeType.objects.values_list("pk", "code"))
    return [CaseFact(id=pk, area_code=area, type_code=codes[type_id], received=_local_date(received))
            for pk, area, type_id, received in queryset.values_list("pk", "area_id", "dispute_type_id", "received_at")]


def problem_facts(queryset, *, with_text: bool = True) -> list[ProblemFact]:
    rows = queryset.values_list("pk", "area_id", "category", "reported_at", "description" if with_text else "pk")
    return [ProblemFact(id=pk, area_code=area, category=category, reported=_local_date(at),
                        text=normalise(text) if with_text else "")
            for pk, area, category, at, text in rows]
