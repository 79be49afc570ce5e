"""The roles the migration installs are the live ROLES (the migration holds literals)."""

from importlib import import_module

from yiwang.cobuild.permissions import ROLES


def test_the_migration_installs_the_live_roles():
    from django.utils import translation

    migration = import_module("yiwang.cobuild.migrations.0002_roles")
    with translation.override(None):
        live = {code: (str(name), actions) for code, (name, actions) in ROLES.items()}
    assert {code: (name, actions) for code, name, actions in migration.ROLES} == live
