"""The citizen side's verbs of the audit log (yiwang.audit.verbs)."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "online.filed": _("Filed online"),
    "online.access_opened": _("A party opened their private link"),
    "online.code_sent": _("One-time code sent"),
    "online.code_checked": _("One-time code checked"),
    "online.party_invited": _("A party's private link sent"),
    "online.respondent_accepted": _("The respondent accepted mediation online"),
    "online.respondent_refused": _("The respondent declined mediation online"),
    "online.message_posted": _("Message posted in the mediation room"),
    "online.evidence_uploaded": _("Evidence uploaded"),
    "online.evidence_read": _("Evidence opened"),
    "online.session_scheduled": _("Mediation session scheduled"),
    "online.session_cancelled": _("Mediation session called off"),
    "online.signing_prepared": _("Agreement prepared for signing"),
    "online.party_signed": _("A party signed the agreement"),
    "online.agreement_sealed": _("Agreement sealed"),
    "online.agreement_downloaded": _("Signed agreement downloaded"),
    "online.confirmation_assembled": _("Judicial confirmation papers assembled"),
    "online.service_rated": _("A party rated the service"),
}
