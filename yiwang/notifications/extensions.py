"""What the notifications app adds to the apps below it, registered from NotificationsConfig.ready():
the notice handler (core.notices.notice_announced), the hooks that turn case events, dispatched grid
problems and finished jobs into notices and SMS (core.hooks), the e-mail and 浙政钉 outbox channels
(core.transports) and the case page's panel (core.registry.case_panels): follow the case, and the texts
to its parties that failed, so the clerk phones instead."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from yiwang.core import hooks, notices, registry
from yiwang.core.models import Notification, NotificationStatus
from yiwang.core.transports import register_transport


def get_case_panel(case, user, *, full_pii: bool = False):
    from yiwang.notifications.models import Subscription
    from yiwang.pii import mask_phone

    rows = Notification.objects.filter(channel="sms", about_type=ContentType.objects.get_for_model(case),
                                       about_id=str(case.pk))
    names = {}
    for party in (p for p in case.parties.all() if p.phone):  # .all(): the page's prefetched parties
        names.setdefault(party.phone, []).append(party.name)
    failed = [{"party": "、".join(names.get(row.recipient, [])) or "—",
               "phone": row.recipient if full_pii else mask_phone(row.recipient),
               "at": row.created_at, "error": row.last_error[:120]}
              for row in rows.filter(status=NotificationStatus.FAILED).order_by("-created_at")[:10]]
    return {"following": Subscription.objects.filter(user=user, case=case).exists(), "failed": failed,
            "pending": rows.filter(status=NotificationStatus.PENDING, attempts__gt=0).count()}


def register() -> None:
    from yiwang.notifications import delivery, events
    from yiwang.notifications.transports import EmailTransport, ZzdTransport

    notices.notice_announced.connect(delivery.deliver_notice)
    hooks.case_changed.connect(events.on_case_changed)
    hooks.problem_changed.connect(events.on_problem_changed)
    hooks.job_finished.connect(events.on_job_finished)
    register_transport("email", EmailTransport)
    register_transport("zzd", ZzdTransport)
    registry.case_panels.register(registry.CasePanel(
        name="notifications", template="notifications/_case_panel.html", context=get_case_panel, slot="aside",
        order=50))
