"""Notices: what an app tells staff, handed to whichever app delivers them (yiwang.notifications).

An app that has something to tell people (a case assigned, a warning raised, a batch finished) builds a
`Notice` and calls `announce(notice)` from its action, inside the action's transaction. It names either
the recipients or an area and the permission that makes someone concerned; it never chooses channels:
the delivering app connects to `notice_announced` and decides, from each person's role and subscriptions,
which inbox rows, SMS, 浙政钉 notices or e-mails follow. Without a delivering app installed a notice is
dropped, and the action behaves the same.

    notice_announced(notice)        every announce(); handlers run in the caller's transaction
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from yiwang.core.hooks import Hook

notice_announced = Hook("notice_announced", ("notice",))


@dataclass(frozen=True)
class Notice:
    """One thing to tell staff.

    kind        a dotted code, e.g. "case.assigned", "warning.raised", "job.finished": what subscriptions
                and channel preferences are chosen by
    text        one line in the reader's language (gettext at announce time; zh-hans by default)
    key         idempotency: the same key announced twice delivers once (e.g. "case.assigned:42:7")
    recipients  users to tell by name, and/or
    area_code   with `permission`: everyone holding `permission` on a grant covering `area_code`
    url         where the notice leads (a path inside yiwang)
    about       the object it is about (a model instance), for linking and for scope checks
    urgent      may break quiet hours and reach a phone (a red warning, an overdue 督办)
    """

    kind: str
    text: str
    key: str
    recipients: tuple = ()
    area_code: str = ""
    permission: str = ""
    url: str = ""
    about: Any = None
    urgent: bool = False
    detail: dict = field(default_factory=dict)

    def __post_init__(self):
        if not self.recipients and not (self.area_code and self.permission):
            raise ValueError(f"notice {self.kind}: name recipients, or an area and a permission")


def announce(notice: Notice) -> None:
    """Hand `notice` to the delivering app (inside the caller's transaction: it commits with the change)."""
    notice_announced.call(notice)
