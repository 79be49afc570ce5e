"""Keeping mediators' profiles and conflicts of interest, and the languages a case's parties speak.

Whoever routes cases (case.route) keeps the profiles of the mediators of their area: those holding
case.mediate on a grant inside the keeper's case.route scope (a town clerk keeps the town's village
mediators, the district centre everyone in the district). Anyone else is answered as if the mediator did
not exist. The recommendation (triage.recommend) reads what is kept here.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.core.audit import record
from yiwang.core.errors import InputError, PermissionRefused, StaleVersion
from yiwang.core.scope import area_q, get_area_prefixes, user_can, user_can_reach
from yiwang.core.versions import lock_at_version
from yiwang.triage.models import CaseLanguage, Conflict, ConflictKind, Language, MediatorProfile, Relation

KEEP = "case.route"
MEDIATE = "case.mediate"
MAX_CAPACITY = 200


class ProfileInputError(InputError):
    """A profile, a conflict or a case's languages with a field that cannot be saved."""


def _mediate_grants(prefixes):
    from yiwang.accounts.models import Grant

    grants = Grant.objects.filter(user__is_active=True).select_related("role")
    if prefixes is not None:
        grants = grants.filter(area_q("area__code", prefixes))
    return [g for g in grants if MEDIATE in g.role.actions]


def get_keepable_mediators(user):
    """The mediators whose profiles `user` keeps: active users with case.mediate on a grant inside the
    area where `user` routes cases, by name."""
    prefixes = get_area_prefixes(user, KEEP)
    if prefixes == ():
        return get_user_model().objects.none()
    ids = {g.user_id for g in _mediate_grants(prefixes)}
    return get_user_model().objects.filter(pk__in=ids).order_by("display_name", "username")


def get_mediator_or_404(user, pk):
    """The mediator `pk` if `user` keeps their profile; otherwise 404, as for a mediator who does not exist."""
    try:
        return get_keepable_mediators(user).get(pk=int(pk))
    except (ValueError, TypeError, get_user_model().DoesNotExist):
        raise Http404 from None


def get_mediator_area(mediator, user=None) -> str:
    """The area a mediator mediates in (the widest of their case.mediate grants, inside `user`'s scope
    when given): where their profile's audit events belong."""
    prefixes = get_area_prefixes(user, KEEP) if user is not None else None
    codes = sorted((g.area_id for g in _mediate_grants(prefixes) if g.user_id == mediator.pk), key=len)
    return codes[0] if codes else ""


def _check_keeper(mediator, by) -> str:
    if not user_can(by, KEEP):
        raise PermissionRefused(_("Only staff who route cases keep mediators' profiles."))
    if not get_keepable_mediators(by).filter(pk=mediator.pk).exists():
        raise PermissionRefused(_("This mediator does not mediate in your area."))
    return get_mediator_area(mediator, by)


@transaction.atomic
def do_save_profile(mediator, *, by, version=None, dispute_types=(), home_area=None, languages=(),
                    away_until=None, away_note: str = "", capacity=None) -> MediatorProfile:
    """Write a mediator's profile (created on first save): declared expertise by dispute type, the
    village or town they live or work in, the languages and dialects they speak, the day until which
    they are away, and how many open cases they take at most. `version` is the profile's version the
    keeper read (ignored when there is no profile yet)."""
    area_code = _check_keeper(mediator, by)
    errors = {}
    if home_area is not None and not user_can(by, KEEP, home_area.code):
        errors["home_area"] = [_("Choose a village or town in your area.")]
    if capacity is not None and not 1 <= int(capacity) <= MAX_CAPACITY:
        errors["capacity"] = [_("Enter a number of cases from 1 to %(n)s, or leave it empty.") % {"n": MAX_CAPACITY}]
    if away_note and not away_until:
        errors["away_until"] = [_("Say until when the mediator is away.")]
    if len(away_note) > 100:
        errors["away_note"] = [_("At most 100 characters.")]
    if errors:
        raise ProfileInputError(errors)
    profile = MediatorProfile.objects.filter(mediator=mediator).first()
    if profile is None:
        profile = MediatorProfile(mediator=mediator, version=0)
    else:
        profile = lock_at_version(profile, version, stale=lambda _row: StaleVersion(
            _("Someone else changed this profile since you opened it: reload the page and try again.")))
    profile.home_area = home_area
    profile.away_until = away_until
    profile.away_note = away_note if away_until else ""
    profile.capacity = capacity
    profile.version += 1
    profile.updated_by, profile.updated_at = by, timezone.now()
    profile.save()
    profile.dispute_types.set(dispute_types)
    profile.languages.set(languages)
    record(by, "triage.profile_saved", profile, area_code=area_code,
           dispute_types=sorted(t.code for t in dispute_types), languages=sorted(lang.code for lang in languages),
           home_area=home_area.code if home_area else "", away_until=str(away_until or ""), capacity=capacity)
    return profile


def _check_conflict_fields(kind, name, id_number, credit_code, area, relation) -> dict:
    from yiwang.cases.validators import validate_credit_code, validate_id_number

    errors: dict[str, list] = {}
    if kind not in ConflictKind.values:
        errors["kind"] = [_("Choose a person, an organisation or a village.")]
    if relation not in Relation.values:
        errors["relation"] = [_("Choose how the mediator is related.")]
    if kind in (ConflictKind.PERSON, ConflictKind.ORGANISATION) and not name:
        errors["person_name"] = [_("Give the name.")]
    if len(name) > 100:
        errors["person_name"] = [_("At most 100 characters.")]
    for field, value, check in (("id_number", id_number, validate_id_number),
                                ("credit_code", credit_code, validate_credit_code)):
        if value:
            try:
                check(value)
            except ValidationError as error:
                errors[field] = list(error.messages)
    if kind == ConflictKind.VILLAGE and area is None:
        errors["area"] = [_("Choose the village or town.")]
    return errors


@transaction.atomic
def do_add_conflict(mediator, *, by, kind: str, relation: str, person_name: str = "", id_number: str = "",
                    credit_code: str = "", area=None, note: str = "") -> Conflict:
    """Record that `mediator` must never be suggested for a person (by ID number, else name), an
    organisation (by credit code, else name) or a village or town (cases that arose there)."""
    area_code = _check_keeper(mediator, by)
    person_name, id_number, credit_code = person_name.strip(), id_number.strip().upper(), credit_code.strip().upper()
    errors = _check_conflict_fields(kind, person_name, id_number, credit_code, area, relation)
    if len(note) > 200:
        errors["note"] = [_("At most 200 characters.")]
    if errors:
        raise ProfileInputError(errors)
    conflict = Conflict.objects.create(
        mediator=mediator, kind=kind, relation=relation, note=note.strip(),
        person_name=person_name if kind != ConflictKind.VILLAGE else "",
        id_number=id_number if kind == ConflictKind.PERSON else "",
        credit_code=credit_code if kind == ConflictKind.ORGANISATION else "",
        area=area if kind == ConflictKind.VILLAGE else None, recorded_by=by, recorded_at=timezone.now())
    # The ID number stays out of the audit log (PIPL): the kind, the relation and the name are enough.
    record(by, "triage.conflict_added", conflict, area_code=area_code, mediator=mediator.pk, kind=kind,
           relation=relation, subject=conflict.subject)
    return conflict


@transaction.atomic
def do_remove_conflict(conflict: Conflict, *, by) -> None:
    """Forget a recorded conflict (it was entered by mistake, or the tie has ended)."""
    area_code = _check_keeper(conflict.mediator, by)
    record(by, "triage.conflict_removed", conflict, area_code=area_code, mediator=conflict.mediator_id,
           kind=conflict.kind, relation=conflict.relation, subject=conflict.subject)
    conflict.delete()


def get_case_languages(case) -> list[Language]:
    """The languages recorded for the parties of `case` (empty when none were)."""
    row = CaseLanguage.objects.filter(case=case).first()
    return list(row.languages.all()) if row else []


@transaction.atomic
def do_record_case_languages(case, *, by, languages, note: str = "", version=None) -> CaseLanguage:
    """Record the languages or dialects the parties of `case` speak (replacing what was recorded), for
    whoever registers or routes cases where it arose. `version` is the row's version the writer read."""
    if not (user_can_reach(by, "case.intake", case) or user_can_reach(by, KEEP, case)):
        raise PermissionRefused(_("Only staff who register or route this case record the parties' languages."))
    languages = list(languages)
    if any(not isinstance(lang, Language) for lang in languages):
        raise ProfileInputError({"languages": [_("Choose languages from the list.")]})
    if len(note) > 200:
        raise ProfileInputError({"note": [_("At most 200 characters.")]})
    row = CaseLanguage.objects.filter(case=case).first()
    if row is None:
        row = CaseLanguage(case=case, version=0)
    else:
        row = lock_at_version(row, version, stale=lambda _row: StaleVersion(
            _("Someone else changed the parties' languages since you opened the case: reload and try again.")))
    row.note, row.recorded_by, row.recorded_at = note.strip(), by, timezone.now()
    row.version += 1
    row.save()
    row.languages.set(languages)
    record(by, "triage.case_languages", case, languages=sorted(lang.code for lang in languages), note=row.note)
    return row
