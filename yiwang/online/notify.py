"""Texting the parties of a case: every message goes through the core outbox, written in the action's
transaction and sent by the worker once it commits (never from inside the request)."""

from __future__ import annotations

from yiwang.core.outbox import notify


def notify_phone(phone: str, text: str, *, key: str, about=None, area_code: str = "", secret: bool = False):
    """One SMS to `phone` (e.g. a code to a number not yet on any case)."""
    return notify("sms", phone, text, key=key, about=about, area_code=area_code, secret=secret)


def notify_party(party, text: str, *, key: str, secret: bool = False):
    """One SMS to a party's mobile; `key` names the occasion (the party is added to it). `secret`: the
    text holds the party's private link, erased from the outbox once sent."""
    if not party.phone:
        return None
    return notify("sms", party.phone, text, key=f"{key}:party:{party.pk}", about=party.case,
                  area_code=party.case.area_id, secret=secret)


def notify_parties(case, text, *, key: str, role: str | None = None, secret: bool = False) -> None:
    """An SMS to every party of `case` (or those in `role`) with a mobile number: `text`, or `text(party)`
    when each party reads their own (e.g. their own link; then `secret`, as for notify_party). Retrying
    the action with the same `key` writes no second message."""
    parties = case.parties.exclude(phone="")
    if role is not None:
        parties = parties.filter(role=role)
    for party in parties.order_by("pk"):
        notify_party(party, text(party) if callable(text) else text, key=key, secret=secret)
