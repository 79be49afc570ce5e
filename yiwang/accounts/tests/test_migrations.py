"""The standard roles a new install starts with are written out in accounts' migrations (the initial one,
then 0003's added codes; history must not change when the code does) and must stay equal to the live
`DEFAULT_ROLES`: change one without the other and this fails."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.utils import translation

from yiwang.accounts.models import Grant, Role
from yiwang.accounts.permissions import DEFAULT_ROLES

INITIAL = importlib.import_module("yiwang.accounts.migrations.0001_initial")
ADDED = importlib.import_module("yiwang.accounts.migrations.0003_roles_verify_api")


def frozen_roles() -> dict:
    """The roles as the migrations leave them: the initial set, then the codes later migrations add."""
    roles = {code: (name, list(actions)) for code, name, actions in INITIAL.DEFAULT_ROLES}
    for code, extra in ADDED.ROLE_CODES.items():
        roles[code][1].extend(a for a in extra if a not in roles[code][1])
    return roles


def live_roles() -> dict:
    # `migrate` runs with no language active, so a role's name is stored as its English source text.
    with translation.override(None):
        return {code: (str(name), list(actions)) for code, (name, actions) in DEFAULT_ROLES.items()}


def test_the_frozen_roles_are_the_live_default_roles():
    assert len(frozen_roles()) == len(INITIAL.DEFAULT_ROLES)  # no code written twice
    assert frozen_roles() == live_roles()


@pytest.mark.django_db
def test_the_migration_installs_exactly_the_default_roles():
    Grant.objects.all().delete()  # the demo's grants protect its roles; all rolled back after the test
    Role.objects.all().delete()
    INITIAL.install_roles(django_apps, SimpleNamespace(connection=connection))
    ADDED.add_codes(django_apps, SimpleNamespace(connection=connection))
    installed = {role.code: (role.name, role.actions) for role in Role.objects.all()}
    assert installed == live_roles()


@pytest.mark.django_db
def test_the_migration_leaves_an_existing_role_alone():
    Role.objects.update_or_create(code="leader", defaults={"name": "Leader (edited)", "actions": ["area.view"]})
    INITIAL.install_roles(django_apps, SimpleNamespace(connection=connection))
    assert Role.objects.filter(code="leader").values_list("name", "actions").get() == ("Leader (edited)", ["area.view"])
