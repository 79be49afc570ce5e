"""The cases' verbs of the audit log (yiwang.audit.verbs): each step of a case's timeline is recorded as
`cases.<event kind>` and reads as the timeline's own label."""

from django.utils.translation import gettext_lazy as _

from yiwang.cases.models import EventKind

LABELS = {
    "cases.pii_viewed": _("Case: personal information shown in full"),
    "cases.pii_read": _("Case: personal information read in full through the API"),
    "cases.attachment_read": _("Case: attachment downloaded"),
    "cases.document_downloaded": _("Case: document downloaded"),
}


def label(verb: str):
    kind = verb.removeprefix("cases.")
    if kind != verb and kind in EventKind.values:
        return _("Case: %(event)s") % {"event": EventKind(kind).label}
    return None
