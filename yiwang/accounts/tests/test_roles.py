"""A role names only codes some app declares: refused on save, in the admin and at start-up.

Without this a typo in a role ("case.veiw") is a silent refusal: its holders simply never get the right.
"""

import sys

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from yiwang.accounts.checks import check_roles
from yiwang.accounts.models import Role, User
from yiwang.accounts.permissions import DEFAULT_ROLES
from yiwang.core.checks import check_database_before_serving
from yiwang.core.permissions import get_permission_codes

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    client.force_login(User.objects.create_superuser("role_admin", password="role-admin-password-0"))
    return client


def _break(code: str, actions) -> None:
    """Write `actions` into the role the way a bulk update or a restored backup would: past `save()`."""
    Role.objects.filter(code=code).update(actions=actions)


def test_the_default_roles_name_only_declared_codes():
    undeclared = {code: sorted(set(actions) - get_permission_codes()) for code, (_name, actions) in DEFAULT_ROLES.items()}
    assert not {code: codes for code, codes in undeclared.items() if codes}


def test_installed_roles_pass_the_check():
    assert set(Role.objects.values_list("code", flat=True)) >= set(DEFAULT_ROLES)
    assert check_roles(databases=["default"]) == []
    check_database_before_serving()  # no exception


# --- on save ---------------------------------------------------------------------------------------------

def test_a_new_role_with_a_typo_is_refused_on_save_naming_each_unknown_code():
    role = Role(code="typo", name="Typo", actions=["case.view", "case.veiw", "grid.veiw"])
    with pytest.raises(ValidationError) as refused:
        role.save()
    messages = refused.value.message_dict["actions"]
    assert len(messages) == 2
    assert "case.veiw" in messages[0] and "grid.veiw" in messages[1]
    assert not Role.objects.filter(code="typo").exists()


def test_an_existing_role_keeps_its_codes_when_a_typo_is_saved():
    role = Role.objects.get(code="mediator")
    before = list(role.actions)
    role.actions = [*before, "case.mediat"]
    with pytest.raises(ValidationError, match="case.mediat"):
        role.save(update_fields=["actions"])
    assert Role.objects.get(code="mediator").actions == before


@pytest.mark.parametrize("actions", ["case.view", {"case.view": True}, ["case.view", 3], None])
def test_actions_that_are_not_a_list_of_codes_are_refused(actions):
    with pytest.raises(ValidationError):
        Role(code="odd", name="Odd", actions=actions).save()
    assert not Role.objects.filter(code="odd").exists()


def test_a_role_of_declared_codes_saves():
    Role(code="reader", name="Reader", actions=["area.view", "case.view"]).save()
    assert Role.objects.get(code="reader").actions == ["area.view", "case.view"]


# --- in the admin ----------------------------------------------------------------------------------------

def test_the_admin_refuses_a_role_with_typos_and_says_which_codes_in_chinese(superuser_client):
    response = superuser_client.post(
        "/admin/accounts/role/add/",
        {"code": "typo", "name": "Typo", "actions": '["case.view", "case.veiw", "grid.veiw"]'},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 200  # the form again, not a redirect
    page = response.content.decode()
    assert "未知的权限代码“case.veiw”。" in page
    assert "未知的权限代码“grid.veiw”。" in page
    assert "“case.view”" not in page.split("errorlist")[1]  # the known code is not among the errors
    assert not Role.objects.filter(code="typo").exists()


def test_the_admin_keeps_a_role_unchanged_when_an_edit_has_a_typo(superuser_client):
    before = Role.objects.get(code="leader").actions
    response = superuser_client.post(
        "/admin/accounts/role/leader/change/",
        {"code": "leader", "name": "Leader", "actions": '["stats.veiw"]'},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Unknown permission code “stats.veiw”." in response.content.decode()
    assert Role.objects.get(code="leader").actions == before


def test_the_admin_form_lists_the_declared_codes(superuser_client):
    page = superuser_client.get("/admin/accounts/role/add/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    for code in get_permission_codes():
        assert f"<code>{code}</code>" in page
    assert "查看案件" in page  # case.view's label, translated


def test_the_admin_saves_a_role_of_declared_codes(superuser_client):
    response = superuser_client.post(
        "/admin/accounts/role/add/", {"code": "reader", "name": "Reader", "actions": '["area.view", "case.view"]'}
    )
    assert response.status_code == 302
    assert Role.objects.get(code="reader").actions == ["area.view", "case.view"]


# --- at start-up -----------------------------------------------------------------------------------------

def test_the_start_up_check_names_the_role_and_the_unknown_code():
    _break("mediator", ["area.view", "case.view", "case.mediat"])
    _break("leader", "stats.view")
    errors = check_roles(databases=["default"])
    assert [(error.id, error.obj.code) for error in errors] == [("accounts.E002", "leader"), ("accounts.E001", "mediator")]
    assert "'mediator'" in errors[1].msg and "'case.mediat'" in errors[1].msg
    with pytest.raises(SystemCheckError, match="case.mediat"):
        check_database_before_serving()


def test_migrate_and_the_check_command_with_the_database_refuse():
    _break("mediator", ["case.mediat"])
    with pytest.raises(SystemCheckError, match="Role 'mediator' names the permission code 'case.mediat'"):
        call_command("check", databases=["default"])
    with pytest.raises(SystemCheckError, match="Role 'mediator' names the permission code 'case.mediat'"):
        call_command("migrate", skip_checks=False, verbosity=0)  # as `yiwang migrate` runs it
    call_command("check")  # without the database, as Django's own database checks


def test_serving_commands_refuse_to_start(monkeypatch, capsys):
    import yiwang.cli

    _break("mediator", ["case.mediat"])
    started = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", started.append)
    monkeypatch.delenv("RUN_MAIN", raising=False)
    for command in sorted(yiwang.cli.SERVING_COMMANDS):
        monkeypatch.setattr(sys, "argv", ["yiwang", command])
        with pytest.raises(SystemExit) as exited:
            yiwang.cli.main()
        assert exited.value.code == 1
        assert "case.mediat" in capsys.readouterr().err
    assert started == []
    monkeypatch.setattr(sys, "argv", ["yiwang", "shell"])  # an operator may still open a shell to fix it
    yiwang.cli.main()
    assert started == [["yiwang", "shell"]]


def test_a_wsgi_server_refuses_to_load_the_application(monkeypatch):
    _break("mediator", ["case.mediat"])
    monkeypatch.delitem(sys.modules, "yiwang.wsgi", raising=False)
    with pytest.raises(SystemCheckError, match="case.mediat"):
        import yiwang.wsgi  # noqa: F401


def test_the_check_waits_while_the_roles_table_does_not_exist(monkeypatch):
    _break("mediator", ["case.mediat"])
    monkeypatch.setattr(connection.introspection, "table_names", lambda *args, **kwargs: ["django_migrations"])
    assert check_roles(databases=["default"]) == []


def test_the_check_waits_for_migrations_still_to_apply(monkeypatch):
    """A migration may be what brings the roles in step (a code renamed): `migrate` must not be refused."""
    _break("mediator", ["case.mediat"])
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("pending", False)])
    assert check_roles(databases=["default"]) == []

