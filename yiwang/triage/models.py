"""What triage remembers: the suggestion made for each registered case against the type staff chose (a
changed suggestion is a labelled example for retraining), the languages and dialects people speak,
mediators' declared profiles (expertise, place, languages, availability), known conflicts between a
mediator and a person, an organisation or a village, and the languages the parties of a case speak."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from yiwang.core.crypto import BlindIndexField, EncryptedCharField
from yiwang.core.scope import ScopedQuerySet


class SuggestionQuerySet(ScopedQuerySet):
    area_field = "case__area_id"


class Suggestion(models.Model):
    """The type the classifier suggested for a case when it was registered, and the type chosen.

    Written by the case_changed hook on registration, from the case's facts and claims; when `chosen`
    differs from `suggested` a clerk corrected the suggestion, and `yiwang train_triage` learns from it."""

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                                related_name="triage_suggestion")
    text = models.TextField(_("text classified"))
    suggested = models.CharField(_("suggested type"), max_length=40)
    scores = models.JSONField(_("top suggestions"), default=list)
    chosen = models.CharField(_("chosen type"), max_length=40)
    model_key = models.CharField(_("model"), max_length=40)
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = _("type suggestion")
        verbose_name_plural = _("type suggestions")
        ordering = ["-recorded_at", "-id"]

    def __str__(self):
        return f"{self.case_id}: {self.suggested} → {self.chosen}"

    @property
    def corrected(self) -> bool:
        return self.suggested != self.chosen


class Language(models.Model):
    """A language or dialect a party or a mediator speaks (普陀话, 宁波话, 闽南话, 手语…): data the centre
    keeps in the admin. The defaults are installed by migration 0002 and `yiwang.triage.defaults`."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=50)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("language or dialect")
        verbose_name_plural = _("languages and dialects")
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class KeptQuerySet(models.QuerySet):
    """Rows about a mediator, read by whoever keeps the mediator's profile (triage.actions.profiles:
    case.route where the mediator mediates); the action code is accepted for the common signature."""

    def visible_to(self, user, action: str | None = None):
        from yiwang.triage.actions import get_keepable_mediators

        return self.filter(mediator__in=get_keepable_mediators(user))


class MediatorProfile(models.Model):
    """What the centre records of a mediator: the types they know, where they live or work, the languages
    they speak, when they are away and how many open cases they take at most. Kept through
    `actions.do_save_profile` by whoever routes cases where the mediator mediates."""

    mediator = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("mediator"), on_delete=models.CASCADE,
                                    related_name="mediator_profile")
    dispute_types = models.ManyToManyField("areas.DisputeType", verbose_name=_("declared expertise"), blank=True)
    home_area = models.ForeignKey("areas.Area", verbose_name=_("village or town"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    languages = models.ManyToManyField(Language, verbose_name=_("languages and dialects"), blank=True,
                                       related_name="mediators")
    away_until = models.DateField(_("away until"), null=True, blank=True,
                                  help_text=_("Leave, training or illness: not suggested until this day is over."))
    away_note = models.CharField(_("why away"), max_length=100, blank=True)
    capacity = models.PositiveSmallIntegerField(_("open cases at most"), null=True, blank=True,
                                                help_text=_("Not suggested while carrying this many open cases."))
    version = models.PositiveIntegerField(_("version"), default=1)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    objects = KeptQuerySet.as_manager()

    class Meta:
        verbose_name = _("mediator profile")
        verbose_name_plural = _("mediator profiles")

    def __str__(self):
        return str(self.mediator)

    def is_away(self, day) -> bool:
        return self.away_until is not None and self.away_until >= day


class Relation(models.TextChoices):
    RELATIVE = "relative", _("Relative")
    COLLEAGUE = "colleague", _("Colleague")
    EMPLOYMENT = "employment", _("Works or worked for it")
    OFFICE = "office", _("Holds an office there")
    OTHER = "other", _("Other interest")


class ConflictKind(models.TextChoices):
    PERSON = "person", _("A person")
    ORGANISATION = "organisation", _("An organisation")
    VILLAGE = "village", _("A village or town")


class Conflict(models.Model):
    """Whom a mediator must never be suggested for (回避): a person (a relative, a colleague), an
    organisation (their employer), a village or town (where they hold an office).

    A person is matched against a case's parties by ID number when the conflict has one, else by name; an
    organisation by credit code when it has one, else by name; a village or town by the place where the
    dispute arose (its subtree)."""

    mediator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("mediator"), on_delete=models.CASCADE,
                                 related_name="mediation_conflicts")
    kind = models.CharField(_("with"), max_length=12, choices=ConflictKind.choices, default=ConflictKind.PERSON)
    person_name = models.CharField(_("name"), max_length=100, blank=True)
    id_number = EncryptedCharField(_("ID number"), max_length=18, blank=True)
    id_number_hash = BlindIndexField(source="id_number")
    credit_code = models.CharField(_("unified social credit code"), max_length=18, blank=True)
    area = models.ForeignKey("areas.Area", verbose_name=_("village or town"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(_("relation"), max_length=10, choices=Relation.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = KeptQuerySet.as_manager()

    class Meta:
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        ordering = ["mediator_id", "kind", "person_name", "id"]

    def __str__(self):
        return f"{self.mediator} – {self.subject} ({self.get_relation_display()})"

    @property
    def subject(self) -> str:
        """Whom or where the conflict is with, as a reader names it."""
        if self.kind == ConflictKind.VILLAGE:
            return self.area.name if self.area_id else ""
        return self.person_name


class CaseLanguageQuerySet(ScopedQuerySet):
    area_field = "case__area_id"


class CaseLanguage(models.Model):
    """The languages or dialects the parties of a case speak (a party who speaks only 普陀话, a deaf
    party who signs), recorded at intake or on the case page through `actions.do_record_case_languages`;
    the mediator recommendation prefers mediators who speak them."""

    case = models.OneToOneField("cases.Case", verbose_name=_("case"), on_delete=models.CASCADE,
                                related_name="triage_languages")
    languages = models.ManyToManyField(Language, verbose_name=_("languages the parties speak"), blank=True,
                                       related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = CaseLanguageQuerySet.as_manager()

    class Meta:
        verbose_name = _("parties' languages")
        verbose_name_plural = _("parties' languages")

    def __str__(self):
        return f"{self.case_id}: {', '.join(str(lang) for lang in self.languages.all())}"
