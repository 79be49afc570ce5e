"""Everything that changes a case. Pages and the API call these functions and nothing else.

Which action may be taken by whom, in which states and under which condition is declared once, as a
table: cases/lifecycle.py STEPS (permission codes, from-states, to-states, condition, form, label, API
serializer, the party's timeline line). Every do_* below checks its own row first (_base.check_step);
get_available_actions offers exactly the rows that check would let through.

The package, by lifecycle stage (everything is re-exported here; import from yiwang.cases.actions):
    _base       deadlines, refusals, check_case_party, check_step, _lock/_save/_event/_move
    intake      do_register_case, do_record_visit, do_add_attachment, do_withdraw, duplicates
    routing     tier/centre/window/team rules; accept, not_accept, transfer_window, assign, recuse,
                escalate, delegate, merge_cases
    mediation   start_mediation, record_session, extend, terminate, record_refusal, record_party_acceptance
    agreement   record_agreement (the written draft), record_oral_agreement (art. 28), apply_confirmation,
                record_confirmation, record_performance
    signing     record_paper_signature, record_online_signature, sign_agreement, seal_agreement: how a
                written agreement takes effect (art. 29)
    closing     record_party_rating, refer, record_referral_result, follow_up, archive, supervise
    readers     get_timeline, can_read_case_facts, can_add_attachment, get_available_actions

Models (models.py)
    Case            number (for life), channel, dispute_type, area (where it arose: the scope column),
                    centre (responsible now), registered_centre, tier, window, team, mediators (through
                    Assignment), status (Status, table TRANSITIONS), outcome (Outcome), facts, claims, amount,
                    people_involved, vessel_name/vessel_number/sea_area (maritime), received_at, deadline
                    (date, Chinese working days), mediation_deadline, extensions, owner (user responsible),
                    lead_leader (包案, district tier), visits (最多跑一地), supervisions, satisfaction,
                    not_accepted_redirect, routes_told, possible_duplicate, merged_into, closed_at, version.
                    `Case.objects.visible_to(user, "case.view")`, `.open()`, `.overdue()`, `.search(q)`;
                    `case.is_open`, `case.can_move_to(status)`, `case.invariant_errors()`.
    Party           case, role (applicant/respondent), kind (person/organisation), name, id_number, phone,
                    address, credit_code, representative.
    CaseEvent       the timeline: case, kind, at, actor, from_status, to_status, reason, detail.
    Assignment      case, mediator, assigned_at, recused_at, recusal_reason.
    MediationSession (调解笔录), Agreement (art. 29 fields + judicial confirmation + performance),
    Referral (kind, body, external_number), FollowUp (satisfaction 1–5), Attachment, CaseCounter (holidays: core.models).

Errors
    CaseActionError (a ValidationError): refused; `str(e.message)` / `e.messages` is the translated reason.
        PermissionRefused  the user may not take this action here (API: 403)
        StaleCase          someone else changed the case since it was read (API: 409)
        IllegalTransition  not possible in the case's current state (API: 409)
    CaseInputError (a CaseActionError with `message_dict`, field → messages): bad input (API: 400).

Actions (the rows of lifecycle.STEPS; keyword arguments after the case; every one takes `by=` (the user) and `version=` (the
version the caller read; defaults to `case.version`); each returns the fresh Case unless noted)
    do_register_case(by=, channel=, dispute_type=code|obj, area=code|obj, facts=, claims=, applicants=[{…}],
        respondents=[{…}], amount=None, people_involved=1, vessel_name="", vessel_number="", sea_area="",
        window=None, tier=None, lead_leader=None, received_at=None, idempotency_key="")  → Case with
        `.just_created`; a party is {"kind": "person"|"organisation", "name", "id_number", "phone",
        "address", "credit_code", "representative"}. Permission case.intake.
    do_record_visit(case, by=, note="")                       case.intake or case.mediate
    do_accept(case, by=, note="")                             case.route      registered → accepted
    do_not_accept(case, by=, reason=, redirect=)              case.route      registered → not_accepted
    do_transfer_window(case, by=, window=, reason=)           case.route
    do_assign(case, by=, mediators=[users], team=None, reason="") case.route  accepted → assigned
    do_recuse(case, by=, mediator=, reason=)                  case.route
    do_escalate(case, by=, reason=, lead_leader=None)         case.route      tier up (上提)
    do_delegate(case, by=, reason=)                           case.route      tier down (下交)
    do_merge_cases(duplicate, into=, by=, reason=)            case.route      duplicate → merged
    do_start_mediation(case, by=)                             case.mediate*   assigned → mediating
    do_record_session(case, by=, record=, held_at=None, place="", online=False, participants="") → session
    do_extend(case, by=, days=, consent=, reason="", consenting_parties=())  case.mediate*   (parties'
        consent; how many extensions and how long: procedures.EXTENSION_POLICIES per procedure)
    do_record_agreement(case, by=, facts=, matters_in_dispute=, responsibilities=, content=,
        performance_manner=, performance_place=, performance_deadline=)
                                                              case.mediate*   the written draft; stays mediating
    do_record_oral_agreement(case, by=, <the same>, parties_confirmed=)  case.mediate*  mediating → agreed
    do_record_paper_signature(case, by=, party=, scan=, witness=) → AgreementSignature   case.mediate*
    do_record_online_signature(case, by=, party=, drawing=b"") → AgreementSignature   the party's own
        signature through their link, recorded by the 解纷码 identity (case.intake) or staff
    do_sign_agreement(case, by=)                              case.mediate    after every party
    do_seal_agreement(case, by=)                              case.mediate*   after the mediator:
        the agreement takes effect (effective_on = today), mediating → agreed
    do_apply_confirmation(case, by=, applied_on=None, court=None) case.mediate/court agreed → confirmation_pending
    do_accept_confirmation(case, by=, note="")              case.court      the court accepts (within 3
        days of the application): the 15 days of its ruling start
    do_extend_confirmation(case, by=, reason=)               case.court      once, by 10 days
    do_record_confirmation(case, by=, accepted=, decided_on=None, court_case_number="", note="")
                                                              case.court      → confirmed / confirmation_rejected
    do_record_performance(case, by=, note="", completed=False)   case.mediate   → performing
    do_terminate(case, by=, reason=, routes_told=)            case.mediate*   mediating → terminated
    do_record_refusal(case, by=, party=, reason=, routes_told=)
                                                              case.intake/route/mediate/supervise (also the
        online intake identity): a party refuses mediation (art. 17) → registered: not_accepted (closed,
        routes as the redirect); accepted/assigned/mediating: terminated (routes told, art. 26)
    do_record_party_acceptance(case, by=, party=, channel="online")  the respondent accepted mediation
        themselves (their link); recorded by the 解纷码 identity (case.intake) or staff
    do_record_party_rating(case, by=, party=, satisfaction=1..5, note="", method="online") → FollowUp
        a party rated the service themselves once mediation is over (RATABLE_STATUSES); as above
    do_refer(case, by=, kind=, body=, note="")                case.refer      terminated → referred
    do_record_referral_result(case, by=, external_number="", note="", correction_reason="", no_number_reason="")
                                                              case.refer or case.court: a court's number is a
        checked 案号; a second number is a correction (reason required); or why no number came back
    do_register_delegation(by=, court=, court_case_number=, <case fields>) → Case   case.court (the court's
        liaison): 委派调解, idempotent on court + 案号; 30 days, extended only with every party's consent
    do_return_to_court(case, by=, reason=)                    case.refer/supervise/mediate  a failed (or
        expired) delegation → referred to its court with the materials (ZIP attachment); required before
        a failed delegation is followed up or archived
    do_withdraw(case, by=, reason=)                           case.intake or case.mediate → withdrawn
    do_follow_up(case, by=, satisfaction=1..5, note="", method="phone")  case.mediate or case.supervise
    do_archive(case, by=, note="")                            case.supervise  followed_up → archived
    do_supervise(case, by=, note=)                            case.supervise  open and overdue (督办)
    do_add_attachment(case, by=, file=, name="") → Attachment case.intake or case.mediate
    (* a mediator must be assigned to the case; centre staff with case.supervise may act instead)
    Every action code above is checked on the case itself, not only its area: check_case_party says
    whose case each code reaches (a bank's or court's own cases, a centre's own intake, the case's
    assigned mediators).
Readers
    get_available_actions(case, user) → names above (without "do_") this user may take now, in the
        table's order: the rows with a page form (lifecycle.PAGE_STEPS; never register_case, the party's
        own steps or add_attachment: see can_add_attachment(case, user))
    get_timeline(case) → CaseEvents of the case and of cases merged into it
    get_possible_duplicates(case) → other cases with the same party ID/phone and type in DUPLICATE_DAYS
"""

from __future__ import annotations

from yiwang.cases.actions._base import (  # noqa: F401
    ACCEPT_WORKDAYS,
    ARCHIVE_WORKDAYS,
    ASSIGN_WORKDAYS,
    CONFIRMATION_WINDOW_DAYS,
    COURT_ACCEPT_DAYS,
    COURT_EXTENSION_DAYS,
    COURT_RULING_DAYS,
    DISTRICT_AMOUNT,
    DISTRICT_PEOPLE,
    DUPLICATE_DAYS,
    MAX_EXTENSION_DAYS,
    MEDIATION_DAYS,
    NEXT_STEP_WORKDAYS,
    REFERRAL_FOLLOW_UP_DAYS,
    START_WORKDAYS,
    TOWN_AMOUNT,
    TOWN_PEOPLE,
    CaseActionError,
    CaseInputError,
    IllegalTransition,
    PermissionRefused,
    StaleCase,
    _event,
    check_case_party,
    check_step,
    get_mediator_permission,
    get_step_permission,
)
from yiwang.cases.actions.agreement import (  # noqa: F401
    AGREEMENT_TEXT_FIELDS,
    do_accept_confirmation,
    do_apply_confirmation,
    do_extend_confirmation,
    do_record_agreement,
    do_record_confirmation,
    do_record_oral_agreement,
    do_record_performance,
    get_courts_for,
)
from yiwang.cases.actions.closing import (  # noqa: F401
    REFERRAL_BODY_KINDS,
    do_archive,
    do_follow_up,
    do_record_party_rating,
    do_record_referral_result,
    do_refer,
    do_supervise,
)
from yiwang.cases.actions.court import (  # noqa: F401
    build_return_package,
    check_court_case_number,
    do_register_delegation,
    do_return_to_court,
)
from yiwang.cases.actions.intake import (  # noqa: F401
    check_parties,
    do_add_attachment,
    do_record_visit,
    do_register_case,
    do_withdraw,
    get_possible_duplicates,
    get_visible_duplicate,
)
from yiwang.cases.actions.mediation import (  # noqa: F401
    do_extend,
    do_record_party_acceptance,
    do_record_refusal,
    do_record_session,
    do_start_mediation,
    do_terminate,
)
from yiwang.cases.actions.readers import (  # noqa: F401
    FACTS_WITHHELD,
    WORKING_ACTIONS,
    can_add_attachment,
    can_read_case_facts,
    get_available_actions,
    get_timeline,
)
from yiwang.cases.actions.routing import (  # noqa: F401
    LEAD_LEADER_ACTION,
    do_accept,
    do_assign,
    do_delegate,
    do_escalate,
    do_merge_cases,
    do_not_accept,
    do_recuse,
    do_transfer_window,
    get_centre_for,
    get_team_for,
    get_tier_for,
    get_window_for,
)
from yiwang.cases.actions.signing import (  # noqa: F401
    do_record_online_signature,
    do_record_paper_signature,
    do_seal_agreement,
    do_sign_agreement,
    get_signer_label,
)
from yiwang.cases.lifecycle import RATABLE_STATUSES, REFUSABLE_STATUSES, STEPS  # noqa: F401
