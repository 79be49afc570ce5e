"""Users and their grants: a role (a set of actions) held on an area subtree."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.core.crypto import EncryptedCharField
from yiwang.core.permissions import get_unknown_codes
from yiwang.core.scope import ScopedQuerySet


class User(AbstractUser):
    """A member of staff or a partner's operator. Citizens do not hold accounts."""

    display_name = models.CharField(_("name"), max_length=50, blank=True)
    phone = EncryptedCharField(_("mobile number"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.display_name or self.username


class Role(models.Model):
    """A named set of permission codes, each declared by the app that checks it
    (`yiwang.core.permissions.get_permissions()`). A role naming a code no app declares is refused on save
    and at start-up (`accounts.checks`): its holders would otherwise be refused in silence."""

    code = models.SlugField(_("code"), max_length=30, primary_key=True)
    name = models.CharField(_("name"), max_length=50)
    actions = models.JSONField(_("actions"), default=list)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self):
        return str(self.label)

    def save(self, *args, **kwargs):
        # The ORM refuses too, not only the admin's form: the demo, a shell or an action may save a role.
        self.clean()
        super().save(*args, **kwargs)

    @staticmethod
    def is_code_list(actions) -> bool:
        return isinstance(actions, list) and all(isinstance(code, str) for code in actions)

    def unknown_actions(self) -> list[str]:
        """The codes among `actions` that no installed app declares."""
        return get_unknown_codes(self.actions)

    def clean(self):
        super().clean()
        if not self.is_code_list(self.actions):
            raise ValidationError({"actions": _('Enter a list of permission codes, such as ["case.view"].')})
        unknown = self.unknown_actions()
        if unknown:
            raise ValidationError({"actions": [
                ValidationError(_("Unknown permission code “%(code)s”."), code="unknown_permission", params={"code": code})
                for code in unknown
            ]})

    @property
    def label(self):
        """The role's name in the reader's language. A default role still named as it was installed (in the
        source English or in Chinese) reads in the current language; a role the district renamed, as written."""
        from django.utils import translation

        from yiwang.accounts.permissions import DEFAULT_ROLES

        default = DEFAULT_ROLES.get(self.code)
        if default is not None:
            name = default[0]
            with translation.override(settings.LANGUAGE_CODE):
                installed = {str(name)}
            with translation.override("en"):
                installed.add(str(name))
            if self.name in installed:
                return name
        return self.name


class Grant(models.Model):
    """`user` holds `role` on the subtree under `area`, optionally on behalf of a centre or organisation.

    A grant naming an organisation (a bank's operator, a court's liaison) is limited to that
    organisation's own cases and grid problems (scope.py, `organisation_q`); a grant naming a centre acts for that centre
    (which cases its intake-side steps reach: cases.actions.check_case_party)."""

    user = models.ForeignKey("accounts.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="grants")
    role = models.ForeignKey(Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="grants")
    area = models.ForeignKey("areas.Area", verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(
        "areas.Organisation", verbose_name=_("organisation"), null=True, blank=True, on_delete=models.PROTECT,
        help_text=_("When set, the grant reaches only this organisation's own cases (those it submitted, is a "
                    "party to, had referred to it or received for judicial confirmation) and the grid problems "
                    "dispatched to it."),
    )
    centre = models.ForeignKey(
        "areas.Centre", verbose_name=_("centre"), null=True, blank=True, on_delete=models.PROTECT
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [models.UniqueConstraint(fields=["user", "role", "area"], name="grant_unique")]

    def __str__(self):
        return f"{self.user} · {self.role} · {self.area_id}"
