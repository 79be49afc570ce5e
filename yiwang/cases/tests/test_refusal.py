"""A party refuses mediation (People's Mediation Law art. 17: it is voluntary). Mediation ends there and the
routes that remain are recorded as told (art. 26): a case the centre had not yet accepted is not accepted,
with the routes as where to go instead; a case it had taken on is terminated and stays open for referral
or follow-up. Whoever hears the refusal records it; the invariants hold either way."""

import pytest
from django.urls import reverse

from yiwang.audit.models import AuditEvent
from yiwang.cases import actions
from yiwang.cases.models import Case, Outcome, Status
from yiwang.cases.tests.test_pages_case import act, detail, offered, register

ROUTES = "可向人民法院起诉，或依约申请仲裁，或请求行政机关处理。"


def refuse(case, by, **extra):
    values = {"party": case.parties.get(role="respondent"), "reason": "被申请人电话告知不同意调解",
              "routes_told": ROUTES}
    values.update(extra)
    return actions.do_record_refusal(case, by=by, **values)


def taken_on(cast, until: str):
    case = register(cast)
    case = actions.do_accept(case, by=cast.liuheng_clerk)
    if until in ("assigned", "mediating"):
        case = actions.do_assign(case, by=cast.liuheng_clerk, mediators=[cast.mediator_wang])
    if until == "mediating":
        case = actions.do_start_mediation(case, by=cast.mediator_wang)
    assert case.status == until
    return case


def test_refused_before_acceptance_the_case_is_not_accepted_with_the_routes_as_where_to_go(cast):
    case = refuse(register(cast), cast.liuheng_clerk)

    case.refresh_from_db()
    assert case.status == Status.NOT_ACCEPTED and not case.is_open and case.closed_at
    assert case.outcome == Outcome.NOT_ACCEPTED and case.outcome_note == "被申请人电话告知不同意调解"
    assert case.not_accepted_redirect == ROUTES and case.routes_told == ROUTES
    assert case.invariant_errors() == []
    event = case.events.get(kind="mediation_refused")
    assert (event.from_status, event.to_status, event.actor) == ("registered", "not_accepted", cast.liuheng_clerk)
    assert event.detail["party_role"] == "respondent" and event.detail["permission"] == "case.intake"
    assert AuditEvent.objects.filter(verb="cases.mediation_refused", object_id=str(case.pk)).count() == 1


@pytest.mark.parametrize("until", ["accepted", "assigned", "mediating"])
def test_refused_once_taken_on_mediation_is_terminated_and_the_case_stays_owned_for_what_comes_next(cast, until):
    case = taken_on(cast, until)
    owner = case.owner

    case = refuse(case, cast.mediator_wang if until == "mediating" else cast.liuheng_clerk)

    case.refresh_from_db()
    assert case.status == Status.TERMINATED and case.is_open
    assert case.outcome == Outcome.TERMINATED and case.routes_told == ROUTES
    assert case.owner == owner and case.deadline and case.invariant_errors() == []
    assert case.events.get(kind="mediation_refused").from_status == until
    # From here the case goes where any failed mediation goes: referred, or followed up.
    assert {"refer", "follow_up"} <= set(actions.get_available_actions(case, cast.putuo_staff))


@pytest.mark.parametrize("stage", ["agreed", "not_accepted"])
def test_once_mediation_has_produced_an_outcome_a_refusal_is_refused(cast, stage):
    case = register(cast)
    if stage == "agreed":
        case = taken_on(cast, "mediating")
        from yiwang.testing.factories import sign_and_seal

        case = sign_and_seal(actions.do_record_agreement(
            case, by=cast.mediator_wang, facts="事实", matters_in_dispute="通道", responsibilities="各半",
            content="拆除围墙", performance_manner="自行拆除", performance_place="峧头村",
            performance_deadline="2099-01-01"), mediator=cast.mediator_wang)
    else:
        case = actions.do_not_accept(case, by=cast.liuheng_clerk, reason="不属受理范围", redirect="派出所")
    version = case.version
    with pytest.raises(actions.IllegalTransition):
        refuse(case, cast.putuo_staff)
    case.refresh_from_db()
    assert case.status == stage and case.version == version
    assert "record_refusal" not in actions.get_available_actions(case, cast.putuo_staff)


@pytest.mark.parametrize("username", ["court_liaison", "putuo_leader"])
def test_someone_who_neither_registers_routes_nor_mediates_may_not_record_it(cast, username):
    case = register(cast)
    with pytest.raises(actions.PermissionRefused):
        refuse(case, getattr(cast, username))
    assert Case.objects.get(pk=case.pk).status == Status.REGISTERED
    assert "record_refusal" not in actions.get_available_actions(case, getattr(cast, username))


def test_an_outsider_cannot_record_it(cast):
    case = register(cast)
    with pytest.raises(actions.PermissionRefused):
        refuse(case, cast.shenjiamen_clerk)
    assert Case.objects.get(pk=case.pk).status == Status.REGISTERED


def test_bad_input_is_refused_field_by_field_and_nothing_changes(cast):
    case = register(cast)
    other = register(cast, facts="另一起纠纷", applicants=[{"name": "张三", "phone": "13857009999"}])
    with pytest.raises(actions.CaseInputError) as refused:
        refuse(case, cast.liuheng_clerk, party=other.parties.first(), reason=" ", routes_told="")
    assert refused.value.message_dict.keys() == {"party", "reason", "routes_told"}
    case.refresh_from_db()
    assert case.status == Status.REGISTERED and case.events.count() == 1


def test_a_stale_version_is_refused(cast):
    case = register(cast)
    actions.do_record_visit(case, by=cast.liuheng_clerk)
    with pytest.raises(actions.StaleCase):
        refuse(case, cast.liuheng_clerk, version=case.version)
    assert Case.objects.get(pk=case.pk).status == Status.REGISTERED


def test_recording_it_through_the_case_page(cast):
    case = taken_on(cast, "assigned")
    client = cast.client("liuheng_clerk")
    assert "record_refusal" in offered(client.get(detail(case)))
    respondent = case.parties.get(role="respondent")

    blank = client.post(act(case, "record_refusal"), {"version": case.version, "record_refusal-party": respondent.pk})
    assert blank.status_code == 400
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED

    response = client.post(act(case, "record_refusal"), {
        "version": case.version, "record_refusal-party": respondent.pk,
        "record_refusal-reason": "被申请人到窗口明确表示拒绝调解", "record_refusal-routes_told": ROUTES})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == Status.TERMINATED and case.routes_told == ROUTES
    page = client.get(detail(case)).content.decode()
    assert "被申请人到窗口明确表示拒绝调解" in page and "record_refusal" not in offered(client.get(detail(case)))


def test_recording_it_through_the_api(cast):
    case = register(cast)
    api = cast.api("liuheng_clerk")
    url = reverse("case-record-refusal", args=[case.pk])
    other = register(cast, facts="另一起纠纷", applicants=[{"name": "张三", "phone": "13857009999"}])

    bad = api.post(url, {"party": other.parties.first().pk, "reason": "拒绝", "routes_told": ROUTES}, format="json")
    assert bad.status_code == 400 and "party" in bad.json()
    assert Case.objects.get(pk=case.pk).status == Status.REGISTERED

    response = api.post(url, {"party": case.parties.get(role="respondent").pk, "reason": "拒绝",
                              "routes_told": ROUTES, "version": case.version}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "not_accepted"
