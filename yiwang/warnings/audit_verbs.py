"""The early warnings' verbs of the audit log (yiwang.audit.verbs); a warning's step is `warnings.<step>`."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "warnings.raised": _("Early warning raised"),
    "warnings.escalated": _("Early warning escalated"),
    "warnings.exclusion_added": _("Rule exclusion added"),
    "warnings.exclusion_changed": _("Rule exclusion changed"),
    "warnings.exclusion_removed": _("Rule exclusion removed"),
}


def label(verb: str):
    from yiwang.warnings.actions import STEPS

    step = verb.removeprefix("warnings.")
    if step != verb and step in STEPS:
        return _("Early warning: %(step)s") % {"step": STEPS[step].label}
    return None
