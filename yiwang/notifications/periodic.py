"""The periodic notices, each an idempotent `yiwang` command run from cron:

    send_deadline_reminders(today=None) → (near, overdue)    `yiwang remind_deadlines`
        every open case whose deadline falls within settings.NOTIFICATIONS_REMIND_WORKDAYS working days
        tells its owner; every overdue one tells its owner (urgent) and the leader in charge (包案). Keyed
        by case and day: run twice a day, each reminder is still sent once a day.
    send_digests(today=None, *, now=None, force=False) → int  `yiwang send_digest`
        each reader of an area's statistics (stats.view) gets the day's digest of what they can see: new
        cases since yesterday, open cases overdue, by town, then every section other apps register in
        core.registry.digest_sections (the warnings, …). Nothing before the configured time of day
        (settings.NOTIFICATIONS_DIGEST_AT, YIWANG_DIGEST_HOUR:YIWANG_DIGEST_MINUTE) unless `force`, so cron
        may run it every few minutes and the digest leaves at the first run after that time. Keyed by
        person and day.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yiwang.core import registry
from yiwang.core.calendar import add_working_days
from yiwang.core.notices import Notice, announce
from yiwang.core.scope import get_area_prefixes
from yiwang.notifications import kinds

logger = logging.getLogger(__name__)


def send_deadline_reminders(today: dt.date | None = None) -> tuple[int, int]:
    from yiwang.cases.models import Case

    today = today or timezone.localdate()
    horizon = add_working_days(today, settings.NOTIFICATIONS_REMIND_WORKDAYS)
    near = Case.objects.open().filter(deadline__gte=today, deadline__lte=horizon).select_related("owner")
    overdue = Case.objects.overdue(today).select_related("owner", "lead_leader")
    with translation.override(settings.LANGUAGE_CODE):
        for case in near.order_by("pk"):
            _remind(case, kinds.DEADLINE_NEAR.code, today, _(
                "Case %(number)s is due on %(deadline)s (%(status)s).") % {
                "number": case.number, "deadline": case.deadline.isoformat(), "status": case.get_status_display()},
                [case.owner])
        for case in overdue.order_by("pk"):
            _remind(case, kinds.OVERDUE.code, today, _(
                "Case %(number)s is overdue since %(deadline)s (%(status)s).") % {
                "number": case.number, "deadline": case.deadline.isoformat(), "status": case.get_status_display()},
                [case.owner, case.lead_leader], urgent=True)
    return near.count(), overdue.count()


def _remind(case, kind: str, today: dt.date, text: str, people, *, urgent: bool = False) -> None:
    people = tuple(p for p in dict.fromkeys(people) if p is not None)
    if not people:
        return
    with transaction.atomic():
        announce(Notice(kind=kind, text=text, key=f"{kind}:{case.pk}:{today.isoformat()}", recipients=people,
                        url=reverse("cases:detail", args=[case.pk]), about=case, area_code=case.area_id,
                        urgent=urgent, detail={"followers": False}))


def get_digest(user, today: dt.date) -> dict:
    """What `user`'s digest says for `today`: new cases received yesterday, open cases overdue today, and
    both by town (the first nine digits of the area code), among the cases they can see."""
    from yiwang.areas.models import Area
    from yiwang.cases.models import Case

    visible = Case.objects.visible_to(user, "case.view")
    start = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=1), dt.time.min))
    end = start + dt.timedelta(days=1)
    new = list(visible.filter(received_at__gte=start, received_at__lt=end).values_list("area_id", flat=True))
    overdue = list(visible.overdue(today).values_list("area_id", flat=True))
    new_by, overdue_by = Counter(code[:9] for code in new), Counter(code[:9] for code in overdue)
    towns = sorted(set(new_by) | set(overdue_by))
    names = dict(Area.objects.filter(code__in=towns).values_list("code", "name"))
    return {"date": today, "new": len(new), "overdue": len(overdue),
            "areas": [(names.get(code, code), new_by[code], overdue_by[code]) for code in towns]}


def get_digest_sections(user, today: dt.date) -> list[list[str]]:
    """The lines of each section registered in core.registry.digest_sections, in their order; a section
    with nothing to say is left out, and one that fails is logged and left out (the rest still goes)."""
    sections = []
    for section in registry.digest_sections:
        try:
            lines = [str(line) for line in section.lines(user, today) or []]
        except Exception:  # noqa: BLE001 - one app's broken section must not stop everyone's digest
            logger.exception("digest section %s failed for user %s", section.name, user.pk)
            continue
        if lines:
            sections.append(lines)
    return sections


def digest_text(digest: dict, sections: list[list[str]] = ()) -> str:
    """The digest as text: the cases part, then each section after a blank line."""
    lines = [_("Daily digest %(date)s: %(new)s new cases, %(overdue)s overdue.") % {
        "date": digest["date"].isoformat(), "new": digest["new"], "overdue": digest["overdue"]}]
    for name, new, overdue in digest["areas"]:
        lines.append(_("%(area)s: %(new)s new, %(overdue)s overdue") % {"area": name, "new": new, "overdue": overdue})
    for section in sections:
        lines += ["", *section]
    return "\n".join(lines)


def get_digest_time(today: dt.date) -> dt.datetime:
    """When `today`'s digest is due (aware, local time): settings.NOTIFICATIONS_DIGEST_AT."""
    hour, minute = settings.NOTIFICATIONS_DIGEST_AT
    return timezone.make_aware(dt.datetime.combine(today, dt.time(hour, minute)))


def is_digest_due(now: dt.datetime | None = None) -> bool:
    now = timezone.localtime(now or timezone.now())
    return now >= get_digest_time(now.date())


def get_digest_readers():
    """Everyone active who reads some area's statistics: the leaders and the centres' staff."""
    from yiwang.accounts.models import User

    users = User.objects.filter(is_active=True, grants__isnull=False).distinct().order_by("pk")
    return [user for user in users if get_area_prefixes(user, "stats.view")]


def send_digests(today: dt.date | None = None, *, now: dt.datetime | None = None, force: bool = False) -> int:
    """Each reader's digest for `today` (default: the local date of `now`), once the configured time has
    come (or `force`); returns how many readers it was announced to (announced again, nothing new)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    if not force and now < get_digest_time(today):
        return 0
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in get_digest_readers():
            text = digest_text(get_digest(user, today), get_digest_sections(user, today))
            with transaction.atomic():
                announce(Notice(kind=kinds.DIGEST.code, text=text, key=f"digest.daily:{user.pk}:{today.isoformat()}",
                                recipients=(user,), url=reverse("cases:queue"), detail={"followers": False}))
            sent += 1
    return sent
