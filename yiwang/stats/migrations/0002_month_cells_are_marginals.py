"""Township and village month cells became marginals (aggregates.py): recompute every cell of a
database that already has some. Cells and signatures are derived from the cases, problems and visits,
so nothing is lost. Should this ever fail on a database upgraded across many versions, run
`yiwang rebuild_stats` after `yiwang migrate`: it does the same."""

from django.db import migrations


def recompute_cells(apps, schema_editor):
    Cell = apps.get_model("stats", "Cell")
    if not Cell.objects.using(schema_editor.connection.alias).exists():
        return
    from yiwang.stats.aggregates import rebuild

    rebuild()


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
        ("cases", "0003_party_name_trigram"),
        ("grids", "0002_problem_case"),
    ]

    operations = [migrations.RunPython(recompute_cells, migrations.RunPython.noop)]
