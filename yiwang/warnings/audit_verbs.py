"""The early warnings' verbs of the audit log (yiwang.audit.verbs); a warning's step is `warnings.<step>`."""

from django.utils.translation import gettext_lazy as _

LABELS = {
    "warnings.raised": _("Early warning raised"),
    "warnings.escalated": _("Early warning escalated"),
}


def label(verb: str):
    step = verb.removeprefix("warnings.")
    if step != verb and step.isidentifier():
        return _("Early warning: %(step)s") % {"step": step.replace("_", " ")}
    return None
