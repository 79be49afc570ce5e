"""The court's side of a case: a court-delegated pre-filing mediation (委派调解) and its return.

A delegation is registered by the court's liaison (or the court's system through the API) with the
court's 案号; the case runs like any mediation, on the delegation's 30 days, extendable only with every
party's consent; when mediation fails or the period ends it goes back to the court with its materials
(`returned_at`, the package kept as an attachment of the case)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.cases.models import Case, CaseScopedQuerySet


class Delegation(models.Model):
    """A court's delegation of a case for pre-filing mediation (委派调解), one per case."""

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="delegation")
    court = models.ForeignKey("areas.Organisation", verbose_name=_("court"), on_delete=models.PROTECT,
                              related_name="delegations")
    court_case_number = models.CharField(_("court case number"), max_length=60)
    registered_at = models.DateTimeField(_("registered at"))
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("registered by"), null=True,
                                      on_delete=models.SET_NULL, related_name="+")
    period_ends = models.DateField(_("delegation period ends"))
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    returned_at = models.DateTimeField(_("returned to the court at"), null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("returned by"), null=True,
                                    blank=True, on_delete=models.SET_NULL, related_name="+")
    return_reason = models.TextField(_("why it was returned"), blank=True)
    return_package = models.ForeignKey("cases.Attachment", verbose_name=_("materials returned"), null=True,
                                       blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("court delegation")
        verbose_name_plural = _("court delegations")
        constraints = [models.UniqueConstraint(fields=["court", "court_case_number"],
                                               name="delegation_court_number_unique")]

    def __str__(self):
        return f"{self.court_case_number} → {self.case_id}"

    @property
    def returned(self) -> bool:
        return self.returned_at is not None
