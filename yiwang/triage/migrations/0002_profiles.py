"""Mediators' availability and conflicts with organisations and villages, the languages table (with the
default rows, written out as literals: yiwang.triage.defaults.LANGUAGES is the live copy) and the
parties' languages of a case. A profile's free-text dialects become rows of the table where a name
matches, before the text column goes."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

LANGUAGES = [
    ("putonghua", "普通话"), ("putuo", "普陀话（舟山话）"), ("ningbo", "宁波话"), ("taizhou", "台州话"),
    ("wenzhou", "温州话"), ("minnan", "闽南话"), ("sichuan", "四川话"), ("anhui", "安徽话"), ("henan", "河南话"),
    ("guizhou", "贵州话"), ("sign", "手语"),
]
# What a free-text dialect said, for the rows that are not written as the table names them.
ALIASES = {"舟山话": "putuo", "普陀话": "putuo", "普通话": "putonghua"}


def install_languages(apps, schema_editor):
    db = schema_editor.connection.alias
    Language = apps.get_model("triage", "Language")
    MediatorProfile = apps.get_model("triage", "MediatorProfile")
    for order, (code, name) in enumerate(LANGUAGES):
        Language.objects.using(db).get_or_create(code=code, defaults={"name": name, "order": order})
    by_name = {language.name: language for language in Language.objects.using(db).all()}
    by_code = {language.code: language for language in by_name.values()}
    for profile in MediatorProfile.objects.using(db).exclude(dialects=""):
        for word in profile.dialects.replace("，", ",").split(","):
            word = word.strip()
            language = by_name.get(word) or by_code.get(ALIASES.get(word, ""))
            if language is not None:
                profile.languages.add(language)


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0001_initial'),
        ('cases', '0001_initial'),
        ('triage', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Language',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=30, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=50, verbose_name='name')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='order')),
                ('active', models.BooleanField(default=True, verbose_name='active')),
            ],
            options={
                'verbose_name': 'language or dialect',
                'verbose_name_plural': 'languages and dialects',
                'ordering': ['order', 'code'],
            },
        ),
        migrations.AlterModelOptions(
            name='conflict',
            options={'ordering': ['mediator_id', 'kind', 'person_name', 'id'], 'verbose_name': 'conflict of interest', 'verbose_name_plural': 'conflicts of interest'},
        ),
        migrations.AddField(
            model_name='conflict',
            name='area',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='areas.area', verbose_name='village or town'),
        ),
        migrations.AddField(
            model_name='conflict',
            name='credit_code',
            field=models.CharField(blank=True, max_length=18, verbose_name='unified social credit code'),
        ),
        migrations.AddField(
            model_name='conflict',
            name='kind',
            field=models.CharField(choices=[('person', 'A person'), ('organisation', 'An organisation'), ('village', 'A village or town')], default='person', max_length=12, verbose_name='with'),
        ),
        migrations.AddField(
            model_name='mediatorprofile',
            name='away_note',
            field=models.CharField(blank=True, max_length=100, verbose_name='why away'),
        ),
        migrations.AddField(
            model_name='mediatorprofile',
            name='away_until',
            field=models.DateField(blank=True, help_text='Leave, training or illness: not suggested until this day is over.', null=True, verbose_name='away until'),
        ),
        migrations.AddField(
            model_name='mediatorprofile',
            name='capacity',
            field=models.PositiveSmallIntegerField(blank=True, help_text='Not suggested while carrying this many open cases.', null=True, verbose_name='open cases at most'),
        ),
        migrations.AddField(
            model_name='mediatorprofile',
            name='updated_at',
            field=models.DateTimeField(blank=True, null=True, verbose_name='updated at'),
        ),
        migrations.AddField(
            model_name='mediatorprofile',
            name='updated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by'),
        ),
        migrations.AddField(
            model_name='mediatorprofile',
            name='version',
            field=models.PositiveIntegerField(default=1, verbose_name='version'),
        ),
        migrations.AlterField(
            model_name='conflict',
            name='person_name',
            field=models.CharField(blank=True, max_length=100, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='conflict',
            name='relation',
            field=models.CharField(choices=[('relative', 'Relative'), ('colleague', 'Colleague'), ('employment', 'Works or worked for it'), ('office', 'Holds an office there'), ('other', 'Other interest')], max_length=10, verbose_name='relation'),
        ),
        migrations.CreateModel(
            name='CaseLanguage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('note', models.CharField(blank=True, max_length=200, verbose_name='note')),
                ('version', models.PositiveIntegerField(default=1, verbose_name='version')),
                ('recorded_at', models.DateTimeField(verbose_name='recorded at')),
                ('case', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='triage_languages', to='cases.case', verbose_name='case')),
                ('recorded_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='recorded by')),
                ('languages', models.ManyToManyField(blank=True, related_name='+', to='triage.language', verbose_name='languages the parties speak')),
            ],
            options={
                'verbose_name': "parties' languages",
                'verbose_name_plural': "parties' languages",
            },
        ),
        migrations.AddField(
            model_name='mediatorprofile',
            name='languages',
            field=models.ManyToManyField(blank=True, related_name='mediators', to='triage.language', verbose_name='languages and dialects'),
        ),
        migrations.RunPython(install_languages, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name='mediatorprofile',
            name='dialects',
        ),
    ]
