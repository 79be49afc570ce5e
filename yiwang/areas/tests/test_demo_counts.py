"""The 普陀区 demo holds the seed article's counts."""

from yiwang.areas.models import Centre, CentreLevel, Window, WindowKind
from yiwang.demo import load_demo


def test_district_centre_has_two_comprehensive_and_thirteen_specialised_windows(demo):
    district = Centre.objects.get(level=CentreLevel.DISTRICT)
    assert district.area_id == "330903"
    assert district.windows.filter(kind=WindowKind.COMPREHENSIVE).count() == 2
    assert district.windows.filter(kind=WindowKind.SPECIALISED).count() == 13
    for window in district.windows.filter(kind=WindowKind.SPECIALISED):
        assert window.dispute_types.count() == 1


def test_ten_town_centres_and_eighty_five_village_centres(demo):
    assert Centre.objects.filter(level=CentreLevel.TOWN).count() == 10
    assert Centre.objects.filter(level=CentreLevel.VILLAGE).count() == 85
    # The tenth town-level centre serves a configured management area, not a division.
    assert Centre.objects.filter(level=CentreLevel.TOWN, area__official=False).count() == 1
    assert not Centre.objects.filter(level=CentreLevel.VILLAGE, illustrative=False).exists()


def test_village_centres_are_spread_over_every_town_with_villages(demo):
    towns = {c.area_id[:9] for c in Centre.objects.filter(level=CentreLevel.VILLAGE)}
    assert {"330903001", "330903100", "330903102", "330903104"} <= towns


def test_loading_the_demo_again_changes_nothing(demo):
    before = (Centre.objects.count(), Window.objects.count(), sorted(Centre.objects.values_list("code", "area_id")))
    load_demo()
    after = (Centre.objects.count(), Window.objects.count(), sorted(Centre.objects.values_list("code", "area_id")))
    assert before == after


def test_putuo_leader_sees_ninety_six_centres(cast):
    assert Centre.objects.visible_to(cast.putuo_leader).count() == 96
