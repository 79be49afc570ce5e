"""The vessel registry: registering a vessel (one at a time or from a CSV file), correcting its entry, and
its crew."""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.areas.models import Area
from yiwang.cases import validators as person_validators
from yiwang.core.audit import record
from yiwang.core.errors import InputError, PermissionRefused, StaleVersion
from yiwang.core.scope import get_area_prefixes, user_can
from yiwang.core.versions import lock_at_version
from yiwang.maritime import validators
from yiwang.maritime.models import FISHING_KINDS, CrewMember, HolderKind, LengthClass, Vessel, VesselKind

FIELDS = ["name", "registration_number", "home_port", "mmsi", "chinese", "kind", "length_class", "gross_tonnage",
          "area", "owner_kind", "owner_name", "owner_id_number", "owner_credit_code", "owner_phone",
          "operator_kind", "operator_name", "operator_id_number", "operator_credit_code", "operator_phone"]


def _truthy(value) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "y", "是", "on")


def _check_holder(errors: dict, data: dict, prefix: str, *, required: bool) -> None:
    name = data[f"{prefix}_name"]
    kind = data[f"{prefix}_kind"] or (HolderKind.ORGANISATION if data[f"{prefix}_credit_code"] else HolderKind.PERSON)
    given = name or any(data[f"{prefix}_{field}"] for field in ("id_number", "credit_code", "phone"))
    if not given:
        data[f"{prefix}_kind"] = ""
        if required:
            errors[f"{prefix}_name"] = [_("Name the vessel's owner.")]
        return
    if not name:
        errors[f"{prefix}_name"] = [_("Name the vessel's owner.") if prefix == "owner" else _("Name the operator.")]
    data[f"{prefix}_kind"] = kind
    if kind not in HolderKind.values:
        errors[f"{prefix}_kind"] = [_("An owner or operator is a person or an organisation.")]
        return
    if len(name) > 100:
        errors[f"{prefix}_name"] = [_("A name has at most 100 characters.")]
    for field, validate in ((f"{prefix}_id_number", person_validators.validate_id_number),
                            (f"{prefix}_credit_code", person_validators.validate_credit_code),
                            (f"{prefix}_phone", person_validators.validate_mobile)):
        if data[field]:
            try:
                validate(data[field])
            except ValidationError as e:
                errors[field] = e.messages
    if kind == HolderKind.ORGANISATION and data[f"{prefix}_id_number"]:
        errors[f"{prefix}_id_number"] = [_("An organisation has a credit code, not an ID number.")]


def check_vessel(values: dict, *, instance: Vessel | None = None) -> dict:
    """The vessel's fields cleaned, or InputError with a message per field. A fishing vessel's name must
    follow the national pattern; an MMSI must be nine digits, a Chinese vessel's beginning 412–414."""
    data = {field: values.get(field) for field in FIELDS}
    for field in FIELDS:
        if field not in ("chinese", "gross_tonnage", "area"):
            data[field] = str(data[field] or "").strip()
    data["name"] = validators.normalise_name(data["name"])
    for field in ("owner_id_number", "operator_id_number", "owner_credit_code", "operator_credit_code"):
        data[field] = data[field].upper()
    for field in ("owner_phone", "operator_phone"):
        data[field] = data[field].replace(" ", "").replace("-", "")
    data["chinese"] = True if values.get("chinese") in (None, "") else (
        values["chinese"] if isinstance(values["chinese"], bool) else _truthy(values["chinese"]))
    errors: dict[str, list[str]] = {}
    if data["kind"] not in VesselKind.values:
        errors["kind"] = [_("Choose the vessel's type.")]
    if not data["name"]:
        errors["name"] = [_("Enter the vessel's name.")]
    elif len(data["name"]) > 40:
        errors["name"] = [_("A vessel's name has at most 40 characters.")]
    elif data["kind"] in FISHING_KINDS:
        try:
            validators.check_fishing_vessel_name(data["name"])
        except ValidationError as e:
            errors["name"] = e.messages
    if "name" not in errors and data["name"] and Vessel.objects.filter(name=data["name"]).exclude(
            pk=getattr(instance, "pk", None)).exists():
        errors["name"] = [_("A vessel of this name is already registered.")]
    if data["mmsi"]:
        try:
            validators.validate_mmsi(data["mmsi"], chinese=data["chinese"])
        except ValidationError as e:
            errors["mmsi"] = e.messages
        else:
            if Vessel.objects.filter(mmsi=data["mmsi"]).exclude(pk=getattr(instance, "pk", None)).exists():
                errors["mmsi"] = [_("Another vessel carries this MMSI.")]
    if data["length_class"] and data["length_class"] not in LengthClass.values:
        errors["length_class"] = [_("Choose a length class.")]
    tonnage = values.get("gross_tonnage")
    if tonnage in (None, ""):
        data["gross_tonnage"] = None
    else:
        try:
            data["gross_tonnage"] = Decimal(str(tonnage).strip())
            if not Decimal(0) < data["gross_tonnage"] < Decimal(1_000_000):
                raise InvalidOperation
            data["gross_tonnage"] = data["gross_tonnage"].quantize(Decimal("0.1"))
        except (InvalidOperation, ValueError):
            errors["gross_tonnage"] = [_("Enter the gross tonnage as a positive number.")]
    area = values.get("area") or settings.YIWANG_DISTRICT
    if not isinstance(area, Area):
        area = Area.objects.filter(code=str(area).strip()).first()
        if area is None:
            errors["area"] = [_("Give the division code the vessel is registered in.")]
    data["area"] = area
    for field, limit in (("registration_number", 40), ("home_port", 40)):
        if len(data[field]) > limit:
            errors[field] = [_("At most %(n)s characters.") % {"n": limit}]
    _check_holder(errors, data, "owner", required=True)
    _check_holder(errors, data, "operator", required=False)
    if errors:
        raise InputError(errors)
    return data


def get_default_area(by) -> str:
    """Where a vessel is registered when the form does not say: the district, or the one area the user
    registers vessels in."""
    prefixes = get_area_prefixes(by, "sea.register")
    if prefixes and len(prefixes) == 1 and not settings.YIWANG_DISTRICT.startswith(prefixes[0]):
        return prefixes[0]
    return settings.YIWANG_DISTRICT


def _check_register(by, area: Area) -> None:
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    if not user_can(by, "sea.register", area.code):
        raise PermissionRefused(_("You may not register vessels in %(area)s.") % {"area": area.name})


@transaction.atomic
def do_register_vessel(*, by, crew=(), illustrative: bool = False, **values) -> Vessel:
    """Put a vessel in the registry, with its crew (each: name, position, id_number, phone,
    written_contract)."""
    if not values.get("area"):
        values["area"] = get_default_area(by)
    data = check_vessel(values)
    _check_register(by, data["area"])
    vessel = Vessel.objects.create(created_by=by, illustrative=illustrative, **data)
    for member in crew:
        _add_crew(vessel, member)
    record(by, "maritime.vessel_registered", vessel, name=vessel.name)
    return vessel


class StaleVessel(StaleVersion):
    def __init__(self, vessel):
        super().__init__(_("Someone changed the entry of %(name)s since you opened it; reload and try again.")
                         % {"name": vessel.name})


@transaction.atomic
def do_update_vessel(vessel: Vessel, *, by, version=None, **values) -> Vessel:
    """Correct a vessel's registry entry (any of FIELDS; those not given keep their value). Checked as a
    new entry is, refused when someone changed it since `version` was read, and refused when the entry
    would move to an area outside the user's registering scope. The audit line names the fields changed,
    not their values (owners' details are personal data)."""
    if by is None or not getattr(by, "is_authenticated", False):
        raise PermissionRefused(_("Please sign in."))
    if not Vessel.objects.visible_to(by, "sea.view").filter(pk=vessel.pk).exists():
        raise PermissionRefused(_("This vessel does not exist."))
    locked = lock_at_version(vessel, version, stale=StaleVessel)
    _check_register(by, locked.area)
    merged = {field: getattr(locked, field) for field in FIELDS}
    merged.update({key: value for key, value in values.items() if key in FIELDS})
    if merged.get("area") in (None, ""):
        merged["area"] = locked.area
    data = check_vessel(merged, instance=locked)
    _check_register(by, data["area"])
    changed = [field for field, value in data.items() if getattr(locked, field) != value]
    if changed:
        for field in changed:
            setattr(locked, field, data[field])
        locked.version += 1
        locked.save(update_fields=[*changed, "version"])
        record(by, "maritime.vessel_updated", locked, name=locked.name, fields=changed)
        vessel.refresh_from_db()
    return locked


def _check_crew(values: dict) -> dict:
    data = {key: str(values.get(key) or "").strip() for key in ("name", "position", "id_number", "phone")}
    data["id_number"] = data["id_number"].upper()
    data["written_contract"] = values.get("written_contract") if isinstance(values.get("written_contract"), bool) \
        else _truthy(values.get("written_contract") or "")
    errors = {}
    if not data["name"]:
        errors["name"] = [_("Enter the crew member's name.")]
    for field, validate in (("id_number", person_validators.validate_id_number),
                            ("phone", person_validators.validate_mobile)):
        if data[field]:
            try:
                validate(data[field])
            except ValidationError as e:
                errors[field] = e.messages
    if errors:
        raise InputError(errors)
    return data


def _add_crew(vessel: Vessel, values: dict) -> CrewMember:
    return CrewMember.objects.create(vessel=vessel, **_check_crew(values))


@transaction.atomic
def do_add_crew_member(vessel: Vessel, *, by, **values) -> CrewMember:
    """Add a person to the vessel's crew, saying whether they hold a written contract."""
    _check_register(by, vessel.area)
    member = _add_crew(vessel, values)
    record(by, "maritime.crew_added", vessel, crew_member=member.pk)
    return member


CSV_COLUMNS = ["name", "kind"]  # required; any of FIELDS may follow


@transaction.atomic
def do_import_vessels(text: str, *, by) -> dict:
    """Register or update the vessels of a CSV file (a header row naming FIELDS; `name` and `kind`
    required). All or nothing: any bad row refuses the file with its line number and field. A vessel
    already registered under the name is updated, so importing the same file twice changes nothing."""
    reader = csv.DictReader(io.StringIO((text or "").lstrip("\ufeff")))
    missing = [column for column in CSV_COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise InputError({"file": _("The file lacks the columns: %(columns)s.") % {"columns": ", ".join(missing)}})
    errors: dict[str, list[str]] = {}
    rows, names = [], set()
    for line, row in enumerate(reader, start=2):
        row = {key: (value or "").strip() for key, value in row.items() if key}
        name = validators.normalise_name(row.get("name", ""))
        existing = Vessel.objects.filter(name=name).first()
        row["area"] = row.get("area") or get_default_area(by)
        try:
            if name in names:
                raise InputError({"name": _("This vessel appears twice in the file.")})
            data = check_vessel(row, instance=existing)
            _check_register(by, data["area"])
        except InputError as e:
            for field, messages in e.message_dict.items():
                errors[f"line {line}: {field}"] = messages
            continue
        except PermissionRefused as e:
            errors[f"line {line}: area"] = [e.detail]
            continue
        names.add(name)
        rows.append((existing, data))
    if errors:
        raise InputError(errors)
    created = updated = 0
    for existing, data in rows:
        if existing is None:
            Vessel.objects.create(created_by=by, **data)
            created += 1
        elif any(getattr(existing, field) != value for field, value in data.items()):
            for field, value in data.items():
                setattr(existing, field, value)
            existing.version += 1
            existing.save()
            updated += 1
    record(by, "maritime.vessels_imported", None, area_code=settings.YIWANG_DISTRICT, created=created, updated=updated)
    return {"created": created, "updated": updated, "unchanged": len(rows) - created - updated}
