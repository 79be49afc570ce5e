"""The periodic notices, each an idempotent `yiwang` command run from cron:

    send_deadline_reminders(today=None) → (near, overdue)    `yiwang remind_deadlines`
        every open case whose deadline falls within settings.NOTIFICATIONS_REMIND_WORKDAYS working days
        tells its owner; every overdue one tells its owner (urgent) and the leader in charge (包案). Keyed
        by case and day: run twice a day, each reminder is still sent once a day.
    send_digests(today=None) → int                           `yiwang send_digest`
        each reader of an area's statistics (stats.view) gets the day's digest of what they can see: new
        cases since yesterday, open cases overdue, by town. Keyed by person and day.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from yiwang.core.calendar import add_working_days
from yiwang.core.notices import Notice, announce
from yiwang.core.scope import get_area_prefixes
from yiwang.notifications import kinds


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


def digest_text(digest: dict) -> str:
    lines = [_("Daily digest %(date)s: %(new)s new cases, %(overdue)s overdue.") % {
        "date": digest["date"].isoformat(), "new": digest["new"], "overdue": digest["overdue"]}]
    for name, new, overdue in digest["areas"]:
        lines.append(_("%(area)s: %(new)s new, %(overdue)s overdue") % {"area": name, "new": new, "overdue": overdue})
    return "\n".join(lines)


def get_digest_readers():
    """Everyone active who reads some area's statistics: the leaders and the centres' staff."""
    from yiwang.accounts.models import User

    users = User.objects.filter(is_active=True, grants__isnull=False).distinct().order_by("pk")
    return [user for user in users if get_area_prefixes(user, "stats.view")]


def send_digests(today: dt.date | None = None) -> int:
    today = today or timezone.localdate()
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user in get_digest_readers():
            text = digest_text(get_digest(user, today))
            with transaction.atomic():
                announce(Notice(kind=kinds.DIGEST.code, text=text, key=f"digest.daily:{user.pk}:{today.isoformat()}",
                                recipients=(user,), url=reverse("cases:queue"), detail={"followers": False}))
            sent += 1
    return sent
