"""Holiday now belongs to core (the working-day calendar); its table stays where it is (core.0001)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0003_party_name_trigram"),
        ("core", "0001_holiday"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Holiday")],
            database_operations=[],
        ),
    ]
