"""The default rules and the warning leader's role are written out in migration 0002 (history must not
change when the code does) and must stay equal to the live copies."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection

from yiwang.warnings.defaults import DEFAULT_RULES
from yiwang.warnings.detect import DETECTORS
from yiwang.warnings.models import Rule
from yiwang.warnings.permissions import WARNING_LEADER_ACTIONS, WARNING_LEADER_ROLE

MIGRATION = importlib.import_module("yiwang.warnings.migrations.0002_defaults")
LATER = importlib.import_module("yiwang.warnings.migrations.0003_exclusions")


def test_the_frozen_rules_are_the_live_defaults():
    frozen = {row[0]: row for row in MIGRATION.DEFAULT_RULES + LATER.NEW_RULES}
    for code, extra in LATER.NEW_EXTRA.items():
        frozen[code] = (*frozen[code][:-1], extra)
    assert frozen == {row[0]: row for row in DEFAULT_RULES}
    assert MIGRATION.WARNING_LEADER[0] == WARNING_LEADER_ROLE and MIGRATION.WARNING_LEADER[2] == WARNING_LEADER_ACTIONS


def test_every_rule_has_a_detector_and_every_detector_a_rule():
    assert {row[0] for row in DEFAULT_RULES} == set(DETECTORS)


@pytest.mark.django_db
def test_the_migration_leaves_an_edited_rule_alone():
    Rule.objects.filter(code="group.size").update(yellow=8)
    Rule.objects.filter(code="at_sea.crew_wages").update(extra={"no_contract_share": 0.8})
    MIGRATION.install(django_apps, SimpleNamespace(connection=connection))
    LATER.install(django_apps, SimpleNamespace(connection=connection))
    assert Rule.objects.get(code="group.size").yellow == 8
    assert Rule.objects.get(code="at_sea.crew_wages").extra == {"no_contract_share": 0.8}
    assert Rule.objects.count() == len(DEFAULT_RULES)


def test_import_warnings_is_still_the_standard_library():
    import warnings

    assert hasattr(warnings, "warn") and warnings.__name__ == "warnings"
