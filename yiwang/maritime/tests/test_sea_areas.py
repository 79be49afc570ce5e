"""Sea areas as data: the shipped file is well formed; a bad file is refused by line; a position maps to its
fishing zone, small zone (1–9 from the north-west) and named water, and to the land area that handles it."""

from decimal import Decimal

import pytest
from django.utils import translation

from yiwang.core.errors import InputError
from yiwang.maritime import sea
from yiwang.maritime.models import SeaArea, SeaAreaKind
from yiwang.maritime.tests.helpers import FAR_EAST, OFF_SHENJIAMEN, OPEN_SEA, OUTSIDE

HEADER = ",".join(sea.COLUMNS) + "\n"


def test_the_shipped_file_has_nine_small_zones_in_each_zone(demo):
    zones = SeaArea.objects.filter(kind=SeaAreaKind.ZONE)
    assert zones.count() == 25
    for zone in zones:
        assert zone.subzones.count() == 9
        assert zone.max_lat - zone.min_lat == Decimal("0.5") and zone.max_lon - zone.min_lon == Decimal("0.5")


def test_loading_the_file_again_changes_nothing(demo):
    before = list(SeaArea.objects.order_by("code").values_list("code", "handling_area_id", "max_lat"))
    sea.load_sea_areas(sea.DATA_FILE.read_text(encoding="utf-8"))
    assert list(SeaArea.objects.order_by("code").values_list("code", "handling_area_id", "max_lat")) == before


@pytest.mark.parametrize(("row", "message"), [
    ("99,zone,第99渔区,,30.0,30.4,122.0,122.5,330903", "30′ × 30′"),           # not 30′ high
    ("99,zone,第99渔区,,30.1,30.6,122.0,122.5,330903", "30′ × 30′"),           # off the grid
    ("104-1,subzone,小区,104,29.5,29.66667,122.0,122.16667,330903", "number 7"),  # south-west is 7, not 1
    ("104-9,subzone,小区,999,29.5,29.66667,122.0,122.16667,330903", "parent"),
    ("104-9,subzone,小区,104,29.5,29.6,122.0,122.16667,330903", "10′ × 10′"),
    ("W-X,water,某水域,,30.1,30.0,122.0,122.1,330903", "below"),
    ("W-X,water,某水域,,30.0,30.1,122.0,122.1,999999", "handling_area"),
    ("W-X,lake,某水域,,30.0,30.1,122.0,122.1,330903", "kind"),
])
def test_a_bad_row_refuses_the_file_with_its_line(demo, row, message):
    before = SeaArea.objects.get(code="104").handling_area_id
    text = HEADER + "104,zone,第104渔区,,29.5,30.0,122.0,122.5,330903005\n" + row + "\n"
    with translation.override("en"), pytest.raises(InputError) as refused:
        sea.load_sea_areas(text)
    assert list(refused.value.message_dict) == ["line 3"]
    assert message in refused.value.message_dict["line 3"][0]
    assert SeaArea.objects.filter(code="104").get().handling_area_id == before  # unchanged


def test_a_file_without_the_columns_is_refused(demo):
    with pytest.raises(InputError) as refused:
        sea.load_sea_areas("code,name\n1,x\n")
    assert "file" in refused.value.message_dict


def test_a_position_in_a_named_water_is_handled_by_its_town(demo):
    place = sea.locate(*OFF_SHENJIAMEN)
    assert place.water.code == "W-SJM"
    assert place.zone.code == "104" and place.subzone.code == "104-2"
    assert place.handling_area.code == "330903001"  # 沈家门街道


def test_a_position_at_open_sea_is_handled_by_the_nearest_towns_centre(demo):
    place = sea.locate(*OPEN_SEA)
    assert (place.water, place.zone.code, place.subzone.code) == (None, "95", "95-5")
    assert place.handling_area.code == "330903105"  # 东极镇


def test_far_out_the_district_handles_it(demo):
    place = sea.locate(*FAR_EAST)
    assert place.zone.code == "87" and place.handling_area.code == "330903"


def test_small_zones_count_from_the_north_west(demo):
    assert sea.locate("29.99", "122.01").subzone.code == "104-1"
    assert sea.locate("29.99", "122.49").subzone.code == "104-3"
    assert sea.locate("29.51", "122.01").subzone.code == "104-7"
    assert sea.locate("29.51", "122.49").subzone.code == "104-9"


def test_a_position_in_no_zone_is_none_and_a_bad_one_is_refused(demo):
    assert sea.locate(*OUTSIDE) is None
    with pytest.raises(InputError) as refused:
        sea.locate("north", "200")
    assert set(refused.value.message_dict) == {"lat", "lon"}
