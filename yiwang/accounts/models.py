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

    def save(self, *args, **kwargs):
        # Django keeps the new raw password in `_password` from set_password until the save: a changed
        # password, wherever it was changed (own page, admin, changepassword), revokes the API tokens.
        password_changed = self._password is not None and self.pk is not None
        super().save(*args, **kwargs)
        if password_changed:
            from yiwang.accounts.actions import revoke_tokens

            revoke_tokens(self, reason="password_changed")

    def has_acted(self) -> bool:
        """Whether the audit log names this user as an actor: then the account is kept forever (the log
        refers to it) and can only be deactivated (accounts.actions.do_deactivate_user)."""
        from django.apps import apps

        return apps.get_model("audit", "AuditEvent").objects.filter(actor=self).exists()

    def delete(self, *args, **kwargs):
        if self.pk is not None and self.has_acted():
            raise UserHasActed(self)
        return super().delete(*args, **kwargs)


class UserHasActed(models.ProtectedError):
    """A user the audit log names cannot be deleted; deactivate the account instead."""

    def __init__(self, user):
        super().__init__(
            _("%(user)s has acted (the audit log names them): deactivate the account instead of deleting it.")
            % {"user": user.get_username()}, set())


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


class ApiTokenQuerySet(models.QuerySet):
    def live(self):
        """Tokens that still open the API: not revoked, not expired."""
        from django.utils import timezone

        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """One named API token of a user (e.g. one per bank system). Only the SHA-256 of the key is stored: the
    key (256 random bits) is shown once, when it is issued (accounts.tokens). A token ends when it expires
    (YIWANG_TOKEN_DAYS after issue), when its user revokes it, or when its user's password changes."""

    user = models.ForeignKey("accounts.User", verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=60)
    digest = models.CharField(_("SHA-256 of the key"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("first characters"), max_length=8, editable=False,
                              help_text=_("The key's first characters, to tell tokens apart."))
    created_at = models.DateTimeField(_("issued"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_live(self) -> bool:
        from django.utils import timezone

        return self.revoked_at is None and self.expires_at > timezone.now()
