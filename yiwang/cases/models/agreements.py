"""The agreement of a case and its signatures (art. 29): drafted, signed by every party and the mediator,
sealed by the committee. Part of `yiwang.cases.models`, which re-exports every name."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from yiwang.cases.models import Case, CaseScopedQuerySet, Party, PartyRole
from yiwang.core.crypto import EncryptedJSONField
from yiwang.core.storage import PrivateFileField


class Agreement(models.Model):
    """A mediation agreement with every element the People's Mediation Law art. 29 requires.

    A written agreement is drafted first; it takes effect only when every party has signed (online or on
    paper), the mediator has signed and the committee's seal is applied (`signatures`, in that order):
    `signed_on` is then the date of the last signature and `effective_on` the date of the seal, both set
    by the actions, never typed. An oral agreement (art. 28) is recorded by the mediator with the parties'
    confirmation of its content and takes effect on that record. Until it takes effect `effective_on` is
    empty and the case stays in mediation."""

    case = models.OneToOneField(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="agreement")
    parties_snapshot = EncryptedJSONField(_("parties' basic information"), default=list)  # ID and mobile numbers
    facts = models.TextField(_("main facts"))
    matters_in_dispute = models.TextField(_("matters in dispute"))
    responsibilities = models.TextField(_("each party's responsibility"))
    content = models.TextField(_("agreed content"))
    performance_manner = models.CharField(_("manner of performance"), max_length=200)
    performance_place = models.CharField(_("place of performance"), max_length=200)
    performance_deadline = models.DateField(_("performance deadline"))
    oral = models.BooleanField(_("oral agreement recorded by the mediator"), default=False)
    parties_confirmed = models.BooleanField(_("the parties confirmed the recorded content"), default=False)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    effective_on = models.DateField(_("effective on"), null=True, blank=True)
    # The signed and sealed file when it was sealed digitally (the remote signing's PDF); empty when the
    # original is on paper and this platform prints a copy of it.
    sealed_pdf = PrivateFileField(_("signed and sealed PDF"), upload_to="agreements/%Y/", blank=True)
    mediator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("mediator"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # Judicial confirmation (司法确认, art. 33): apply within 30 days of effect; the court accepts or not.
    confirmation_applied_on = models.DateField(_("judicial confirmation applied on"), null=True, blank=True)
    confirmation_court = models.ForeignKey(
        "areas.Organisation", verbose_name=_("court"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    # The court decides within 3 days whether to accept the application, then rules within 15 (+10) days.
    confirmation_accepted_on = models.DateField(_("court accepted the application on"), null=True, blank=True)
    confirmation_extended = models.BooleanField(_("court extended its ruling period"), default=False)
    confirmation_decided_on = models.DateField(_("court decided on"), null=True, blank=True)
    confirmation_accepted = models.BooleanField(_("confirmed by the court"), null=True, blank=True)
    confirmation_case_number = models.CharField(_("court case number"), max_length=60, blank=True)
    confirmation_note = models.TextField(_("court's note"), blank=True)
    performed_on = models.DateField(_("performed on"), null=True, blank=True)
    performance_note = models.TextField(_("performance note"), blank=True)

    objects = CaseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediation agreement")
        verbose_name_plural = _("mediation agreements")

    def __str__(self):
        return f"{self.case} · {_('agreement')}"

    @property
    def is_effective(self) -> bool:
        return self.effective_on is not None

    @property
    def is_draft(self) -> bool:
        return self.effective_on is None

    def signature_of(self, *, party_id=None, role: str = ""):
        """The signature of this party (or of the mediator or committee: `role`), or None."""
        for signature in self.signatures.all():
            if (party_id is not None and signature.party_id == party_id) or (role and signature.role == role):
                return signature
        return None

    def get_unsigned_parties(self) -> list[int]:
        """The case's parties (pks) who have not signed yet (a draft is signed by the parties on the case)."""
        signed = {s.party_id for s in self.signatures.all() if s.party_id}
        return [pk for pk in self.case.parties.order_by("role", "id").values_list("pk", flat=True) if pk not in signed]

    def invariant_errors(self) -> list[str]:
        """What is wrong with the agreement by itself: an agreement in effect is oral and confirmed by the
        parties, or carries every party's signature, then the mediator's, then the committee's seal, and
        takes effect on the seal's date (property test; actions)."""
        errors = []
        if self.effective_on is None:
            return errors
        if self.oral:
            if not self.parties_confirmed:
                errors.append("oral agreement in effect without the parties' confirmation")
            return errors
        signatures = list(self.signatures.order_by("signed_at", "id"))
        parties = set(self.case.parties.values_list("pk", flat=True))
        signed_parties = {s.party_id for s in signatures if s.role in PartyRole.values}
        if not parties <= signed_parties:
            errors.append("agreement in effect without every party's signature")
        roles = [s.role for s in signatures]
        if SignerRole.MEDIATOR not in roles or SignerRole.COMMITTEE not in roles:
            errors.append("agreement in effect without the mediator's signature and the committee's seal")
        elif roles[-1] != SignerRole.COMMITTEE or roles.index(SignerRole.MEDIATOR) < max(
                (i for i, r in enumerate(roles) if r in PartyRole.values), default=-1):
            errors.append("agreement signed out of order (parties, mediator, then the seal)")
        else:
            seal = signatures[-1]
            if seal.method != SignatureMethod.LEGACY and timezone.localtime(seal.signed_at).date() != self.effective_on:
                errors.append("agreement's effective date is not the seal's")
        return errors


class SignerRole(models.TextChoices):
    APPLICANT = "applicant", _("Applicant")
    RESPONDENT = "respondent", _("Respondent")
    MEDIATOR = "mediator", _("People's mediator")
    COMMITTEE = "committee", _("People's mediation committee (seal)")


class SignatureMethod(models.TextChoices):
    ONLINE = "online", _("Signed online")
    PAPER = "paper", _("Signed on paper (scan kept)")
    IN_PERSON = "in_person", _("Signed at the centre")  # the mediator's own signature, the committee's seal
    LEGACY = "legacy", _("Signed before signatures were kept")  # rows from before this record existed


class AgreementSignatureQuerySet(CaseScopedQuerySet):
    area_field = "agreement__case__area__code"


class AgreementSignature(models.Model):
    """One step in making an agreement take effect (art. 29): a party's signature (online, with their
    drawing; or on paper, with a scan of the signed page and who witnessed it), the mediator's signature,
    and last the committee's seal. Written only by the cases actions."""

    agreement = models.ForeignKey(Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE,
                                  related_name="signatures")
    role = models.CharField(_("role"), max_length=12, choices=SignerRole.choices)
    party = models.ForeignKey(Party, verbose_name=_("party"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    method = models.CharField(_("how"), max_length=10, choices=SignatureMethod.choices)
    label = models.CharField(_("signer"), max_length=100)
    signed_at = models.DateTimeField(_("signed at"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    scan = models.ForeignKey("Attachment", verbose_name=_("scan of the signed page"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    witness = models.CharField(_("witnessed by"), max_length=100, blank=True)
    drawing = PrivateFileField(_("drawn signature"), upload_to="agreement-signatures/%Y/", blank=True)

    objects = AgreementSignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("agreement signature")
        verbose_name_plural = _("agreement signatures")
        ordering = ["agreement_id", "signed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "party"], condition=Q(party__isnull=False),
                                    name="agreementsignature_one_per_party"),
            models.UniqueConstraint(fields=["agreement", "role"], condition=Q(role__in=["mediator", "committee"]),
                                    name="agreementsignature_one_mediator_one_seal"),
            models.CheckConstraint(condition=~Q(method="paper") | (Q(scan__isnull=False) & ~Q(witness="")),
                                   name="agreementsignature_paper_has_scan_and_witness"),
        ]

    def __str__(self):
        return f"{self.agreement} · {self.label}"
