"""The append-only audit log: who did what to which object, when and from where."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.core.scope import ScopedQuerySet


class AppendOnly(TypeError):
    """Raised by every ORM path that would change or remove an audit row (the database refuses too)."""

    def __init__(self, what: str = "changed or deleted"):
        super().__init__(f"The audit log is append-only: its rows are never {what}.")


class AuditQuerySet(ScopedQuerySet):
    area_field = "area_code"

    def update(self, **kwargs):
        raise AppendOnly()

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnly()

    def update_or_create(self, *args, **kwargs):
        raise AppendOnly()

    def delete(self):
        raise AppendOnly()

    delete.queryset_only = True

    def _raw_delete(self, using):
        raise AppendOnly()

    def bulk_create(self, objs, *args, **kwargs):
        """Chained like single inserts (audit.chain), in one transaction with the insert."""
        from yiwang.audit import chain

        objs = list(objs)
        if any(obj.pk is not None for obj in objs):
            raise AppendOnly("given an id by hand")
        with chain.atomic_if_needed():
            chain.seal(objs)
            return super().bulk_create(objs, *args, **kwargs)


class AuditEvent(models.Model):
    """One recorded act. Rows are only ever inserted: the ORM refuses any other write (AppendOnly) and the
    database's triggers refuse UPDATE, DELETE and TRUNCATE (migrations 0001, 0002). Each row's `hash` chains
    it to the row before (yiwang.audit.chain; `yiwang verify_audit`). The actor is kept (PROTECT): a user
    who has acted is deactivated, never deleted; `actor_name` is the username at the time."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    actor_name = models.CharField(_("actor name"), max_length=150, blank=True)
    verb = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    area_code = models.CharField(_("area"), max_length=12, blank=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=300, blank=True)
    channel = models.CharField(_("channel"), max_length=20, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(_("previous hash"), max_length=64, blank=True, default="", editable=False)
    hash = models.CharField(_("hash"), max_length=64, blank=True, default="", editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.verb} {self.object_repr}"

    def save(self, *args, **kwargs):
        from yiwang.audit import chain

        if self.pk is not None or not self._state.adding:
            raise AppendOnly()
        with chain.atomic_if_needed():
            chain.seal([self])
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly()
