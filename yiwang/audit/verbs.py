"""What a line of the audit log says, in words: each app that records a verb names it in its own
`audit_verbs.py` (the apps' verbs are theirs, as their permission codes are), with

    LABELS = {"cases.pii_viewed": _("Personal information shown in full"), ...}
    def label(verb) -> str | None      (optional, for verbs made from a kind or a step, e.g. cases.<kind>)

`label(verb)` reads them once. A verb nobody names is shown as it is (the audit test fails on such a verb
recorded anywhere in the code)."""

from __future__ import annotations

from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils.translation import gettext_lazy as _

# Where a request came from (yiwang.audit.context).
CHANNELS = {"web": _("Web page"), "api": _("API"), "scheduler": _("Scheduled job"), "system": _("System")}


@cache
def _sources() -> tuple[dict, tuple]:
    labels, patterns = {}, []
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.audit_verbs")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.audit_verbs":
                raise
            continue
        labels.update(getattr(module, "LABELS", {}))
        if hasattr(module, "label"):
            patterns.append(module.label)
    return labels, tuple(patterns)


def label(verb: str) -> str:
    labels, patterns = _sources()
    if verb in labels:
        return labels[verb]
    for pattern in patterns:
        found = pattern(verb)
        if found:
            return found
    return verb


def object_type_label(object_type: str) -> str:
    """`cases.case` → the model's name (案件)."""
    if not object_type:
        return ""
    try:
        return apps.get_model(object_type)._meta.verbose_name
    except (LookupError, ValueError):
        return object_type
