"""What a party answers: the respondent accepts or refuses mediation (art. 17), and a party rates the
service once mediation is over. Both are recorded in the disputes app through its own actions, taken by
the centre's 解纷码 identity.

    do_answer_invitation(access, *, accept, version=None) → PartyAccess   a refusal calls
        cases.actions.do_record_refusal (registered → not_accepted; accepted/assigned/mediating →
        terminated; routes told, art. 26) and texts the applicants
    do_rate_service(access, *, satisfaction, note="", version=None) → PartyAccess   once per party; joins
        the follow-ups (cases.actions.do_record_party_rating)
    follow_refusal(case, event)   hook: a refusal staff record is the respondent's answer on their link
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.audit.actions import record
from yiwang.cases import actions as case_actions
from yiwang.cases.models import Case, EventKind
from yiwang.online.actions.base import AccessRefused, RoomRefused, get_online_intake_user, party_label
from yiwang.online.models import PartyAccess
from yiwang.online.notify import notify_parties

ANSWERABLE_STATUSES = case_actions.REFUSABLE_STATUSES  # a refusal ends mediation through do_record_refusal
ROUTES_AFTER_REFUSAL = gettext_lazy(
    "You may sue in the people's court, apply for arbitration where the law or a contract provides for it, "
    "or ask the competent administrative authority to handle the matter (People's Mediation Law art. 26)."
)


def follow_refusal(case, event) -> None:
    """Hook core.hooks.case_changed: a refusal of mediation recorded by staff (heard at the window or by
    phone, cases.actions.do_record_refusal) is also the respondent's answer on their own page, so their
    link stops offering the choice and says they declined."""
    step = event.party_step if event.kind == EventKind.MEDIATION_REFUSED else None
    if step is None or step.party_role != "respondent":
        return
    PartyAccess.objects.filter(party_id=step.party_id).exclude(consent="refused").update(
        consent="refused", consent_at=event.at)


def do_answer_invitation(access: PartyAccess, *, accept: bool, version: int | None = None) -> PartyAccess:
    """The respondent accepts or refuses mediation (art. 17: it is voluntary). A refusal ends mediation
    through the disputes app's own action (cases.actions.do_record_refusal, taken by the centre's 解纷码
    identity: a case not yet accepted is not accepted, one taken on is terminated, the routes recorded as
    told), and the applicants are told by SMS which routes remain (art. 26). `version`: the case's, as
    the party's page read it (None: the case as it is now, as the party answers the invitation itself)."""
    party = access.party
    case = party.case
    if party.role != "respondent":
        raise AccessRefused(_("Only the respondent answers the invitation to mediate."))
    if case.status not in ANSWERABLE_STATUSES:
        raise AccessRefused(_("This case is no longer waiting for your answer."))
    if access.consent == "refused":
        raise AccessRefused(_("You have refused mediation; please call the centre if you changed your mind."))
    if accept and access.consent == "accepted":
        return access
    with transaction.atomic():
        now = timezone.now()
        access.consent, access.consent_at = ("accepted" if accept else "refused"), now
        access.save(update_fields=["consent", "consent_at"])
        kind = "respondent_accepted" if accept else "respondent_refused"
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if accept:
            try:
                case_actions.do_record_party_acceptance(locked, by=get_online_intake_user(locked.centre),
                                                        party=party, channel="online", version=version)
            except case_actions.StaleCase:
                raise
            except case_actions.CaseActionError as exc:
                raise AccessRefused(" ".join(exc.messages)) from None
        else:
            # The case file is kept in the centre's language, whatever language the respondent reads.
            with translation.override(settings.LANGUAGE_CODE):
                reason = _("%(name)s, the respondent, declined mediation through their online link "
                           "(People's Mediation Law art. 17).") % {"name": party.name}
                routes = str(ROUTES_AFTER_REFUSAL)
            case_actions.do_record_refusal(locked, by=get_online_intake_user(locked.centre), party=party,
                                           reason=reason, routes_told=routes, version=version)
        record(None, f"online.{kind}", access, area_code=case.area_id, actor_name=party.name, party=party.pk)
        if not accept:
            text = _("%(centre)s: the respondent in case %(number)s declined mediation, so mediation will not "
                     "go on. %(routes)s") % {"centre": case.centre.name, "number": case.number,
                                              "routes": ROUTES_AFTER_REFUSAL}
            notify_parties(case, text, key=f"online.respondent_refused:{access.pk}", role="applicant")
    return access


# ------------------------------------------------------------------------------------------ satisfaction

# Mediation is over (agreed, ended, referred, or later): the parties may rate the service.
RATABLE_STATUSES = case_actions.RATABLE_STATUSES


def do_rate_service(access: PartyAccess, *, satisfaction, note: str = "", version: int | None = None) -> PartyAccess:
    """A party rates the service from 1 (very unsatisfied) to 5, once, after mediation is over. The
    rating joins the case's follow-up record (an online follow-up) and its timeline, through the disputes
    app's own action (cases.actions.do_record_party_rating, taken by the centre's 解纷码 identity), which
    also checks the score. `version`: the case's, as the party's page read it (None: as it is now)."""
    party = access.party
    if party.case.status not in RATABLE_STATUSES:
        raise RoomRefused(_("You can rate the service once mediation is over."))
    note = (note or "").strip()[:500]
    with transaction.atomic():
        locked = PartyAccess.objects.select_for_update().get(pk=access.pk)
        if locked.rated_at is not None:
            raise RoomRefused(_("You have already rated this case. Thank you."))
        label = party_label(party)
        case = Case.objects.select_for_update().get(pk=party.case_id)
        try:
            follow_up = case_actions.do_record_party_rating(
                case, by=get_online_intake_user(case.centre), party=party, satisfaction=satisfaction,
                note=f"{label}：{note}" if note else label, version=version)
        except case_actions.StaleCase:
            raise
        except case_actions.CaseActionError as exc:  # in the party's words: the score, the case's state
            raise RoomRefused(" ".join(exc.messages)) from None
        locked.satisfaction, locked.rated_at = follow_up.satisfaction, timezone.now()
        locked.save(update_fields=["satisfaction", "rated_at"])
        record(None, "online.service_rated", locked, area_code=case.area_id, actor_name=party.name,
               satisfaction=locked.satisfaction)
    return locked
