"""Start-up refuses a role naming a permission code that no installed app declares.

Roles are data, edited in the admin; `Role.save()` refuses an unknown code, but rows can arrive other ways
(a bulk update, a restored backup, an upgrade that dropped a code). Holders of such a role would be refused
in silence, so the database checks (`yiwang migrate`, `yiwang check --database default`, and the serving
entry points through `yiwang.core.checks.check_database_before_serving`) report it as an error.
"""

from django.core import checks
from django.db import connections
from django.db.migrations.executor import MigrationExecutor


def _roles_in_step(alias: str) -> bool:
    """Whether the roles table exists and every migration is applied: a migration still to apply may be
    what brings the roles in step with the codes the software declares, so `migrate` must not be
    refused for them (the check runs again at the next start)."""
    from yiwang.accounts.models import Role

    connection = connections[alias]
    if Role._meta.db_table not in connection.introspection.table_names():
        return False
    executor = MigrationExecutor(connection)
    return not executor.migration_plan(executor.loader.graph.leaf_nodes())


def check_roles(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """accounts.E001 for each (role, unknown code); accounts.E002 for a role whose actions are not a list
    of codes. Only on the databases asked for, as every database check."""
    from yiwang.accounts.models import Role

    if app_configs is not None and not any(config.label == "accounts" for config in app_configs):
        return []
    errors = []
    for alias in databases or ():
        if not _roles_in_step(alias):
            continue
        for role in Role.objects.using(alias).order_by("code"):
            if not Role.is_code_list(role.actions):
                errors.append(checks.Error(
                    f"Role {role.code!r} has actions {role.actions!r}, which is not a list of permission codes.",
                    hint="Correct the role in the administration (Accounts and grants → Roles).",
                    obj=role, id="accounts.E002",
                ))
                continue
            for code in role.unknown_actions():
                errors.append(checks.Error(
                    f"Role {role.code!r} names the permission code {code!r}, which no installed app declares.",
                    hint="Correct the role in the administration (Accounts and grants → Roles), or declare "
                    "the code in the app that checks it (register_permissions in its AppConfig.ready()).",
                    obj=role, id="accounts.E001",
                ))
    return errors
