"""船名 and MMSI: a fishing vessel's name follows the national pattern; others are accepted as given; an
MMSI is nine digits, a Chinese vessel's beginning 412–414. Bad input is refused per field, nothing saved."""

import pytest
from django.core.exceptions import ValidationError

from yiwang.core.errors import InputError, PermissionRefused
from yiwang.maritime import validators
from yiwang.maritime.actions import check_vessel, do_register_vessel
from yiwang.maritime.models import Vessel
from yiwang.maritime.tests.helpers import vessel


@pytest.mark.parametrize("name", ["浙普渔64110", "浙岱渔03001", "浙普渔运12345", "浙普渔冷8801", "闽狮渔06001",
                                  "鲁荣渔58888", "浙象渔辅0012"])
def test_good_fishing_vessel_names(name):
    assert validators.check_fishing_vessel_name(name)


@pytest.mark.parametrize("name", ["浙普64110", "普渔64110", "浙普渔641", "浙普渔641100", "浙普渔A4110", "京普渔64110",
                                  "浙普渔", "64110", "浙普货64110", "浙普渔64110号"])
def test_bad_fishing_vessel_names(name):
    with pytest.raises(ValidationError):
        validators.check_fishing_vessel_name(name)


def test_the_parts_of_a_name():
    match = validators.check_fishing_vessel_name("浙普渔运12345")
    assert (match["province"], match["county"], match["type"], match["serial"]) == ("浙", "普", "渔运", "12345")


def test_names_from_paper_forms_are_normalised():
    assert validators.normalise_name(" 浙普渔 ６４１１０ ") == "浙普渔64110"


@pytest.mark.parametrize(("mmsi", "chinese"), [("412345678", True), ("413000001", True), ("414999999", True),
                                               ("351234000", False), ("563000111", False)])
def test_good_mmsi(mmsi, chinese):
    validators.validate_mmsi(mmsi, chinese=chinese)


@pytest.mark.parametrize(("mmsi", "chinese"), [("41234567", True), ("4123456789", True), ("41234567A", True),
                                               ("415000000", True), ("351234000", True), ("412345678", False), ("", True)])
def test_bad_mmsi(mmsi, chinese):
    with pytest.raises(ValidationError):
        validators.validate_mmsi(mmsi, chinese=chinese)


def test_a_cargo_ship_keeps_its_name_as_given(cast):
    ship = do_register_vessel(by=cast.putuo_staff, name="SEA SPIRIT", kind="cargo", mmsi="563000111", chinese=False,
                              owner_kind="organisation", owner_name="Spirit Shipping Pte Ltd")
    assert ship.name == "SEASPIRIT"  # spaces dropped as from a paper form; no pattern imposed


def test_bad_fields_are_refused_each_with_its_message_and_nothing_is_saved(cast):
    with pytest.raises(InputError) as refused:
        do_register_vessel(by=cast.putuo_staff, name="浙普64110", kind="trawler", mmsi="415000000",
                           owner_name="", gross_tonnage="-3", owner_phone="12345")
    errors = refused.value.message_dict
    assert set(errors) == {"name", "mmsi", "owner_name", "gross_tonnage", "owner_phone"}
    assert "浙普渔64110" in errors["name"][0]
    assert "412" in errors["mmsi"][0]
    assert not Vessel.objects.filter(name="浙普64110").exists()


def test_a_name_or_mmsi_already_registered_is_refused(cast):
    first = vessel()
    with pytest.raises(InputError) as refused:
        check_vessel({"name": first.name, "kind": "trawler", "mmsi": first.mmsi, "owner_name": "某某"})
    assert set(refused.value.message_dict) == {"name", "mmsi"}


def test_only_the_registry_keepers_register_vessels(cast):
    with pytest.raises(PermissionRefused):
        vessel(by="maritime_mediator")
    with pytest.raises(PermissionRefused):
        vessel(by="bank_operator")
