"""Online filing through a centre's 解纷码: a citizen registers a dispute without an account, through the
disputes app's own registration action, and gets their private link by SMS.

    do_file_online(centre, *, base_url, dispute_type, area, facts, claims, applicant, respondent, …)
        → (Case, token)   register through cases.actions.do_register_case with channel "online" as the
        centre's 解纷码 identity (get_online_intake_user), open the applicant's link and send it with a
        code by SMS
    check_filing_rate()   at most settings.ONLINE_FILINGS_PER_HOUR filings an hour from one address
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.actions import record
from yiwang.cases import actions as case_actions
from yiwang.online.actions.access import do_open_access, get_access_url, issue_code
from yiwang.online.actions.base import CodeRefused, get_online_intake_user
from yiwang.online.models import CodePurpose


def do_file_online(
    centre, *, base_url: str, dispute_type, area, facts: str, claims: str, applicant: dict,
    respondent: dict | None = None, amount=None, vessel_name: str = "", vessel_number: str = "",
    sea_area: str = "",
):
    """A citizen files through the centre's 解纷码. Everything is validated by the same registration
    action as the window's form (CaseInputError, nothing saved, on bad input); the applicant must give a
    mobile number (the only way back to the case). Returns the case and the applicant's link token."""
    check_filing_rate()
    errors = {}
    if not str((applicant or {}).get("phone") or "").strip():
        errors["applicants[0].phone"] = [_("Give your mobile number: the link to your case is sent there.")]
    respondents = [respondent] if respondent and any(str(v).strip() for v in respondent.values()) else []
    if not respondents:
        errors["respondents"] = [_("Name the other party to the dispute.")]
    area_code = getattr(area, "code", area) or ""
    if area_code and not area_in_centre(str(area_code), centre):
        errors["area"] = [_("Choose a place this centre serves.")]
    with transaction.atomic():
        intake = get_online_intake_user(centre)
        try:
            case = case_actions.do_register_case(
                by=intake, channel="online", dispute_type=dispute_type, area=area, facts=facts, claims=claims,
                applicants=[applicant], respondents=respondents, amount=amount, vessel_name=vessel_name,
                vessel_number=vessel_number, sea_area=sea_area,
            )
        except case_actions.CaseInputError as exc:
            raise case_actions.CaseInputError({**exc.message_dict, **errors}) from None
        except case_actions.PermissionRefused:
            if errors:  # a place outside the centre: the intake identity may not register there
                raise case_actions.CaseInputError(errors) from None
            raise
        if errors:
            raise case_actions.CaseInputError(errors)
        party = case.parties.filter(role="applicant").order_by("id").first()
        access, token = do_open_access(party)
        message = _("%(centre)s has registered your dispute as %(number)s. Follow it here: %(url)s ") % {
            "centre": centre.name, "number": case.number, "url": get_access_url(token, base_url),
        }
        try:
            issue_code(party.phone, CodePurpose.ACCESS, access=access, message=message)
        except CodeRefused:
            # Too many messages to this number this hour: nothing more is sent (no SMS flooding through
            # the public page); the page shows the link, and a code can be asked for later.
            pass
        record(None, "online.filed", case, actor_name=party.name, centre=centre.code)
    return case, token


def check_filing_rate() -> None:
    """At most settings.ONLINE_FILINGS_PER_HOUR filings an hour from one address: the page is public."""
    from yiwang.audit.context import get_origin
    from yiwang.audit.models import AuditEvent

    ip = get_origin().ip
    if not ip:
        return
    since = timezone.now() - dt.timedelta(hours=1)
    if AuditEvent.objects.filter(verb="online.filed", ip=ip, at__gte=since).count() >= settings.ONLINE_FILINGS_PER_HOUR:
        raise case_actions.PermissionRefused(
            _("Too many applications were sent from this network in the last hour. Please try again later "
              "or call the centre.")
        )


def area_in_centre(area_code: str, centre) -> bool:
    """Whether the division `area_code` is the centre's own area or below it."""
    return area_code.startswith(centre.area_id)

