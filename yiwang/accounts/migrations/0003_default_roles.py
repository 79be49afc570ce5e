from django.db import migrations


def install_roles(apps, schema_editor):
    from yiwang.accounts.permissions import DEFAULT_ROLES

    Role = apps.get_model("accounts", "Role")
    for code, (name, actions) in DEFAULT_ROLES.items():
        Role.objects.get_or_create(code=code, defaults={"name": str(name), "actions": actions})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [migrations.RunPython(install_roles, migrations.RunPython.noop)]
