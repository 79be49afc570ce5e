"""The citizen side of a case: private access links for the parties, one-time codes sent by SMS, and the
record of remote signatures on an agreement.

Citizens hold no accounts. A party proves who they are with two things: the private link sent to them
(PartyAccess) and a one-time code sent to the mobile number on the case (OneTimeCode). Changes go through
actions.py.
"""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.cases.models import CaseScopedQuerySet
from yiwang.core.crypto import BlindIndexField, EncryptedCharField
from yiwang.core.storage import PrivateFileField


def hash_token(token: str) -> str:
    """Access tokens are stored hashed: reading the database does not yield working links."""
    return hashlib.sha256(token.encode()).hexdigest()


class PartyAccessQuerySet(CaseScopedQuerySet):
    area_field = "party__case__area__code"


class PartyAccess(models.Model):
    """A party's private link to their case. The token is shown once (in the SMS and on the filing
    page) and stored only as a hash; inviting again replaces it, so an old link stops working."""

    party = models.OneToOneField(
        "cases.Party", verbose_name=_("party"), on_delete=models.CASCADE, related_name="online_access"
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("invited by"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    # The respondent's answer to the invitation to mediate (art. 17: mediation is voluntary).
    consent = models.CharField(
        _("consent to mediation"), max_length=10, blank=True,
        choices=[("accepted", _("Accepted mediation")), ("refused", _("Refused mediation"))],
    )
    consent_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The party's own rating of the service once mediation is over (it also joins the follow-up record).
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    rated_at = models.DateTimeField(_("rated at"), null=True, blank=True)

    objects = PartyAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("party access link")
        verbose_name_plural = _("party access links")

    def __str__(self):
        return f"{self.party.case} · {self.party}"


class CodePurpose(models.TextChoices):
    ACCESS = "access", _("Open the case")
    SIGN = "sign", _("Sign the agreement")
    RATE = "rate", _("Rate a community's public work")  # cobuild's 好坏大家评: one rating per verified phone


class OneTimeCode(models.Model):
    """A six-digit code sent by SMS. Only its salted HMAC is stored; it expires after a few minutes, is
    used once, and allows a few wrong tries."""

    phone = EncryptedCharField(_("mobile number"), max_length=11)
    phone_hash = BlindIndexField(source="phone", db_index=False)  # indexed with purpose and time below
    purpose = models.CharField(_("purpose"), max_length=10, choices=CodePurpose.choices)
    access = models.ForeignKey(
        PartyAccess, verbose_name=_("access link"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="codes",
    )
    salt = models.CharField(max_length=32, editable=False)
    code_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("sent at"), db_index=True)
    expires_at = models.DateTimeField(_("expires at"))
    attempts = models.PositiveSmallIntegerField(_("wrong tries"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["phone_hash", "purpose", "created_at"], name="online_code_phone_hash_idx")]

    def __str__(self):
        return f"{self.phone[:3]}****{self.phone[-4:]} · {self.purpose}"


class SignerRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")
    MEDIATOR = "mediator", _("Mediator")
    CENTRE = "centre", _("Centre (seal)")


class SignedAgreement(models.Model):
    """The agreement PDF being signed remotely: each signature is an incremental update of `pdf`, so the
    latest file carries every signature so far. Complete once the centre has applied its seal."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.CASCADE, related_name="signed_agreement"
    )
    pdf = PrivateFileField(_("PDF"), upload_to="agreements/%Y/")
    sha256 = models.CharField(_("SHA-256 of the current file"), max_length=64)
    original_sha256 = models.CharField(_("SHA-256 of the unsigned draft"), max_length=64)
    # The signing page's boxes, in signing order: [{"label", "role", "party": pk or None, "box": [x1, y1, x2, y2]}]
    slots = models.JSONField(_("signature boxes"), default=list)
    created_at = models.DateTimeField(_("drafted at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("drafted by"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("sealed at"), null=True, blank=True)

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("signed agreement")
        verbose_name_plural = _("signed agreements")

    def __str__(self):
        return str(self.case)


class Signature(models.Model):
    """One signature on an agreement, in order, with when, from where, and the hash of the file it
    produced. A party's drawn signature image is kept as evidence of their assent."""

    agreement = models.ForeignKey(SignedAgreement, on_delete=models.CASCADE, related_name="signatures")
    order = models.PositiveSmallIntegerField(_("order"))
    role = models.CharField(_("role"), max_length=12, choices=SignerRole.choices)
    party = models.ForeignKey("cases.Party", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    label = models.CharField(_("signer"), max_length=100)
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    drawing = PrivateFileField(_("drawn signature"), upload_to="signatures/%Y/", blank=True)
    sha256 = models.CharField(_("SHA-256 after signing"), max_length=64)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["agreement_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "order"], name="signature_order_unique"),
            models.UniqueConstraint(fields=["agreement", "party"], condition=models.Q(party__isnull=False),
                                    name="signature_one_per_party"),
        ]

    def __str__(self):
        return f"{self.agreement} · {self.order}. {self.label}"


class RoomMessage(models.Model):
    """A message in a case's mediation room: from a party or from staff, to everyone in the case or, from
    a party, privately to the mediator (背对背 mediation)."""

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="room_messages")
    party = models.ForeignKey("cases.Party", verbose_name=_("from party"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("from staff"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    private = models.BooleanField(_("only to the mediator"), default=False)
    text = models.TextField(_("message"))
    at = models.DateTimeField(_("sent at"), db_index=True)

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediation room message")
        verbose_name_plural = _("mediation room messages")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.case} · {self.at:%Y-%m-%d %H:%M}"


class Evidence(models.Model):
    """A file a party or the mediator put into the case: stored outside the web root (MEDIA_ROOT) and
    served only to the parties of the case and staff who may see it."""

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="evidence")
    party = models.ForeignKey("cases.Party", verbose_name=_("from party"), null=True, blank=True,
                              on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("from staff"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    file = PrivateFileField(_("file"), upload_to="evidence/%Y/%m/")
    name = models.CharField(_("file name"), max_length=150)
    content_type = models.CharField(_("type"), max_length=50)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    note = models.CharField(_("description"), max_length=200, blank=True)
    at = models.DateTimeField(_("uploaded at"), db_index=True)

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["at", "id"]

    def __str__(self):
        return self.name


class ScheduledSession(models.Model):
    """A mediation session the mediator has scheduled (in person or online); the parties see it on their
    page and are told by SMS. What was said is recorded afterwards as the case's MediationSession."""

    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="scheduled_sessions")
    starts_at = models.DateTimeField(_("starts at"))
    online = models.BooleanField(_("online"), default=True)
    place = models.CharField(_("place or meeting link"), max_length=200)
    note = models.CharField(_("note"), max_length=200, blank=True)
    scheduled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("scheduled by"), null=True,
                                     on_delete=models.SET_NULL, related_name="+")
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("scheduled session")
        verbose_name_plural = _("scheduled sessions")
        ordering = ["starts_at", "id"]

    def __str__(self):
        return f"{self.case} · {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def may_be_called_off(self) -> bool:
        return self.cancelled_at is None and self.starts_at > timezone.now()


class CommitteeCertificate(models.Model):
    """A people's mediation committee's own signing key and certificate (PEM files, referenced here by
    path, e.g. under VAR_DIR/signing/committees/): the agreements of the centre's cases are sealed with
    it, not with one key shared by every centre. The committee's name is the certificate's subject
    (O and CN). Managed in the admin; the demo makes one per centre (online.certificates)."""

    centre = models.OneToOneField("areas.Centre", verbose_name=_("centre"), on_delete=models.CASCADE,
                                  related_name="committee_certificate")
    committee_name = models.CharField(_("committee"), max_length=100)
    key_file = models.CharField(_("key file (PEM)"), max_length=300)
    cert_file = models.CharField(_("certificate file (PEM)"), max_length=300)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("committee signing certificate")
        verbose_name_plural = _("committee signing certificates")

    def __str__(self):
        return self.committee_name
