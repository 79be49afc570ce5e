"""Delivering a notice (core.notices): who is told, in the inbox and on which other channels.

    deliver_notice(notice)         the handler of core.notices.notice_announced, in the announcing
                                   action's transaction
    get_recipients(notice)         the named users, or everyone holding `permission` on `area_code`,
                                   plus the followers of the case it is about; never someone who may not
                                   see what it is about, nor the person whose action it reports
    get_channels(user, kind)       the channels this person gets for this kind (kinds.Kind.wants)

An inbox row is written once per (user, key); each other channel is one core outbox row (retried with
back-off by the worker): e-mail to the user's address, a 浙政钉 work notice to their account (within
the platform's limits, see zzd_key), an SMS to their mobile (held back in quiet hours unless urgent).
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from yiwang.core import crypto
from yiwang.core.codes import ancestor_codes
from yiwang.core.models import Notification
from yiwang.core.outbox import notify
from yiwang.core.scope import get_users_who_can, user_can_reach
from yiwang.notifications import kinds, quiet
from yiwang.notifications.kinds import EMAIL, OPTIONAL_CHANNELS, SMS, URGENT_SMS, ZZD, get_kind
from yiwang.notifications.models import ChannelPreference, InboxItem, Subscription, WorkAccount

logger = logging.getLogger(__name__)

# 浙政钉's limits on work notices (its open-platform rules): the same content to the same person at most
# once a day, and at most 100 notices a day per person.
ZZD_PER_USER_PER_DAY = 100


def may_see(user, about) -> bool:
    """Whether `user` may see the object a notice is about (nobody hears of a case they cannot open)."""
    if about is None:
        return True
    if about._meta.label_lower == "cases.case":
        return user_can_reach(user, "case.view", about)
    manager = type(about)._default_manager
    if hasattr(manager.get_queryset(), "visible_to"):
        return manager.get_queryset().visible_to(user).filter(pk=about.pk).exists()
    return True


def get_followers(notice) -> set[int]:
    """Who follows what the notice is about: the case itself, or (for a new case) its area × type."""
    about = notice.about
    if about is None or about._meta.label_lower != "cases.case":
        return set()
    q = Q(case=about)
    if notice.kind == kinds.REGISTERED.code:
        q |= Q(case__isnull=True, area_id__in=ancestor_codes(about.area_id)) & (
            Q(dispute_type__isnull=True) | Q(dispute_type_id=about.dispute_type_id))
    return set(Subscription.objects.filter(q).values_list("user_id", flat=True))


def get_recipients(notice) -> list:
    """The users `notice` reaches, in a stable order: named, or by permission on the area, or following
    it; active, allowed to see its object, and not the one whose action it reports."""
    ids = {getattr(user, "pk", user) for user in notice.recipients}
    if notice.area_code and notice.permission:
        ids |= set(get_users_who_can(notice.permission, notice.area_code).values_list("pk", flat=True))
    if notice.detail.get("followers", True):
        ids |= get_followers(notice)
    ids.discard(notice.detail.get("actor_id"))
    users = get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk")
    return [user for user in users if may_see(user, notice.about)]


def get_channels(user, kind_code: str, chosen: dict | None = None) -> list[str]:
    """The channels beyond the inbox that `user` gets notices of this kind on."""
    kind = get_kind(kind_code)
    if chosen is None:
        chosen = dict(ChannelPreference.objects.filter(user=user, kind=kind_code).values_list("channel", "enabled"))
    return [channel for channel in OPTIONAL_CHANNELS if kind.wants(channel, chosen.get(channel))]


def zzd_key(account_id: str, text: str) -> str:
    """The outbox key of a work notice: the same content to the same account once a (local) day."""
    digest = hashlib.sha256(text.encode()).hexdigest()[:24]
    return f"zzd:{account_id}:{timezone.localdate().isoformat()}:{digest}"


def _zzd_sent_today(account_id: str) -> int:
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return Notification.objects.filter(crypto.match("recipient", account_id, kind="text"), channel=ZZD,
                                       created_at__gte=start).count()


def _absolute(url: str) -> str:
    return f"{settings.NOTIFICATIONS_SITE_URL.rstrip('/')}{url}" if url.startswith("/") else url


def _outgoing(notice, user, channel: str) -> None:
    """One outbox row for `user` on `channel`, or nothing when they have no address there."""
    text = notice.text if not notice.url else f"{notice.text} {_absolute(notice.url)}"
    common = {"about": notice.about, "area_code": notice.area_code or ""}
    if channel == EMAIL and user.email:
        notify(EMAIL, user.email, text, key=f"{notice.key}:email:{user.pk}", **common)
    elif channel == SMS and user.phone:
        row = notify(SMS, user.phone, text, key=f"{notice.key}:sms:{user.pk}", **common)
        if not notice.urgent:
            quiet.hold(row)
    elif channel == ZZD:
        account = WorkAccount.objects.filter(user=user).values_list("zzd_account_id", flat=True).first()
        if not account:
            return
        if _zzd_sent_today(account) >= ZZD_PER_USER_PER_DAY:
            logger.warning("浙政钉 daily limit reached for user %s: notice %s only in the inbox", user.pk, notice.key)
            return
        notify(ZZD, account, text, key=zzd_key(account, text), **common)


def deliver_notice(notice) -> list[InboxItem]:
    """Hook core.notices.notice_announced: the inbox rows and outbox rows of one notice. Idempotent by the
    notice's key: announced again, it writes nothing new. Returns the inbox rows it wrote."""
    about_type = ContentType.objects.get_for_model(notice.about) if notice.about is not None else None
    written = []
    recipients = get_recipients(notice)
    chosen: dict[int, dict] = {}
    for pref in ChannelPreference.objects.filter(user__in=recipients, kind=notice.kind):
        chosen.setdefault(pref.user_id, {})[pref.channel] = pref.enabled
    for user in recipients:
        item, created = InboxItem.objects.get_or_create(user=user, key=notice.key[:200], defaults={
            "kind": notice.kind, "text": str(notice.text)[:1000], "url": notice.url[:300],
            "about_type": about_type, "about_id": str(notice.about.pk) if notice.about is not None else "",
            "area_code": notice.area_code or "", "urgent": notice.urgent,
        })
        if not created:
            continue
        written.append(item)
        channels = get_channels(user, notice.kind, chosen.get(user.pk, {}))
        if notice.urgent and notice.kind in URGENT_SMS and SMS not in channels:
            channels.append(SMS)
        for channel in channels:
            _outgoing(notice, user, channel)
    return written
