"""The exclusion list (parties the district excludes from a rule), the fishing season as a declared sea
period, the rule for a case open again after the court rejected judicial confirmation (repeat.reopened),
and the crew wage rule's share of crew without a written contract that raises its level. Literals, as in 0002: `yiwang.warnings.defaults` is the live copy
(warnings/tests/test_defaults.py). A rule the district has edited is left alone."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


# code, name, mode, level, yellow, orange, red, window_days, minimum, words, extra (as in 0002)
NEW_RULES = [
    ("repeat.reopened", "司法确认被驳回", "instant", "yellow", None, None, None, None, None, [], {}),
]
# code → the `extra` a rule gets when it still has 0002's (an empty one)
NEW_EXTRA = {"at_sea.crew_wages": {"no_contract_share": 0.5}}


def install(apps, schema_editor):
    db = schema_editor.connection.alias
    Rule = apps.get_model("warnings", "Rule")
    for code, name, mode, level, yellow, orange, red, window, minimum, words, extra in NEW_RULES:
        Rule.objects.using(db).get_or_create(code=code, defaults={
            "name": name, "mode": mode, "level": level, "yellow": yellow, "orange": orange, "red": red,
            "window_days": window, "minimum": minimum, "words": "\n".join(words), "extra": extra})
    for rule in Rule.objects.using(db).filter(code__in=list(NEW_EXTRA)):
        if not rule.extra:
            rule.extra = NEW_EXTRA[rule.code]
            rule.save(update_fields=["extra"])


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0001_initial'),
        ('warnings', '0002_defaults'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Exclusion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=100, verbose_name='party name')),
                ('id_number', models.CharField(blank=True, max_length=18, verbose_name='ID number')),
                ('credit_code', models.CharField(blank=True, max_length=18, verbose_name='unified social credit code')),
                ('reason', models.TextField(verbose_name='reason')),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='added at')),
                ('area', models.ForeignKey(blank=True, help_text='Only for a party known by name alone: the town it is in.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='areas.area', verbose_name='town')),
                ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='added by')),
                ('rule', models.ForeignKey(limit_choices_to={'code__in': ('group.respondent', 'repeat.party', 'repeat.returned', 'at_sea.vessel_repeat')}, on_delete=django.db.models.deletion.CASCADE, related_name='exclusions', to='warnings.rule', verbose_name='rule')),
            ],
            options={
                'verbose_name': 'exclusion from a rule',
                'verbose_name_plural': 'exclusions from rules',
                'ordering': ['rule_id', 'name', 'id'],
            },
        ),
        migrations.AlterField(
            model_name='seaclosure',
            name='kind',
            field=models.CharField(choices=[('moratorium', 'Fishing moratorium'), ('typhoon', 'Typhoon closure'), ('season', 'Fishing season')], max_length=12, verbose_name='kind'),
        ),
        migrations.RunPython(install, migrations.RunPython.noop),
    ]
