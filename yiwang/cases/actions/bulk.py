"""Registering many cases at once, set-based: the same cases `do_register_case` would make one by one
(numbers gap-free per centre and year, tier, centre, window, owner, deadline, duplicate flag, timeline
event, audit event, statistics), in a fixed number of statements per batch instead of a request's
worth per case.

Knows nothing of who sends the batch (a bank, a court, a migration): the caller gives validated-looking
dicts and gets back, per item, the case or the errors, exactly as do_register_case would raise them.
What the apps built on cases do about new cases runs once for the whole set, through the hook
core.hooks.cases_registered(cases) (statistics cells); handlers of case_changed are not called (a registration
changes no grid problem and no party link).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.areas.models import Area, DisputeType, Organisation, OrganisationKind, WindowKind
from yiwang.audit.chain import seal_rows
from yiwang.audit.context import get_origin
from yiwang.audit.models import AuditEvent
from yiwang.cases.actions._base import (
    ACCEPT_WORKDAYS,
    DUPLICATE_DAYS,
    CaseInputError,
    PermissionRefused,
)
from yiwang.cases.actions.intake import check_parties
from yiwang.cases.actions.routing import (
    _intake_centre,
    _intake_organisation,
    get_centre_for,
    get_team_for,
    get_tier_for,
    get_window_for,
)
from yiwang.cases.models import Case, CaseCounter, CaseEvent, Channel, EventKind, Party, Status, Tier
from yiwang.cases.numbering import format_number
from yiwang.core import crypto, hooks
from yiwang.core.calendar import add_working_days
from yiwang.core.scope import user_can, user_can_reach

CHANNELS, TIERS = frozenset(Channel.values), frozenset(Tier.values)  # (an enum's .values is rebuilt per call)
CHUNK = 2000  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


@dataclass
class BulkItem:
    """One case to register: the keyword arguments of do_register_case (channel, dispute_type, area,
    facts, claims, applicants, respondents, amount, people_involved, window, tier, received_at,
    submitted_by_organisation), and what became of it."""

    values: dict
    case: Case | None = None
    errors: dict = field(default_factory=dict)


def _check_amount(errors, value):
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
        if amount < 0 or amount >= Decimal("1e12") or amount != round(amount, 2):
            raise InvalidOperation
    except (InvalidOperation, ValueError):
        errors["amount"] = [_("Enter an amount in yuan, zero or more, with at most two decimals.")]
        return None
    return amount


class _Lookups:
    """What a batch asks the database once per distinct value, not once per case."""

    def __init__(self, by):
        self.by = by
        self.types, self.areas, self.orgs, self.routes, self.windows, self.teams = {}, {}, {}, {}, {}, {}
        self.may_register, self.registered_centre, self.intake_org, self.deadlines = {}, {}, {}, {}

    def dispute_type(self, value):
        if isinstance(value, DisputeType):
            return value
        key = str(value or "")
        if key not in self.types:
            self.types[key] = DisputeType.objects.filter(code=key, active=True).first()
        return self.types[key]

    def area(self, value):
        if isinstance(value, Area):
            return value
        key = str(value or "")
        if key not in self.areas:
            self.areas[key] = Area.objects.filter(code=key).first()
        return self.areas[key]

    def organisation(self, value):
        if value in (None, "") or isinstance(value, Organisation):
            return value or None
        key = str(value)
        if key not in self.orgs:
            self.orgs[key] = Organisation.objects.filter(pk=key).first() if key.isdigit() else None
        return self.orgs[key]

    def centre(self, area_code, tier):
        if (area_code, tier) not in self.routes:
            self.routes[(area_code, tier)] = get_centre_for(area_code, tier)
        return self.routes[(area_code, tier)]

    def window(self, centre, dispute_type):
        if (centre.pk, dispute_type.pk) not in self.windows:
            self.windows[(centre.pk, dispute_type.pk)] = get_window_for(centre, dispute_type)
        return self.windows[(centre.pk, dispute_type.pk)]

    def team(self, area_code, dispute_type):
        if (area_code, dispute_type.pk) not in self.teams:
            self.teams[(area_code, dispute_type.pk)] = get_team_for(area_code, dispute_type)
        return self.teams[(area_code, dispute_type.pk)]

    def can_register(self, area_code):
        if area_code not in self.may_register:
            self.may_register[area_code] = user_can(self.by, "case.intake", area_code)
        return self.may_register[area_code]

    def intake(self, area_code):
        if area_code not in self.registered_centre:
            self.registered_centre[area_code] = _intake_centre(self.by, area_code)
            self.intake_org[area_code] = _intake_organisation(self.by, area_code)
        return self.registered_centre[area_code], self.intake_org[area_code]

    def deadline(self, day):
        if day not in self.deadlines:
            self.deadlines[day] = add_working_days(day, ACCEPT_WORKDAYS)
        return self.deadlines[day]


def _check_item(item: BulkItem, look: _Lookups, now) -> Case | None:
    """The unsaved Case for one item, routed as do_register_case routes it, or None with item.errors.
    The same checks, in the same words, as do_register_case."""
    v, errors = item.values, item.errors
    channel = v.get("channel")
    if channel not in CHANNELS:
        errors["channel"] = [_("Choose one of the intake channels.")]
    dispute_type = look.dispute_type(v.get("dispute_type"))
    if dispute_type is None:
        errors["dispute_type"] = [_("Choose a known dispute type.")]
    area = look.area(v.get("area"))
    if area is None:
        errors["area"] = [_("Give the division code of the place where the dispute arose.")]
    facts = str(v.get("facts") or "").strip()
    if not facts:
        errors["facts"] = [_("Describe the facts of the dispute.")]
    claims = str(v.get("claims") or "").strip()
    if not claims:
        errors["claims"] = [_("State what the applicant asks for.")]
    amount = _check_amount(errors, v.get("amount"))
    try:
        people = int(v.get("people_involved") or 1)
        if not 1 <= people <= 100000:
            raise ValueError
    except (TypeError, ValueError):
        errors["people_involved"] = [_("Enter the number of people involved (at least 1).")]
        people = 1
    parties, party_errors = check_parties(v.get("applicants"), v.get("respondents") or ())
    errors.update(party_errors)
    if dispute_type is not None and dispute_type.maritime:
        errors["dispute_type"] = [_("Register maritime disputes one by one.")]  # they need vessel details
    received_at = v.get("received_at") or now
    if not isinstance(received_at, dt.datetime) or timezone.is_naive(received_at):
        errors["received_at"] = [_("Enter a valid date and time.")]
    elif received_at > now + dt.timedelta(minutes=5):
        errors["received_at"] = [_("The time of receipt cannot be in the future.")]
    tier = v.get("tier") or None
    if tier is not None and tier not in TIERS:
        errors["tier"] = [_("Choose village, town or district.")]
    organisation = look.organisation(v.get("submitted_by_organisation"))
    if v.get("submitted_by_organisation") not in (None, "") and (
            organisation is None or organisation.kind not in (OrganisationKind.BANK, OrganisationKind.COURT)
            or not organisation.active):
        errors["submitted_by_organisation"] = [_("Choose a bank or a court.")]
    if errors:
        return None
    if not look.can_register(area.code):
        raise PermissionRefused(_("You may not register cases in %(area)s.") % {"area": area.name})
    tier = tier or get_tier_for(dispute_type, amount=amount, people_involved=people, channel=channel)
    centre = look.centre(area.code, tier)
    if centre is None:
        errors["area"] = [_("No centre serves this area.")]
        return None
    window = v.get("window")
    routed_window = look.window(centre, dispute_type)
    handed_from = ""
    if window is not None and window.centre_id == centre.id and window.kind == WindowKind.SPECIALISED:
        routed_window = window
    elif window is not None and routed_window is not None and window.pk != routed_window.pk:
        handed_from = str(window)
    intake_centre, intake_org = look.intake(area.code)
    case = Case(
        channel=channel, dispute_type=dispute_type, area=area, centre=centre,
        registered_centre=intake_centre or centre, tier=centre.level, window=routed_window,
        team=v.get("team") or look.team(area.code, dispute_type), status=Status.REGISTERED, facts=facts,
        claims=claims, amount=amount, people_involved=people, received_at=received_at,
        deadline=look.deadline(timezone.localtime(received_at).date()), owner=look.by,
        visits=1 if channel == Channel.WINDOW else 0, created_by=look.by,
        submitted_by_organisation=intake_org or organisation or None,
    )
    case._bulk_parties, case._bulk_handed_from = parties, handed_from
    return case


def _take_numbers(cases: list[Case]) -> None:
    """Numbers for every case, gap-free per registering centre and year: each counter row is locked
    once (in key order, so two batches cannot deadlock) and advanced by the count it hands out."""
    groups: dict[tuple[int, int], list[Case]] = {}
    for case in cases:
        groups.setdefault((case.registered_centre_id, timezone.localtime(case.received_at).year), []).append(case)
    for (centre_id, year), members in sorted(groups.items()):
        CaseCounter.objects.get_or_create(centre_id=centre_id, year=year, defaults={"last": 0})
        counter = CaseCounter.objects.select_for_update().get(centre_id=centre_id, year=year)
        code = members[0].registered_centre.code
        for offset, case in enumerate(members, start=1):
            case.number = format_number(code, year, counter.last + offset)
        counter.last += len(members)
        counter.save(update_fields=["last"])


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _flag_duplicates(cases: list[Case]) -> None:
    """get_possible_duplicates for the whole set: the latest other live case of the same type received
    within DUPLICATE_DAYS sharing an ID or mobile number, earlier cases of this same set included."""
    # A party's ID and mobile are matched by their keyed hashes (encrypted at rest): each key is (kind,
    # normalised value), looked up under every configured HMAC key.
    def party_keys(party):
        return [(kind, crypto.normalise(kind, value)) for kind, value in (("id_number", party.id_number),
                                                                         ("phone", party.phone)) if value]

    keys = {k for case in cases for p in case._bulk_parties for k in party_keys(p)}
    if not keys:
        return
    earliest = min(case.received_at for case in cases) - dt.timedelta(days=DUPLICATE_DAYS)
    new_ids = {case.pk for case in cases}
    latest: dict[tuple[int, tuple], tuple] = {}  # (type, key) → (received_at, pk, number)
    for kind in ("id_number", "phone"):  # one indexed lookup each (an OR of the two scans the table)
        key_of = {h: (kind, value) for k, value in keys if k == kind for h in crypto.lookup_hashes(kind, value)}
        column = f"{kind}_hash"
        for chunk in _chunks(sorted(key_of)):
            rows = Party.objects.filter(**{f"{column}__in": chunk}, case__received_at__gte=earliest).exclude(
                case__status=Status.MERGED).values_list(column, "case_id", "case__received_at",
                                                         "case__dispute_type_id", "case__number")
            for hashed, case_id, received_at, type_id, number in rows:
                if case_id in new_ids:
                    continue
                key = key_of[hashed]
                best = latest.get((type_id, key))
                if best is None or (received_at, case_id) > best[:2]:
                    latest[(type_id, key)] = (received_at, case_id, number)
    for case in cases:
        since = case.received_at - dt.timedelta(days=DUPLICATE_DAYS)
        mine = [k for p in case._bulk_parties for k in party_keys(p)]
        found = [latest[(case.dispute_type_id, k)] for k in mine if (case.dispute_type_id, k) in latest]
        found = [f for f in found if f[0] >= since]
        if found:
            received_at, pk, number = max(found, key=lambda f: f[:2])
            case.possible_duplicate_id, case._bulk_duplicate_number = pk, number
        for k in mine:
            latest[(case.dispute_type_id, k)] = (case.received_at, case.pk, case.number)


# ----------------------------------------------------------------------------------------------- writing
# The ORM's bulk_create spends most of a 100,000-row batch building model instances and compiling
# values; these write plain tuples in multi-row INSERTs, adapted as the ORM adapts them.

MAX_PARAMETERS = 30000  # per statement: under SQLite's 32,766 and PostgreSQL's 65,535


def _adapter(field):
    ops, kind = connection.ops, field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DecimalField":
        return lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)
    if kind == "JSONField":
        return lambda v: json.dumps(v, ensure_ascii=False)
    return None


def insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """INSERT `rows` (tuples in the order of `columns`, attribute names) into `model`'s table: COPY on
    PostgreSQL (psycopg adapts the Python values itself), multi-row INSERTs elsewhere."""
    if not rows:
        return
    fields = [model._meta.get_field(c) for c in columns]
    sealed = [i for i, f in enumerate(fields) if f in crypto.encrypted_fields(model)]
    if sealed:  # personal data is encrypted here, as the field would on save
        rows = [tuple(fields[i].get_prep_value(v) if i in sealed else v for i, v in enumerate(row)) for row in rows]
    quote = connection.ops.quote_name
    table, names = quote(model._meta.db_table), ", ".join(quote(f.column) for f in fields)
    if connection.vendor == "postgresql":
        json_columns = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                if json_columns:
                    row = list(row)
                    for i in json_columns:
                        row[i] = None if row[i] is None else json.dumps(row[i], ensure_ascii=False)
                copy.write_row(row)
        return
    adapters = [(i, a) for i, a in enumerate(_adapter(f) for f in fields) if a is not None]
    if adapters:
        adapted = []
        for row in rows:
            row = list(row)
            for i, adapt in adapters:
                if row[i] is not None:
                    row[i] = adapt(row[i])
            adapted.append(row)
        rows = adapted
    head = f"INSERT INTO {table} ({names}) VALUES "
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per = max(1, MAX_PARAMETERS // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per):
            part = rows[start:start + per]
            cursor.execute(head + ", ".join([one] * len(part)), [v for row in part for v in row])


def _take_ids(model, count: int) -> list[int]:
    """`count` new primary keys of `model`, reserved inside the registering transaction."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [table, count])
            return [row[0] for row in cursor.fetchall()]
        # SQLite: one writer at a time (IMMEDIATE transactions), so the highest id so far is ours to follow;
        # AUTOINCREMENT's own counter moves past what we insert.
        cursor.execute(f"SELECT MAX(id) FROM {connection.ops.quote_name(table)}")
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        row = cursor.fetchone()
        first = max(highest, row[0] if row else 0) + 1
        return list(range(first, first + count))


CASE_COLUMNS = [f.attname for f in Case._meta.concrete_fields]
PARTY_COLUMNS = ["case_id", "role", "kind", "name", "id_number", "phone", "address", "credit_code", "representative",
                 "id_number_hash", "phone_hash"]
EVENT_COLUMNS = ["case_id", "kind", "at", "actor_id", "actor_name", "from_status", "to_status", "reason", "detail"]
AUDIT_COLUMNS = ["at", "actor_id", "actor_name", "verb", "object_type", "object_id", "object_repr", "area_code", "ip",
                 "user_agent", "channel", "detail"]


def _write(cases: list[Case], by) -> None:
    now = timezone.now()
    for case, pk in zip(cases, _take_ids(Case, len(cases)), strict=True):
        case.pk = case.id = pk
        case.updated_at = now
        case._state.adding = False
    _flag_duplicates(cases)
    insert_rows(Case, CASE_COLUMNS, [tuple(getattr(case, name) for name in CASE_COLUMNS) for case in cases])
    insert_rows(Party, PARTY_COLUMNS, [
        (case.pk, p.role, p.kind, p.name, p.id_number, p.phone, p.address, p.credit_code, p.representative,
         crypto.blind_hash("id_number", p.id_number), crypto.blind_hash("phone", p.phone))
        for case in cases for p in case._bulk_parties])
    event_rows, audit_rows, origin = [], [], get_origin()
    actor_name, username = str(by), by.get_username()
    for case in cases:
        detail = {"permission": "case.intake", "channel": case.channel, "tier": case.tier,
                  "centre": case.centre.name, "window": str(case.window or ""),
                  "handed_from": case._bulk_handed_from,
                  "possible_duplicate": getattr(case, "_bulk_duplicate_number", "")}
        event_rows.append((case.pk, EventKind.REGISTERED.value, now, by.pk, actor_name, "", "", "", detail))
        audit_rows.append((
            now, by.pk, username, f"cases.{EventKind.REGISTERED.value}", Case._meta.label_lower, str(case.pk),
            case.number[:200], case.area_id, origin.ip, origin.user_agent, origin.channel,
            {"reason": "", "from_status": "", "to_status": "", **{k: v for k, v in detail.items() if k != "permission"}}))
    insert_rows(CaseEvent, EVENT_COLUMNS, event_rows)
    # Chained like any audit row (audit.chain), under the chain's lock until this transaction commits.
    insert_rows(AuditEvent, [*AUDIT_COLUMNS, "prev_hash", "hash"], seal_rows(AUDIT_COLUMNS, audit_rows))
    # Re-check scope after the write, once per kind of case: nobody registers out of their own sight.
    seen = set()
    for case in cases:
        key = (case.area_id, case.submitted_by_organisation_id)
        if key not in seen:
            seen.add(key)
            if not user_can_reach(by, "case.view", case):
                raise PermissionRefused(_("You may not do this on case %(number)s.") % {"number": case.number})
    hooks.cases_registered.call(cases)


def do_register_cases(items: list[BulkItem], *, by) -> list[BulkItem]:
    """Register every valid item as a case, in one transaction (all the valid ones or none), exactly as
    do_register_case would one by one; an invalid item gets its errors and creates nothing. Returns the
    items, each with `case` (saved) or `errors`. Refuses the whole set (PermissionRefused) when one item
    lies where `by` may not register."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    look, now = _Lookups(by), timezone.now()
    cases = []
    for item in items:
        case = _check_item(item, look, now)
        if case is not None:
            item.case = case
            cases.append(case)
    if not cases:
        return items
    with transaction.atomic():
        _take_numbers(cases)
        for case in cases:
            problems = case.invariant_errors()
            if problems:
                raise AssertionError("; ".join(problems))
        _write(cases, by)
    for case in cases:
        case.just_created = True
    return items


__all__ = ["BulkItem", "CaseInputError", "do_register_cases"]
