"""The Holiday model moves from cases to core with its table and rows: state only, no DDL.

cases.0004 removes it from cases' state. The content type follows, so admin history stays attached.
"""

from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="core", model="holiday").exists():
        ContentType.objects.filter(app_label="cases", model="holiday").update(app_label="core")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Holiday",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("date", models.DateField(unique=True, verbose_name="date")),
                        ("working", models.BooleanField(default=False, verbose_name="working day")),
                        ("name", models.CharField(blank=True, max_length=50, verbose_name="name")),
                    ],
                    options={
                        "verbose_name": "holiday or make-up workday",
                        "verbose_name_plural": "holidays and make-up workdays",
                        "ordering": ["date"],
                        "db_table": "cases_holiday",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, migrations.RunPython.noop),
    ]
