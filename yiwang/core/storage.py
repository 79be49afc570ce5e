"""Where private files live: the one named storage `STORAGES["private"]`.

Every file a user or the system stores (evidence, attachments, signed PDFs, drawn signatures, grid and
co-building photos, a bank's batch file, a job's export) is a `PrivateFileField`, stored through
`private_storage`: the local file system under MEDIA_ROOT by default, an S3-compatible bucket when the
settings' YIWANG_S3_* variables are set (django-storages). Either way the files are never public: no
URL of the storage is handed out; a view finds the object through the reader's scope first and then
streams the file through the app (core.uploads.stored_file_response).

    private_storage        the storage (lazy: re-read when a test overrides STORAGES)
    PrivateFileField       a FileField on private_storage; migrations see a plain FileField, since
                           where the bytes live is deployment, not schema
"""

from __future__ import annotations

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class _PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages["private"]


private_storage = _PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty


class PrivateFileField(models.FileField):
    """A FileField whose files go to STORAGES["private"] (see the module's docstring)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("storage", private_storage)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("storage", None)
        return name, "django.db.models.FileField", args, kwargs
