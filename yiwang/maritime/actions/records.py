"""The maritime record of a case: the maritime intake (registering the case through the cases app's own
action and recording what the sea adds, in one transaction), completing the record of a case registered
elsewhere (online, at a window), and marking a major dispute (重大), which goes to the district with a
leader in charge through the cases app's own escalation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.areas.models import DisputeType
from yiwang.cases import actions as case_actions
from yiwang.cases.models import Case, Tier
from yiwang.core.audit import record
from yiwang.core.errors import IllegalTransition, InputError, PermissionRefused, StaleVersion
from yiwang.core.scope import user_can, user_can_reach
from yiwang.core.versions import lock_at_version
from yiwang.maritime import sea
from yiwang.maritime.models import Agency, IncidentKind, MaritimeRecord, SeaArea, Vessel

# A major sea dispute (重大矛盾纠纷): any death or disappearance, or at least this many vessels or crew
# involved, or losses of at least this amount (yuan).
MAJOR_VESSELS = 3
MAJOR_CREW = 10
MAJOR_LOSS = Decimal("1000000")


class StaleRecord(StaleVersion):
    def __init__(self, record: MaritimeRecord):
        super().__init__(_("Someone changed the maritime record of %(number)s since you opened it; reload and "
                           "try again.") % {"number": record.case.number})


def get_major_reasons(*, dead: int = 0, vessels: int = 0, crew_involved: int = 0, loss_amount=None) -> list[str]:
    """Why a dispute at sea is major (重大), in the reader's language; empty when it is not."""
    reasons = []
    if dead:
        reasons.append(_("%(n)s dead or missing") % {"n": dead})
    if vessels >= MAJOR_VESSELS:
        reasons.append(_("%(n)s vessels involved") % {"n": vessels})
    if crew_involved >= MAJOR_CREW:
        reasons.append(_("%(n)s crew involved") % {"n": crew_involved})
    if loss_amount is not None and loss_amount >= MAJOR_LOSS:
        reasons.append(_("losses of %(amount)s yuan") % {"amount": f"{loss_amount:,.0f}"})
    return reasons


def _count(errors, field, value, message) -> int:
    try:
        number = int(value if value not in (None, "") else 0)
        if not 0 <= number <= 10000:
            raise ValueError
        return number
    except (TypeError, ValueError):
        errors[field] = [message]
        return 0


def _check_details(values: dict, *, by) -> dict:
    """The sea's facts of a case, cleaned; InputError with a message per field otherwise. The place is a
    position (latitude and longitude, located on the configured zones) or a chosen sea area, or both."""
    errors: dict[str, list[str]] = {}
    data: dict = {}
    data["incident_kind"] = str(values.get("incident_kind") or "")
    if data["incident_kind"] not in IncidentKind.values:
        errors["incident_kind"] = [_("Choose what happened at sea.")]
    occurred_at = values.get("occurred_at")
    if occurred_at in (None, ""):
        occurred_at = None
    elif not isinstance(occurred_at, dt.datetime) or timezone.is_naive(occurred_at):
        errors["occurred_at"] = [_("Enter a valid date and time.")]
    elif occurred_at > timezone.now() + dt.timedelta(minutes=5):
        errors["occurred_at"] = [_("The incident cannot lie in the future.")]
    data["occurred_at"] = occurred_at
    lat, lon = values.get("latitude"), values.get("longitude")
    location = None
    data["latitude"] = data["longitude"] = None
    if lat not in (None, "") or lon not in (None, ""):
        try:
            data["latitude"], data["longitude"] = sea.check_position(lat, lon)
            location = sea.locate(data["latitude"], data["longitude"])
            if location is None:
                errors["latitude"] = [_("This position lies in no configured sea area; choose the sea area instead.")]
        except InputError as e:
            errors["latitude"] = [" ".join(m for ms in e.message_dict.values() for m in ms)]
    sea_area = values.get("sea_area")
    if sea_area not in (None, "") and not isinstance(sea_area, SeaArea):
        sea_area = SeaArea.objects.select_related("handling_area", "parent").filter(code=str(sea_area)).first()
        if sea_area is None:
            errors["sea_area"] = [_("Choose a known sea area.")]
    sea_area = sea_area or (location.sea_area if location else None)
    if sea_area is None and "latitude" not in errors and "sea_area" not in errors:
        errors["sea_area"] = [_("Give the position or choose the sea area where it happened.")]
    data["sea_area"] = sea_area
    if sea_area is not None:
        zone = sea_area.zone
        if zone is None:  # a named water: the zone its centre lies in
            centre = sea.locate((sea_area.min_lat + sea_area.max_lat) / 2, (sea_area.min_lon + sea_area.max_lon) / 2)
            zone = centre.zone if centre else None
        data["zone"] = zone
    vessels = values.get("vessels") or []
    found = []
    for item in vessels:
        vessel = item if isinstance(item, Vessel) else Vessel.objects.filter(pk=item).first() \
            if str(item).isdigit() else Vessel.objects.filter(name=str(item).strip()).first()
        if vessel is None or not Vessel.objects.visible_to(by, "sea.view").filter(pk=vessel.pk).exists():
            errors["vessels"] = [_("%(vessel)s is not in the vessel registry.") % {"vessel": item}]
            break
        found.append(vessel)
    data["vessels"] = list(dict.fromkeys(found))
    data["injured"] = _count(errors, "injured", values.get("injured"), _("Enter the number of people injured."))
    data["dead"] = _count(errors, "dead", values.get("dead"), _("Enter the number of people dead or missing."))
    data["crew_involved"] = _count(errors, "crew_involved", values.get("crew_involved"),
                                   _("Enter the number of crew involved."))
    loss = values.get("loss_amount")
    data["loss_amount"] = None
    if loss not in (None, ""):
        try:
            data["loss_amount"] = Decimal(str(loss))
            if data["loss_amount"] < 0 or data["loss_amount"] >= Decimal("1e12"):
                raise InvalidOperation
            data["loss_amount"] = data["loss_amount"].quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors["loss_amount"] = [_("Enter the losses in yuan, zero or more.")]
    data["insured"] = bool(values.get("insured"))
    data["insurance_note"] = str(values.get("insurance_note") or "").strip()[:200]
    if errors:
        raise InputError(errors)
    return data


def _write_record(record_: MaritimeRecord, data: dict) -> MaritimeRecord:
    vessels = data.pop("vessels")
    for field, value in data.items():
        setattr(record_, field, value)
    record_.save()
    record_.vessels.set(vessels)
    return record_


def do_register_maritime_case(*, by, facts: str, claims: str, applicants, respondents=(), channel: str = "window",
                              dispute_type="maritime", lead_leader=None, received_at=None,
                              idempotency_key: str = "", amount=None, people_involved=1,
                              other_vessel: str = "", referred_by=None, **details) -> Case:
    """Register a dispute at sea: the land division is derived from the sea area (its handling area), not
    asked of the clerk; the case is registered by the cases app's own intake (numbering, routing to the
    maritime team, deadlines, duplicate check), at the town centre that handles the sea area, or at the
    district with `lead_leader` in charge (包案) when it is major (get_major_reasons); and the maritime
    record is written in the same transaction. `other_vessel` names a vessel not in the registry;
    `referred_by` the maritime agency that referred the dispute (its officers follow the case).
    With an `idempotency_key`, a repeat returns the first case and creates nothing."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    with transaction.atomic():
        errors = {}
        try:
            data = _check_details(details, by=by)
        except InputError as e:
            errors.update(e.message_dict)
            data = None
        if not isinstance(dispute_type, DisputeType):
            dispute_type = DisputeType.objects.filter(code=str(dispute_type or ""), active=True).first()
        if dispute_type is None or not dispute_type.maritime:
            errors["dispute_type"] = [_("Choose a maritime dispute type.")]
        other_vessel = str(other_vessel or "").strip()
        if referred_by not in (None, "") and not isinstance(referred_by, Agency):
            referred_by = Agency.objects.filter(pk=referred_by).first() if str(referred_by).isdigit() else None
            if referred_by is None:
                errors["referred_by"] = [_("Choose one of the maritime agencies.")]
        if isinstance(referred_by, Agency) and not referred_by.active:
            errors["referred_by"] = [_("Choose one of the maritime agencies.")]
        if data is not None and not (data["vessels"] or other_vessel):
            errors["vessels"] = [_("Name at least one vessel involved.")]
        reasons = get_major_reasons(dead=data["dead"], vessels=len(data["vessels"]) + bool(other_vessel),
                                    crew_involved=data["crew_involved"], loss_amount=data["loss_amount"]) if data else []
        if reasons and lead_leader is None:
            errors["lead_leader"] = [_("A major dispute (%(why)s) goes to the district: name the leader who "
                                       "takes charge (包案).") % {"why": "; ".join(reasons)}]
        if errors:
            raise InputError(errors)
        area = data["sea_area"].handling_area
        vessel_names = [v.name for v in data["vessels"]] + ([other_vessel] if other_vessel else [])
        case = case_actions.do_register_case(
            by=by, channel=channel, dispute_type=dispute_type, area=area, facts=facts, claims=claims,
            applicants=applicants, respondents=respondents, amount=amount, people_involved=people_involved,
            vessel_name="、".join(vessel_names)[:60], vessel_number=data["vessels"][0].registration_number[:40]
            if data["vessels"] else "", sea_area=data["sea_area"].name,
            tier=Tier.DISTRICT if reasons else Tier.TOWN, lead_leader=lead_leader if reasons else None,
            received_at=received_at, idempotency_key=idempotency_key,
        )
        if not case.just_created:
            return case
        record_ = _write_record(MaritimeRecord(case=case, area_id=case.area_id, major=bool(reasons),
                                               major_reason="; ".join(reasons)[:300],
                                               referred_by=referred_by or None), data)
        record(by, "maritime.case_registered", record_, case=case.number, major=record_.major,
               referred_by=str(referred_by or ""))
    return case


def _check_coordinate(case: Case, by, *also: str) -> None:
    if not user_can_reach(by, "case.view", case):
        raise PermissionRefused(_("This case does not exist."))
    if not any(user_can(by, code, case.area_id) for code in ("sea.coordinate", *also)):
        raise PermissionRefused(_("You may not coordinate maritime cases in this area."))


@transaction.atomic
def do_record_maritime_details(case: Case, *, by, version=None, **details) -> MaritimeRecord:
    """Write (or correct) the maritime record of a maritime case registered elsewhere, e.g. online through
    the 解纷码: the incident, its place, the vessels, the injured, the losses, the insurance. The case's
    area stays what it is; its major flag is set by do_mark_major."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    _check_coordinate(case, by, "case.intake")
    if not case.dispute_type.maritime:
        raise IllegalTransition(_("Only a maritime dispute has a maritime record."))
    existing = MaritimeRecord.objects.filter(case=case).first()
    if existing is not None:
        existing = lock_at_version(existing, version, stale=StaleRecord)
    data = _check_details(details, by=by)
    record_ = existing or MaritimeRecord(case=case, area_id=case.area_id)
    if existing is not None:
        record_.version += 1
    _write_record(record_, data)
    record(by, "maritime.details_recorded", record_, case=case.number)
    return record_


@transaction.atomic
def do_mark_major(record_: MaritimeRecord, *, by, reason: str, lead_leader, version=None) -> MaritimeRecord:
    """Mark a dispute at sea major (重大) and send it to the district with `lead_leader` in charge (包案),
    through the cases app's own escalation (one tier at a time; the cases action checks that `by` may
    route the case and that the leader's grant covers it). A case already at the district keeps its
    leader; one there without a leader is refused (the leader is named when a case is sent up)."""
    record_ = lock_at_version(record_, version, stale=StaleRecord)
    case = Case.objects.get(pk=record_.case_id)
    _check_coordinate(case, by)
    reason = (reason or "").strip()
    if not reason:
        raise InputError({"reason": _("Say why the dispute is major.")})
    if record_.major:
        raise IllegalTransition(_("The dispute is already marked major."))
    if case.tier == Tier.DISTRICT and not case.lead_leader_id:
        raise IllegalTransition(_("The case is at the district without a leader in charge; the district centre "
                                  "names one."))
    if case.tier != Tier.DISTRICT and lead_leader is None:
        raise InputError({"lead_leader": _("Name the leader who takes charge of the case (包案).")})
    while case.tier != Tier.DISTRICT:
        to_district = case.tier == Tier.TOWN
        case = case_actions.do_escalate(case, by=by, reason=_("Major dispute at sea: %(reason)s") % {"reason": reason},
                                        lead_leader=lead_leader if to_district else None)
    record_.major = True
    record_.major_reason = reason[:300]
    record_.version += 1
    record_.save(update_fields=["major", "major_reason", "version"])
    record(by, "maritime.marked_major", record_, case=case.number, reason=reason,
           lead_leader=str(case.lead_leader or ""))
    return record_
