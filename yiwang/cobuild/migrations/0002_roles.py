"""The co-building roles, as literals: cobuild.permissions.ROLES is the live copy (tests/test_roles.py
fails when the two differ). Names are stored as their English source text."""

from django.db import migrations

ROLES = [
    ("cobuild_community", "Community co-building worker",
     ["area.view", "cobuild.view", "cobuild.post", "grid.view", "pii.view"]),
    ("cobuild_unit", "Co-building unit liaison", ["area.view", "cobuild.view", "cobuild.claim"]),
    ("cobuild_office", "Co-building office",
     ["area.view", "cobuild.view", "cobuild.post", "cobuild.manage", "grid.view", "pii.view"]),
]


def install_roles(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, name, actions in ROLES:
        Role.objects.using(schema_editor.connection.alias).get_or_create(
            code=code, defaults={"name": name, "actions": actions})


class Migration(migrations.Migration):
    dependencies = [("cobuild", "0001_initial"), ("accounts", "0002_initial")]
    operations = [migrations.RunPython(install_roles, migrations.RunPython.noop)]
