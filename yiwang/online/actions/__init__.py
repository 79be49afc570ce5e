"""Everything that changes the citizen side of a case. Pages and the API call these functions; each
module's docstring lists its actions with their signatures.

    base       the refusals (CodeRefused, AccessRefused, SigningRefused, RoomRefused), the case's
               stale-version check, who mediates a case, the centre's 解纷码 identity
    access     one-time codes, the party's private link and invitations, what the party reads
    filing     online filing through a centre's 解纷码
    answers    the respondent's accept/refuse (art. 17), the party's rating of the service
    signing    remote signing and sealing, judicial confirmation (art. 33)
    room       the mediation room: messages, evidence, scheduled sessions
    tools      what the staff case page offers (CaseTools)

Every action takes its object first, then keyword-only arguments: `by=` (the staff member; a party acts
through their proven access) and `version=` where it changes the case (the case's version as read;
StaleCase when it changed since). Each runs in a transaction, checks who may act, and writes the audit
log; messages to the parties go through online.notify (the core outbox), sent after commit.

Callers import from here (`from yiwang.online import actions`); the names below are the package's.
"""

from yiwang.online.actions.access import (
    CITIZEN_EVENTS,
    CODE_MINUTES,
    MAX_ATTEMPTS,
    PartyProgress,
    can_invite_parties,
    check_code,
    do_invite_party,
    do_open_access,
    do_request_access_code,
    do_verify_access,
    get_access,
    get_access_url,
    get_party_progress,
    issue_code,
    send_party_code,
)
from yiwang.online.actions.answers import (
    ANSWERABLE_STATUSES,
    RATABLE_STATUSES,
    ROUTES_AFTER_REFUSAL,
    do_answer_invitation,
    do_rate_service,
    follow_refusal,
)
from yiwang.online.actions.base import (
    ONLINE_INTAKE_ROLE,
    ONLINE_INTAKE_ROLE_NAME,
    ROLE_LABELS,
    AccessRefused,
    CodeRefused,
    RoomRefused,
    SigningRefused,
    check_case_version,
    check_mediator,
    get_online_intake_user,
    is_mediator,
    party_label,
)
from yiwang.online.actions.filing import area_in_centre, check_filing_rate, do_file_online
from yiwang.online.actions.room import (
    EVIDENCE_KINDS,
    MAX_MESSAGE_CHARS,
    can_enter_room,
    do_cancel_session,
    do_post_message,
    do_schedule_session,
    do_upload_evidence,
    get_room_messages,
    get_upcoming_sessions,
)
from yiwang.online.actions.signing import (
    MAX_DRAWING_BYTES,
    check_confirmation,
    check_drawing,
    do_assemble_confirmation,
    do_prepare_signing,
    do_request_signing_code,
    do_sign_as_mediator,
    do_sign_as_party,
    get_pending_parties,
    get_signed_agreement,
    get_signed_pdf,
    mirror_signature,
)
from yiwang.online.actions.tools import ROOM_STATUSES, CaseTools, get_case_tools

__all__ = [
    "ANSWERABLE_STATUSES", "CITIZEN_EVENTS", "CODE_MINUTES", "EVIDENCE_KINDS", "MAX_ATTEMPTS", "MAX_DRAWING_BYTES",
    "MAX_MESSAGE_CHARS", "ONLINE_INTAKE_ROLE", "ONLINE_INTAKE_ROLE_NAME", "RATABLE_STATUSES", "ROLE_LABELS",
    "ROOM_STATUSES", "ROUTES_AFTER_REFUSAL",
    "AccessRefused", "CaseTools", "CodeRefused", "PartyProgress", "RoomRefused", "SigningRefused",
    "area_in_centre", "can_enter_room", "can_invite_parties", "check_case_version", "check_code",
    "check_confirmation", "check_drawing", "check_filing_rate", "check_mediator", "do_answer_invitation",
    "do_assemble_confirmation", "do_cancel_session", "do_file_online", "do_invite_party", "do_open_access",
    "do_post_message", "do_prepare_signing", "do_rate_service", "do_request_access_code",
    "do_request_signing_code", "do_schedule_session", "do_sign_as_mediator", "do_sign_as_party",
    "do_upload_evidence", "do_verify_access", "follow_refusal", "get_access", "get_access_url",
    "get_case_tools", "get_online_intake_user", "get_party_progress", "get_pending_parties",
    "get_room_messages", "get_signed_agreement", "get_signed_pdf", "get_upcoming_sessions", "is_mediator", "issue_code", "mirror_signature",
    "party_label", "send_party_code",
]
