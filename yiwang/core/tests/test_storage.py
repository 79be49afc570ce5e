"""Every stored file goes through the one private storage (STORAGES["private"]), and no migration records
where: moving the files to S3 is a setting, not a schema change."""

from django.apps import apps
from django.core.files.base import ContentFile
from django.db import models

from yiwang.core.storage import PrivateFileField, private_storage


def test_every_file_field_of_the_project_is_private():
    fields = [field for model in apps.get_models() if model.__module__.startswith("yiwang.")
              for field in model._meta.get_fields() if isinstance(field, models.FileField)]
    assert len(fields) >= 10, "the project stores files"
    assert [str(field) for field in fields if not isinstance(field, PrivateFileField)] == []


def test_the_field_follows_the_setting_and_migrations_see_a_plain_file_field(settings, tmp_path):
    from yiwang.core.models import Job

    field = Job._meta.get_field("result")
    name, path, _args, kwargs = field.deconstruct()
    assert path == "django.db.models.FileField" and "storage" not in kwargs
    settings.STORAGES = {**settings.STORAGES, "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    stored = field.storage.save("jobs/probe.txt", ContentFile(b"x"))
    assert (tmp_path / stored).read_bytes() == b"x" and private_storage.exists(stored)
