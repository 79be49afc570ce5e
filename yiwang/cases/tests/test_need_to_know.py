"""Need-to-know scope: a bank's operator and a court's liaison hold grants limited to their organisation,
so they see and act on that organisation's own cases only (pages, admin, API); every action says whose
case it is for; a case's facts and claims are read only by those who work it.

The world is built here with the actions (no demo cases): a family dispute the bank has nothing to do
with, the bank's own submission, a case the bank is a party to, and the court's cases.
"""

import pytest

from yiwang.accounts.models import Role
from yiwang.areas.models import Area, Organisation, OrganisationKind
from yiwang.cases import actions
from yiwang.cases.models import Case, Status
from yiwang.cases.validators import credit_code_check_character

BANK = "浙江普陀农村商业银行"
COURT = "舟山市普陀区人民法院"
BANK_CODE_17 = "91330903MA2A1B2C3"


def village(prefix: str) -> Area:
    return Area.objects.filter(code__startswith=prefix, level="village").order_by("code").first()


def person(name: str, phone: str) -> dict:
    return {"kind": "person", "name": name, "phone": phone}


@pytest.fixture
def bank(demo) -> Organisation:
    """The demo bank, with its unified social credit code (how a case names it as a party)."""
    bank = Organisation.objects.get(name=BANK, kind=OrganisationKind.BANK)
    bank.credit_code = BANK_CODE_17 + credit_code_check_character(BANK_CODE_17)
    bank.save(update_fields=["credit_code"])
    return bank


@pytest.fixture
def court(demo) -> Organisation:
    return Organisation.objects.get(name=COURT, kind=OrganisationKind.COURT)


@pytest.fixture
def world(demo, bank, court):
    """One case of each kind the need-to-know rules tell apart, all in 沈家门 under the district."""
    area = village("330903001")
    staff = demo.putuo_staff

    def register(by, **extra):
        values = {"channel": "window", "dispute_type": "marriage_family", "area": area,
                  "facts": "夫妻二人因抚养费发生争执，女方诉称男方长期酗酒。", "claims": "请求按月支付抚养费。",
                  "applicants": [person("周晓红", "13857000101")], "respondents": [person("吴建国", "13857000102")]}
        return actions.do_register_case(by=by, **{**values, **extra})

    family = register(staff)
    own = register(demo.bank_operator, channel="bank", dispute_type="financial", facts="借款人逾期未还。",
                   claims="请求归还本金及利息。",
                   applicants=[{"kind": "organisation", "name": BANK, "credit_code": bank.credit_code}],
                   respondents=[person("郑海波", "13857000103")])
    party_to = register(staff, dispute_type="financial", facts="储户与银行就理财产品发生争议。", claims="退还本金。",
                        applicants=[person("孙丽", "13857000104")],
                        respondents=[{"kind": "organisation", "name": BANK, "credit_code": bank.credit_code}])
    delegated = register(staff, channel="court_delegation", submitted_by_organisation=court)
    return {"family": family, "own": own, "party_to": party_to, "delegated": delegated}


def banks_own(case, bank) -> bool:
    """The rule the tests hold the scope to, written out: submitted by the bank, or the bank is a party."""
    return case.submitted_by_organisation_id == bank.pk or case.parties.filter(credit_code=bank.credit_code).exists()


def agreed(case, demo):
    staff, mediator = demo.putuo_staff, demo.mediator_wang
    case = actions.do_accept(case, by=staff)
    case = actions.do_assign(case, by=staff, mediators=[mediator])
    case = actions.do_start_mediation(case, by=mediator)
    import datetime as dt

    from django.utils import timezone

    from yiwang.testing.factories import sign_and_seal

    return sign_and_seal(actions.do_record_agreement(
        case, by=mediator, facts="事实", matters_in_dispute="争议", responsibilities="责任", content="内容",
        performance_manner="转账", performance_place="沈家门",
        performance_deadline=timezone.localdate() + dt.timedelta(days=20),
    ), mediator=mediator)


# ------------------------------------------------------------------------------------------------ seeing


def test_the_bank_operator_sees_its_own_submission_and_the_cases_it_is_a_party_to(demo, world, bank):
    assert world["own"].submitted_by_organisation == bank  # intake sets it from the organisation grant
    assert world["family"].submitted_by_organisation is None
    visible = set(Case.objects.visible_to(demo.bank_operator, "case.view"))
    assert visible & set(world.values()) == {world["own"], world["party_to"]}
    assert all(banks_own(case, bank) for case in visible)


def test_the_court_liaison_sees_what_the_court_delegated_received_for_confirmation_or_had_referred(
        demo, world, court):
    liaison = demo.court_liaison
    mine = set(world.values())
    assert set(Case.objects.visible_to(liaison, "case.view")) & mine == {world["delegated"]}
    confirming = agreed(world["family"], demo)
    actions.do_apply_confirmation(confirming, by=demo.mediator_wang, court=court)
    assert set(Case.objects.visible_to(liaison, "case.view")) & mine == {world["delegated"], confirming}


def test_a_case_referred_to_the_court_becomes_the_courts(demo, world, court):
    staff, mediator = demo.putuo_staff, demo.mediator_wang
    case = actions.do_accept(world["party_to"], by=staff)
    case = actions.do_assign(case, by=staff, mediators=[mediator])
    case = actions.do_start_mediation(case, by=mediator)
    case = actions.do_terminate(case, by=mediator, reason="调解不成", routes_told="可向法院起诉")
    assert case not in Case.objects.visible_to(demo.court_liaison, "case.view")
    actions.do_refer(case, by=staff, kind="litigation", body=court)
    assert case in Case.objects.visible_to(demo.court_liaison, "case.view")
    case.refresh_from_db()
    actions.do_record_referral_result(case, by=demo.court_liaison, external_number="（2026）浙0903民初1号")


def test_queue_and_case_pages_show_the_bank_only_its_own(demo, world):
    client = demo.client("bank_operator")
    queue = client.get(f"/cases/?queue=all&area={world['family'].area_id}").text
    assert world["own"].number in queue and world["party_to"].number in queue
    assert world["family"].number not in queue and world["delegated"].number not in queue
    assert client.get(f"/cases/{world['own'].pk}/").status_code == 200
    for other in ("family", "delegated"):
        assert client.get(f"/cases/{world[other].pk}/").status_code == 404
        assert client.get(f"/cases/{world[other].pk}/acceptance-notice.pdf").status_code == 404


def test_the_bank_operators_queue_opens_on_the_banks_cases(demo, world, bank):
    """Its operator sees only the bank's cases, so that is the queue it lands on, named after the bank;
    the centre's windows and teams are not offered. Centre staff keep their own queue first."""
    client = demo.client("bank_operator")
    page = client.get("/cases/")
    assert page.context["queue_key"] == "all"
    assert [q["label"] for q in page.context["queues"]] == [f"{bank.name}的案件", "我的案件"]
    assert world["own"].number in page.text and world["party_to"].number in page.text
    assert world["family"].number not in page.text
    assert client.get("/cases/?queue=mine").context["queue_key"] == "mine"
    staff = demo.client("putuo_staff").get("/cases/")
    assert staff.context["queue_key"] == "mine" and staff.context["queues"][0]["label"] == "我的案件"


def test_the_api_lists_the_bank_its_own_and_answers_404_on_the_others(demo, world, bank):
    api = demo.api("bank_operator")
    area = world["family"].area_id
    listed = api.get(f"/api/v1/cases/?area={area}&page_size=500").json()
    numbers = {row["number"] for row in listed["results"]}
    assert {world["own"].number, world["party_to"].number} <= numbers
    assert world["family"].number not in numbers and world["delegated"].number not in numbers
    assert listed["count"] == len(numbers) == sum(banks_own(c, bank) for c in Case.objects.in_area(area).exclude(
        status=Status.MERGED))
    assert api.get(f"/api/v1/cases/{world['family'].pk}/").status_code == 404
    liaison = demo.api("court_liaison").get(f"/api/v1/cases/?area={area}&page_size=500").json()
    numbers = {row["number"] for row in liaison["results"]}
    assert world["delegated"].number in numbers and world["family"].number not in numbers


def test_the_admin_shows_an_organisation_grant_only_its_own_cases(demo, world):
    user = demo.bank_operator
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    role = Role.objects.get(code="bank_operator")
    role.actions = [*role.actions, "masterdata.view"]  # roles are data: this bank's operator may open the admin
    role.save(update_fields=["actions"])
    client = demo.client("bank_operator")
    listing = client.get("/admin/cases/case/").text
    assert world["own"].number in listing and world["family"].number not in listing
    assert client.get(f"/admin/cases/case/{world['own'].pk}/change/").status_code == 200
    assert client.get(f"/admin/cases/case/{world['family'].pk}/change/").status_code == 404


# ------------------------------------------------------------------------------------------------ acting


def test_the_bank_cannot_withdraw_a_family_dispute_it_has_nothing_to_do_with(demo, world):
    family = world["family"]
    response = demo.api("bank_operator").post(f"/api/v1/cases/{family.pk}/withdraw/",
                                              {"reason": "撤回", "version": family.version}, format="json")
    assert response.status_code == 404
    family.refresh_from_db()
    assert family.status == Status.REGISTERED and family.version == 1


def test_the_bank_may_not_take_intake_steps_on_a_case_it_is_only_a_party_to(demo, world):
    case = actions.do_accept(world["party_to"], by=demo.putuo_staff)
    bank = demo.bank_operator
    assert actions.get_available_actions(case, bank) == []
    api = demo.api("bank_operator")
    respondent = case.parties.get(role="respondent")
    for name, body in [("withdraw", {"reason": "撤回"}),
                       ("record-refusal", {"party": respondent.pk, "reason": "拒绝", "routes_told": "可起诉"}),
                       ("record-visit", {})]:
        response = api.post(f"/api/v1/cases/{case.pk}/{name}/", {**body, "version": case.version}, format="json")
        assert response.status_code == 403, (name, response.status_code)
    with pytest.raises(actions.PermissionRefused):
        actions.do_record_refusal(case, by=bank, party=respondent, reason="拒绝", routes_told="可起诉")
    case.refresh_from_db()
    assert case.status == Status.ACCEPTED and case.version == 2


def test_the_bank_takes_intake_steps_on_its_own_submission(demo, world):
    own = world["own"]
    assert {"record_visit", "withdraw", "record_refusal"} <= set(actions.get_available_actions(own, demo.bank_operator))
    own = actions.do_withdraw(own, by=demo.bank_operator, reason="借款人已还款")
    assert own.status == Status.WITHDRAWN


def test_mediator_steps_are_for_the_cases_mediators_only(demo, world):
    staff = demo.putuo_staff
    case = actions.do_accept(world["family"], by=staff)
    case = actions.do_assign(case, by=staff, mediators=[demo.mediator_wang])
    outsider = demo.maritime_mediator  # holds case.mediate on the whole district, but not on this case
    assert actions.get_available_actions(case, outsider) == []
    for attempt in (lambda: actions.do_start_mediation(case, by=outsider),
                    lambda: actions.do_withdraw(case, by=outsider, reason="撤回"),
                    lambda: actions.do_record_visit(case, by=outsider)):
        with pytest.raises(actions.PermissionRefused):
            attempt()
    case.refresh_from_db()
    assert case.status == Status.ASSIGNED
    assert "start_mediation" in actions.get_available_actions(case, demo.mediator_wang)


def test_a_town_clerk_takes_no_intake_steps_on_a_case_the_district_took_in_and_handles(demo):
    area = village("330903001")
    case = actions.do_register_case(
        by=demo.putuo_staff, channel="window", dispute_type="neighbourhood", area=area, tier="district",
        facts="相邻通行纠纷。", claims="恢复通行。", applicants=[person("钱某", "13857000105")],
    )
    clerk = demo.shenjiamen_clerk  # sees it (the area is theirs) and may route it, but did not take it in
    offered = actions.get_available_actions(case, clerk)
    assert "withdraw" not in offered and "record_visit" not in offered and "accept" in offered
    with pytest.raises(actions.PermissionRefused):
        actions.do_withdraw(case, by=clerk, reason="撤回")
    # Delegated down to the town, it is the town's to handle.
    case = actions.do_delegate(case, by=demo.putuo_staff, reason="由街道调处")
    assert "withdraw" in actions.get_available_actions(case, clerk)


def test_the_court_records_confirmation_only_at_its_own_court(demo, world, court):
    other = Organisation.objects.create(name="舟山市中级人民法院", kind=OrganisationKind.COURT, area_id="330903")
    case = agreed(world["family"], demo)
    case = actions.do_apply_confirmation(case, by=demo.mediator_wang, court=other)
    with pytest.raises(actions.PermissionRefused):
        actions.do_record_confirmation(case, by=demo.court_liaison, accepted=True, court_case_number="x")
    case.refresh_from_db()
    assert case.status == Status.CONFIRMATION_PENDING and case.agreement.confirmation_accepted is None


# --------------------------------------------------------------------------------------- facts and claims


def test_facts_and_claims_are_withheld_from_readers_who_do_not_work_the_case(demo, world):
    family = world["family"]
    facts = "女方诉称男方长期酗酒"
    for username in ("putuo_staff", "shenjiamen_clerk"):
        assert facts in demo.client(username).get(f"/cases/{family.pk}/").text, username
    for username in ("putuo_leader", "mediator_wang"):  # a leader reading the district; a mediator not on it
        page = demo.client(username).get(f"/cases/{family.pk}/").text
        assert facts not in page and "facts-withheld" in page, username
        detail = demo.api(username).get(f"/api/v1/cases/{family.pk}/").json()
        assert detail["facts"] is None and detail["claims"] is None and detail["facts_withheld"], username
    staff_detail = demo.api("putuo_staff").get(f"/api/v1/cases/{family.pk}/").json()
    assert facts in staff_detail["facts"] and staff_detail["facts_withheld"] == ""


def test_the_withheld_note_is_in_chinese(demo, world):
    page = demo.client("putuo_leader").get(f"/cases/{world['family'].pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").text
    assert "仅向办理本案的人员显示" in page


def test_the_assigned_mediator_and_the_leader_in_charge_read_the_facts(demo, world):
    staff = demo.putuo_staff
    case = actions.do_accept(world["family"], by=staff)
    case = actions.do_assign(case, by=staff, mediators=[demo.mediator_wang])
    assert actions.can_read_case_facts(case, demo.mediator_wang)
    assert not actions.can_read_case_facts(case, demo.putuo_leader)
    case.lead_leader = demo.putuo_leader
    assert actions.can_read_case_facts(case, demo.putuo_leader)
    assert actions.can_read_case_facts(world["party_to"], demo.bank_operator)  # the bank's own case


def test_an_organisation_grant_adds_its_own_cases_to_an_unlimited_grant_elsewhere(demo, world, bank):
    """Two grants, two dimensions: all of 六横 as a clerk, and the bank's own cases across the district."""
    from yiwang.accounts.models import Grant

    user = demo.liuheng_clerk
    Grant.objects.create(user=user, role_id="bank_operator", area_id="330903", organisation=bank)
    user = type(user).objects.get(pk=user.pk)  # grants are cached per user object
    visible = set(Case.objects.visible_to(user, "case.view"))
    assert {world["own"], world["party_to"]} <= visible
    assert world["family"] not in visible and world["delegated"] not in visible
    liuheng = actions.do_register_case(by=user, channel="window", dispute_type="neighbourhood",
                                       area=village("330903100"), facts="事实", claims="请求",
                                       applicants=[person("冯某", "13857000106")])
    assert liuheng in Case.objects.visible_to(user, "case.view")
    assert liuheng.submitted_by_organisation is None  # the clerk's own grant there is not the bank's
