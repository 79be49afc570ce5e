"""A village elder joins the mediator pool with a role on their area, mediates a case there, and it counts."""

import pytest

from yiwang.cases import actions as case_actions
from yiwang.cobuild import elders
from yiwang.cobuild.models import ElderCouncil
from yiwang.core import errors
from yiwang.testing import factories as f

pytestmark = pytest.mark.django_db


def test_an_elder_mediates_a_case_of_their_area(co):
    council = ElderCouncil.objects.create(name="六横镇乡贤理事会", kind="council", area_id="330903100")
    member = elders.do_add_elder(council, by=co.liuheng_office, name="陈德海", expertise="渔业纠纷",
                                 standing="退休村支书", phone="13905801234")
    elders.do_name_mediator(member, by=co.liuheng_office, username="elder_chen")
    elder = member.user
    assert elder.grants.get().role_id == "mediator" and elder.grants.get().area_id == "330903100"
    assert council.team.kind == "elders" and council.team.members.filter(pk=elder.pk).exists()

    case = f.register_case(area=f.village())  # a 六横 village
    for step in (lambda c: case_actions.do_accept(c, by=co.liuheng_clerk),
                 lambda c: case_actions.do_assign(c, by=co.putuo_staff, mediators=[elder]),
                 lambda c: case_actions.do_start_mediation(c, by=elder)):
        step(case)
        case.refresh_from_db()
    assert case.status == "mediating"
    assert elders.get_mediation_count(member) == 1

    elsewhere = f.register_case(area=f.village("330903001"), by="shenjiamen_clerk")
    case_actions.do_accept(elsewhere, by=co.shenjiamen_clerk)
    elsewhere.refresh_from_db()
    with pytest.raises(errors.ActionRefused):  # 沈家门 is outside the elder's area
        case_actions.do_assign(elsewhere, by=co.putuo_staff, mediators=[elder])


def test_naming_refusals(co):
    council = ElderCouncil.objects.create(name="六横镇乡贤联谊会", kind="association", area_id="330903100")
    member = elders.do_add_elder(council, by=co.liuheng_office, name="王阿公")
    with pytest.raises(errors.PermissionRefused):
        elders.do_name_mediator(member, by=co.liuheng_community, username="elder_wang")
    with pytest.raises(errors.InputError):
        elders.do_name_mediator(member, by=co.liuheng_office, username="mediator_wang")  # taken
    elders.do_name_mediator(member, by=co.liuheng_office, username="elder_wang")
    with pytest.raises(errors.IllegalTransition):
        elders.do_name_mediator(member, by=co.liuheng_office, username="elder_wang2")


def test_the_council_page_adds_members_and_names_a_mediator(co):
    council = ElderCouncil.objects.create(name="六横镇乡贤理事会", kind="council", area_id="330903100")
    office = co.client("liuheng_office")
    office.post(f"/cobuild/elders/{council.pk}/", {"elder-name": "陈德海", "elder-expertise": "渔业纠纷",
                                                   "elder-standing": "退休村支书", "elder-phone": "13905801234"})
    bad = office.post(f"/cobuild/elders/{council.pk}/", {"elder-name": "李", "elder-phone": "123"})
    assert bad.status_code == 200 and council.members.count() == 1
    member = council.members.get()
    office.post(f"/cobuild/elders/{council.pk}/", {"mediator-member": member.pk, "mediator-username": "elder_chen"})
    member.refresh_from_db()
    assert member.user.username == "elder_chen" and member.user.grants.get().role_id == "mediator"
    page = co.client("unit_liaison").get(f"/cobuild/elders/{council.pk}/").content.decode()
    assert "陈德海" in page and "13905801234" not in page and 'id="elder-form"' not in page  # masked, read-only
    assert co.client("unit_liaison").post(f"/cobuild/elders/{council.pk}/", {"elder-name": "x"}).status_code == 403
    assert co.client("shenjiamen_community").get(f"/cobuild/elders/{council.pk}/").status_code == 404
