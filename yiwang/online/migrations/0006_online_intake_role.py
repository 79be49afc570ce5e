from django.db import migrations


def install_online_intake_role(apps, schema_editor):
    """The 解纷码 intake role from accounts.permissions.DEFAULT_ROLES: created on a new install, brought in
    step where the online app had created it on the fly (it carried the same actions under another name)."""
    from yiwang.accounts.permissions import DEFAULT_ROLES

    Role = apps.get_model("accounts", "Role")
    name, actions = DEFAULT_ROLES["online_intake"]
    role, created = Role.objects.get_or_create(code="online_intake", defaults={"name": str(name), "actions": actions})
    if not created:
        # Keep any action an administrator added; make sure the ones the software relies on are there.
        role.actions = list(dict.fromkeys([*role.actions, *actions]))
        role.save(update_fields=["actions"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_default_roles"),
        ("online", "0005_scheduled_sessions"),
    ]
    operations = [migrations.RunPython(install_online_intake_role, migrations.RunPython.noop)]
