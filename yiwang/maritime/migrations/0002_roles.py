"""The maritime codes on the standard roles, and the agency officer's role (written out: a migration
imports no live code)."""

from django.db import migrations

ROLE_CODES = {
    "window_clerk": ["sea.view", "sea.register"],
    "mediator": ["sea.view", "sea.coordinate"],
    "centre_staff": ["sea.view", "sea.register", "sea.coordinate"],
    "leader": ["sea.view"],
}
AGENCY_ROLE = ("maritime_agency", "涉海单位工作人员", ["area.view", "case.view", "sea.view", "sea.task"])


def add_codes(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, extra in ROLE_CODES.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.actions = list(dict.fromkeys([*role.actions, *extra]))
            role.save(update_fields=["actions"])
    code, name, actions = AGENCY_ROLE
    Role.objects.update_or_create(code=code, defaults={"name": name, "actions": actions})


def remove_codes(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, extra in ROLE_CODES.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.actions = [a for a in role.actions if a not in extra]
            role.save(update_fields=["actions"])
    Role.objects.filter(code=AGENCY_ROLE[0]).delete()


class Migration(migrations.Migration):
    dependencies = [("maritime", "0001_initial"), ("accounts", "0001_initial")]

    operations = [migrations.RunPython(add_codes, remove_codes)]
