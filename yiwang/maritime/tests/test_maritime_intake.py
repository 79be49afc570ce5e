"""The maritime intake registers the case through the cases app's own intake and writes its maritime record
in the same transaction; the land division comes from the sea area; a case with two vessels is in both
vessels' histories; a major dispute goes to the district with a leader in charge."""

from decimal import Decimal

import pytest

from yiwang.cases.models import Case, Tier
from yiwang.core.errors import IllegalTransition, InputError, PermissionRefused
from yiwang.maritime.actions import do_mark_major, do_record_maritime_details
from yiwang.maritime.models import MaritimeRecord
from yiwang.maritime.tests.helpers import FAR_EAST, OFF_SHENJIAMEN, OPEN_SEA, OUTSIDE, sea_case, vessel
from yiwang.testing import factories as f


def test_the_land_area_comes_from_the_sea_area(cast):
    case = sea_case(vessels=[vessel()], position=OFF_SHENJIAMEN)
    assert case.area_id == "330903001"  # 沈家门渔港 → 沈家门街道, no street address asked
    assert case.centre.area_id == "330903001" and case.tier == Tier.TOWN
    assert case.team.kind == "maritime"  # the cases app's own routing to the maritime team
    record = case.maritime
    assert record.sea_area_id == "W-SJM" and record.zone_id == "104"
    assert case.sea_area == "沈家门渔港"


def test_at_open_sea_the_nearest_town_and_far_out_the_district(cast):
    assert sea_case(vessels=[vessel()], position=OPEN_SEA).area_id == "330903105"
    far = sea_case(vessels=[vessel()], position=FAR_EAST)
    assert far.area_id == "330903" and far.tier == Tier.DISTRICT


def test_a_chosen_sea_area_serves_without_a_position(cast):
    case = sea_case(vessels=[vessel()], position=("", ""), sea_area="W-LH")
    assert case.area_id == "330903100" and case.maritime.zone_id == "104"


def test_a_case_with_two_vessels_is_in_both_histories(cast):
    first, second, other = vessel(), vessel(), vessel()
    case = sea_case(vessels=[first, second], incident_kind="collision")
    assert list(first.records.values_list("case_id", flat=True)) == [case.pk]
    assert list(second.records.values_list("case_id", flat=True)) == [case.pk]
    assert not other.records.exists()
    assert case.vessel_name == f"{first.name}、{second.name}"


def test_bad_input_is_refused_per_field_and_nothing_is_saved(cast):
    before = Case.objects.count()
    with pytest.raises(InputError) as refused:
        sea_case(vessels=["浙普渔00000"], position=OUTSIDE, incident_kind="piracy", dead="-1")
    assert set(refused.value.message_dict) >= {"vessels", "latitude", "incident_kind", "dead"}
    assert Case.objects.count() == before and not MaritimeRecord.objects.exists()


def test_only_maritime_types(cast):
    with pytest.raises(InputError) as refused:
        sea_case(vessels=[vessel()], dispute_type="neighbourhood")
    assert "dispute_type" in refused.value.message_dict


def test_a_clerk_outside_the_handling_area_may_not_register_it(cast):
    # 六横's clerk registers in 六横 only; 沈家门渔港 is 沈家门's: the cases app's own check refuses.
    with pytest.raises(PermissionRefused):
        sea_case(vessels=[vessel()], by="liuheng_clerk", position=OFF_SHENJIAMEN)
    assert sea_case(vessels=[vessel()], by="liuheng_clerk", position=("", ""), sea_area="W-LH").area_id == "330903100"


def test_the_same_idempotency_key_registers_once(cast):
    boat, people = vessel(), [f.applicant()]  # a retry sends the same request again
    first = sea_case(vessels=[boat], applicants=people, idempotency_key="k-1")
    again = sea_case(vessels=[boat], applicants=people, idempotency_key="k-1")
    assert first.pk == again.pk and MaritimeRecord.objects.filter(case=first).count() == 1


def test_a_death_at_sea_is_major_and_goes_to_the_district_with_its_leader(cast):
    with pytest.raises(InputError) as refused:
        sea_case(vessels=[vessel()], incident_kind="injury", dead=1)
    assert "lead_leader" in refused.value.message_dict
    case = sea_case(vessels=[vessel()], incident_kind="injury", dead=1, lead_leader=cast.putuo_leader)
    assert case.tier == Tier.DISTRICT and case.lead_leader == cast.putuo_leader
    assert case.maritime.major and "1" in case.maritime.major_reason


@pytest.mark.parametrize("extra", [{"crew_involved": 12}, {"loss_amount": "1500000"}])
def test_many_crew_or_large_losses_are_major(cast, extra):
    case = sea_case(vessels=[vessel()], lead_leader=cast.putuo_leader, **extra)
    assert case.maritime.major and case.tier == Tier.DISTRICT


def test_three_vessels_are_major(cast):
    case = sea_case(vessels=[vessel(), vessel()], other_vessel="外省渔船", lead_leader=cast.putuo_leader)
    assert case.maritime.major


def test_marking_major_later_escalates_through_the_cases_action(cast):
    case = sea_case(vessels=[vessel()], position=OFF_SHENJIAMEN)
    record = case.maritime
    with pytest.raises(InputError):
        do_mark_major(record, by=cast.putuo_staff, reason="对方船员失踪", lead_leader=None)
    do_mark_major(record, by=cast.putuo_staff, reason="对方船员失踪", lead_leader=cast.putuo_leader)
    case.refresh_from_db()
    record.refresh_from_db()
    assert record.major and case.tier == Tier.DISTRICT and case.lead_leader == cast.putuo_leader
    assert case.events.filter(kind="escalated").count() == 1
    with pytest.raises(IllegalTransition):
        do_mark_major(record, by=cast.putuo_staff, reason="再次", lead_leader=cast.putuo_leader)


def test_marking_major_needs_the_right_to_route_and_a_fresh_version(cast):
    record = sea_case(vessels=[vessel()]).maritime
    with pytest.raises(PermissionRefused):  # a mediator coordinates but does not route: the cases action says no
        do_mark_major(record, by=cast.maritime_mediator, reason="死亡", lead_leader=cast.putuo_leader)
    record.refresh_from_db()
    assert not record.major and record.case.tier == Tier.TOWN
    with pytest.raises(Exception) as stale:
        do_mark_major(record, by=cast.putuo_staff, reason="死亡", lead_leader=cast.putuo_leader,
                      version=record.version + 5)
    assert stale.value.status_code == 409


def test_a_case_filed_elsewhere_gets_its_record(cast):
    case = f.register_case(by="shenjiamen_clerk", area=f.village("330903001"), dispute_type="maritime",
                           vessel_name="浙普渔12345", sea_area="沈家门附近", facts="工资纠纷", claims="支付工资")
    boat = vessel()
    record = do_record_maritime_details(case, by=cast.shenjiamen_clerk, incident_kind="crew_wages",
                                        sea_area="W-SJM", vessels=[boat], crew_involved=3, loss_amount="36000")
    assert record.area_id == case.area_id and record.loss_amount == Decimal("36000.00")
    assert list(boat.records.all()) == [record]
    with pytest.raises(IllegalTransition):
        do_record_maritime_details(f.register_case(), by=cast.putuo_staff, incident_kind="crew_wages", sea_area="W-SJM")
