"""A unit claims a community's demand, the community confirms, the unit reports the work with photos,
the community closes it — and every refusal on the way saves nothing."""

import pytest

from yiwang.cobuild import actions
from yiwang.cobuild.models import Claim, ClaimState, DemandState, ReportPhoto
from yiwang.cobuild.tests.helpers import offer, png, post_demand, social_centre, walk
from yiwang.core import errors
from yiwang.testing.factories import user

pytestmark = pytest.mark.django_db


def test_the_whole_lifecycle(co):
    demand = post_demand()
    resource = offer()
    assert demand.state == DemandState.OPEN
    claim = actions.do_claim(demand, by=co.unit_liaison, version=demand.version, resource=resource)
    assert (demand.state, claim.state, claim.organisation.name) == (DemandState.CLAIMED, ClaimState.PENDING,
                                                                   "舟山市普陀区司法局")
    actions.do_confirm(demand, by=co.liuheng_community, version=demand.version)
    assert demand.state == DemandState.IN_PROGRESS
    actions.do_report(demand, by=co.unit_liaison, version=demand.version, report="推销会售出水果3000斤",
                      photos=[png()])
    claim.refresh_from_db()
    assert (demand.state, claim.state, claim.report) == (DemandState.REPORTED, ClaimState.REPORTED,
                                                        "推销会售出水果3000斤")
    assert ReportPhoto.objects.filter(claim=claim, content_type="image/png").count() == 1
    actions.do_close(demand, by=co.liuheng_community, version=demand.version)
    claim.refresh_from_db()
    assert (demand.state, claim.state) == (DemandState.CLOSED, ClaimState.CLOSED)
    assert demand.closed_at is not None and claim.closed_at is not None


def test_a_community_worker_cannot_claim_and_a_unit_cannot_confirm(co):
    demand = post_demand()
    with pytest.raises(errors.PermissionRefused):
        actions.do_claim(demand, by=co.liuheng_community, version=demand.version)
    actions.do_claim(demand, by=co.unit_liaison, version=demand.version)
    with pytest.raises(errors.PermissionRefused):
        actions.do_confirm(demand, by=co.unit_liaison, version=demand.version)
    demand.refresh_from_db()
    assert demand.state == DemandState.CLAIMED


def test_a_claimed_demand_cannot_be_claimed_again(co):
    demand = post_demand()
    actions.do_claim(demand, by=co.unit_liaison, version=demand.version)
    # Another unit no longer reaches it (its grant reaches open demands and its own claims) …
    with pytest.raises(errors.PermissionRefused):
        actions.do_claim(demand, by=co.social_liaison, version=demand.version)
    # … and whoever does reach it finds it claimed.
    with pytest.raises(errors.IllegalTransition):
        actions.do_claim(demand, by=co.admin, version=demand.version, organisation=social_centre())
    assert Claim.objects.filter(demand=demand).count() == 1


def test_a_stale_version_is_refused(co):
    demand = post_demand()
    seen = demand.version
    actions.do_claim(demand, by=co.unit_liaison, version=seen)
    with pytest.raises(actions.StaleDemand):
        actions.do_confirm(demand, by=co.liuheng_community, version=seen)


def test_declining_opens_the_demand_again_for_another_unit(co):
    demand = post_demand()
    actions.do_claim(demand, by=co.unit_liaison, version=demand.version)
    with pytest.raises(errors.InputError):
        actions.do_decline(demand, by=co.liuheng_community, version=demand.version, reason="")
    actions.do_decline(demand, by=co.liuheng_community, version=demand.version, reason="需要直播经验")
    assert demand.state == DemandState.OPEN
    claim = actions.do_claim(demand, by=co.social_liaison, version=demand.version)
    assert claim.organisation == social_centre()
    assert [c.state for c in demand.claims.order_by("pk")] == [ClaimState.DECLINED, ClaimState.PENDING]


def test_only_the_claiming_unit_reports(co):
    demand = walk(post_demand(), "confirm")
    with pytest.raises(errors.PermissionRefused):
        actions.do_report(demand, by=co.social_liaison, version=demand.version, report="不是我们认领的")
    assert "report" not in actions.get_available_steps(co.social_liaison, demand)
    assert "report" in actions.get_available_steps(co.unit_liaison, demand)


def test_a_report_needs_words_and_real_photos_and_a_refusal_saves_nothing(co):
    from django.core.files.uploadedfile import SimpleUploadedFile

    demand = walk(post_demand(), "confirm")
    with pytest.raises(errors.InputError):
        actions.do_report(demand, by=co.unit_liaison, version=demand.version, report=" ")
    fake = SimpleUploadedFile("fair.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    with pytest.raises(errors.InputError) as refused:
        actions.do_report(demand, by=co.unit_liaison, version=demand.version, report="推销会", photos=[fake])
    assert "photos" in refused.value.message_dict
    demand.refresh_from_db()
    assert demand.state == DemandState.IN_PROGRESS and not ReportPhoto.objects.exists()


def test_closing_before_the_report_is_refused(co):
    demand = walk(post_demand(), "confirm")
    with pytest.raises(errors.IllegalTransition):
        actions.do_close(demand, by=co.liuheng_community, version=demand.version)


def test_a_demand_needs_its_fields_and_a_community(co):
    with pytest.raises(errors.InputError) as refused:
        post_demand(title="", size=0, contact_phone="abc")
    assert {"title", "size", "contact_phone"} <= set(refused.value.message_dict)
    with pytest.raises(errors.InputError):
        post_demand(by="liuheng_office", area="330903100")  # a town, not a community
    with pytest.raises(errors.PermissionRefused):
        post_demand(area="330903001001")  # 新街社区 is not 六横's worker's


def test_withdrawing_an_open_demand(co):
    demand = post_demand()
    actions.do_withdraw(demand, by=co.liuheng_community, version=demand.version, reason="已由村里解决")
    assert demand.state == DemandState.WITHDRAWN
    with pytest.raises(errors.PermissionRefused):  # no longer open: outside a unit's reach
        actions.do_claim(demand, by=co.unit_liaison, version=demand.version)
    with pytest.raises(errors.IllegalTransition):
        actions.do_claim(demand, by=co.admin, version=demand.version, organisation=social_centre())


def test_the_steps_offered_follow_the_table(co):
    demand = post_demand()
    assert actions.get_available_steps(co.unit_liaison, demand) == ["claim"]
    assert actions.get_available_steps(co.liuheng_community, demand) == ["withdraw"]
    walk(demand, "claim")
    assert actions.get_available_steps(co.liuheng_community, demand) == ["confirm", "decline"]
    assert actions.get_available_steps(user("putuo_staff"), demand) == []
