"""What the notifications app stores: each person's inbox, what they follow, which channels they want per
kind of notice, their 浙政钉 account, and the SMS templates (data, checked when saved).

Messages that leave the system (SMS, e-mail, 浙政钉) are rows of the core outbox (core.Notification);
an inbox item is the in-app copy, one per person and notice key."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.notifications.kinds import CHANNELS, OPTIONAL_CHANNELS


class InboxItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A person's inbox is their own: anyone else's item is 404, a superuser's included."""
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(user=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class InboxItem(models.Model):
    """One notice in one person's inbox: written once per (user, key), so a notice announced again, or a
    retried action, never shows twice. `url` leads to the object; reading it marks the item read."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items",
                             verbose_name=_("user"))
    key = models.CharField(_("key"), max_length=200)
    kind = models.CharField(_("kind"), max_length=64)
    text = models.CharField(_("text"), max_length=1000)
    url = models.CharField(_("link"), max_length=300, blank=True)
    about_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    about_id = models.CharField(max_length=64, blank=True)
    area_code = models.CharField(_("area"), max_length=12, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    objects = InboxItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="inboxitem_user_key_unique")]
        indexes = [models.Index(fields=["user", "read_at", "-created_at"])]

    def __str__(self):
        return f"{self.user} · {self.kind}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Subscription(models.Model):
    """A staff member follows one case, or an area (its whole subtree) × a dispute type (or every type).
    Followers hear only of what they may see: the scope is checked when each notice is delivered."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions",
                             verbose_name=_("user"))
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("case"))
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                             verbose_name=_("area"))
    dispute_type = models.ForeignKey("areas.DisputeType", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name=_("dispute type"))
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(condition=Q(case__isnull=False, area__isnull=True, dispute_type__isnull=True)
                                   | Q(case__isnull=True, area__isnull=False), name="subscription_case_or_area"),
            models.UniqueConstraint(fields=["user", "case"], condition=Q(case__isnull=False),
                                    name="subscription_case_unique"),
            models.UniqueConstraint(fields=["user", "area", "dispute_type"],
                                    condition=Q(case__isnull=True, dispute_type__isnull=False),
                                    name="subscription_area_type_unique"),
            models.UniqueConstraint(fields=["user", "area"], condition=Q(case__isnull=True, dispute_type__isnull=True),
                                    name="subscription_area_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.case or self.area}"


class ChannelPreference(models.Model):
    """Whether `user` wants notices of `kind` on `channel` (e-mail, 浙政钉, SMS); absent means the kind's
    default. The inbox and a kind's required channels are not a choice (kinds.Kind.required)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    kind = models.CharField(_("kind"), max_length=64)
    channel = models.CharField(_("channel"), max_length=10, choices=[(c, CHANNELS[c]) for c in OPTIONAL_CHANNELS])
    enabled = models.BooleanField(_("enabled"))

    class Meta:
        verbose_name = _("channel preference")
        verbose_name_plural = _("channel preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind", "channel"], name="channelpref_unique")]

    def __str__(self):
        return f"{self.user} · {self.kind} · {self.channel}"


class WorkAccount(models.Model):
    """A staff member's 浙政钉 account (accountId in the open platform), where their work notices go."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_account",
                                verbose_name=_("user"))
    zzd_account_id = models.CharField(_("浙政钉 account id"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("浙政钉 account")
        verbose_name_plural = _("浙政钉 accounts")

    def __str__(self):
        return f"{self.user} · {self.zzd_account_id}"


# --- SMS templates ------------------------------------------------------------------------------------------

VARIABLE = re.compile(r"\$\{([a-z][a-z0-9_]*)\}")
# The carriers' rules, as the gateways (阿里云, 腾讯云) apply them: one segment carries 70 characters; a longer
# message is split into segments of 67 (3 go to the joining header). A variable's value is at most 35
# characters; two variables side by side could not be told apart in what is sent.
SEGMENT_CHARS, LONG_SEGMENT_CHARS, MAX_VARIABLE_CHARS = 70, 67, 35
MAX_SEGMENTS = 5


def count_segments(text: str) -> int:
    """How many segments a message of this length is billed as."""
    n = len(text)
    if n <= SEGMENT_CHARS:
        return 1
    return -(-n // LONG_SEGMENT_CHARS)


class SmsTemplate(models.Model):
    """The text of one kind of SMS to citizens, with ${variables}; the gateway's own template code (the
    provider approves templates, not texts) and the signature it is sent under. Checked when saved:
    variables well formed and never side by side, and the longest message (every variable at 35
    characters) within MAX_SEGMENTS segments; `segments` is the cost estimate."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    body = models.TextField(_("text"), help_text=_("Variables are written ${name}; at most 35 characters each."))
    provider_code = models.CharField(_("gateway template code"), max_length=50, blank=True,
                                     help_text=_("The code the SMS gateway approved this text under, e.g. SMS_123456."))
    urgent = models.BooleanField(_("urgent (sent in quiet hours)"), default=False)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("SMS template")
        verbose_name_plural = _("SMS templates")
        ordering = ["code"]

    def __str__(self):
        return f"{self.code} · {self.name}"

    def save(self, *args, **kwargs):
        self.clean()
        super().save(*args, **kwargs)

    @property
    def variables(self) -> list[str]:
        return VARIABLE.findall(self.body)

    @property
    def longest(self) -> str:
        """The message with every variable at its longest: what the estimate bills."""
        return VARIABLE.sub("x" * MAX_VARIABLE_CHARS, self.body)

    @property
    def segments(self) -> int:
        """The cost estimate: segments of the longest message."""
        return count_segments(self.longest)

    def clean(self):
        errors = check_template_body(self.body)
        if errors:
            raise ValidationError({"body": errors})

    def render(self, values: dict) -> str:
        """The text with each variable filled in (a value longer than 35 characters is cut to 35); a
        variable without a value is a programming error."""
        def fill(match):
            return str(values[match.group(1)])[:MAX_VARIABLE_CHARS]

        return VARIABLE.sub(fill, self.body)


def check_template_body(body: str) -> list[str]:
    """What is wrong with a template's text under the carriers' rules (empty when all is well)."""
    from django.utils.translation import gettext as _

    errors = []
    body = body or ""
    if not body.strip():
        return [_("Write the text of the message.")]
    stray = VARIABLE.sub("", body)
    if "${" in stray:
        errors.append(_("A variable is written ${name}: lower-case letters, digits and _, starting with a letter."))
    if re.search(r"\}\$\{", body):
        errors.append(_("Two variables side by side cannot be told apart: put text between them."))
    longest = count_segments(VARIABLE.sub("x" * MAX_VARIABLE_CHARS, body))
    if longest > MAX_SEGMENTS:
        errors.append(_("With every variable at 35 characters the message takes %(n)s segments; at most "
                        "%(max)s.") % {"n": longest, "max": MAX_SEGMENTS})
    return errors
