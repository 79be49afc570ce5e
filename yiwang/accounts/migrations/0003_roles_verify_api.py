"""grid.verify on the grid worker's and centre staff's roles (the grid worker who found a problem checks
on site what the unit did), api.use on the roles whose systems use the API, and the organisation-limited
grant's help text naming grid problems. Codes are written out: a migration imports no live code."""

from django.db import migrations, models

ROLE_CODES = {
    "grid_worker": ["grid.verify"],
    "centre_staff": ["grid.verify"],
    "bank_operator": ["api.use"],
    "court_liaison": ["api.use"],
    "administrator": ["api.use"],
}


def add_codes(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, extra in ROLE_CODES.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.actions = list(dict.fromkeys([*role.actions, *extra]))
            role.save(update_fields=["actions"])


def remove_codes(apps, schema_editor):
    Role = apps.get_model("accounts", "Role")
    for code, extra in ROLE_CODES.items():
        role = Role.objects.filter(code=code).first()
        if role is not None:
            role.actions = [a for a in role.actions if a not in extra]
            role.save(update_fields=["actions"])


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]

    operations = [
        migrations.RunPython(add_codes, remove_codes),
        migrations.AlterField(
            model_name="grant",
            name="organisation",
            field=models.ForeignKey(
                blank=True,
                help_text="When set, the grant reaches only this organisation's own cases (those it submitted, is a "
                "party to, had referred to it or received for judicial confirmation) and the grid problems "
                "dispatched to it.",
                null=True, on_delete=models.deletion.PROTECT, to="areas.organisation", verbose_name="organisation",
            ),
        ),
    ]
