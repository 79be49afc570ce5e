"""What a person does with their notifications; every change here is one action (pages and API alike).

    do_mark_read(item, *, by) → InboxItem           the item is by's own (else 404 upstream)
    do_mark_all_read(*, by) → int                   how many were unread
    do_follow_case(case, *, by) / do_unfollow_case(case, *, by)
    do_follow_area(area, *, by, dispute_type=None) / do_unfollow(subscription, *, by)
    do_set_channels(*, by, choices) → int           choices: {(kind, channel): bool}; a required channel
                                                    cannot be switched off (InputError)
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiwang.audit.actions import record
from yiwang.core.errors import InputError, PermissionRefused
from yiwang.core.scope import user_can, user_can_reach
from yiwang.notifications.kinds import KINDS, OPTIONAL_CHANNELS
from yiwang.notifications.models import ChannelPreference, InboxItem, Subscription


def _check_signed_in(by) -> None:
    if by is None or not getattr(by, "is_authenticated", False) or not by.is_active:
        raise PermissionRefused(_("Please sign in."))


def do_mark_read(item: InboxItem, *, by) -> InboxItem:
    """Mark one of by's own items read (reading an item twice keeps the first time)."""
    _check_signed_in(by)
    if item.user_id != by.pk:
        raise PermissionRefused(_("This is not your notification."))
    with transaction.atomic():
        InboxItem.objects.filter(pk=item.pk, read_at__isnull=True).update(read_at=timezone.now())
        item.refresh_from_db(fields=["read_at"])
    return item


def do_mark_all_read(*, by) -> int:
    """Mark every unread item of by's read; returns how many there were."""
    _check_signed_in(by)
    with transaction.atomic():
        return InboxItem.objects.filter(user=by, read_at__isnull=True).update(read_at=timezone.now())


def do_follow_case(case, *, by) -> Subscription:
    """by follows a case they can see: every later event on it reaches their inbox."""
    _check_signed_in(by)
    if not user_can_reach(by, "case.view", case):
        raise PermissionRefused(_("This case does not exist."))
    with transaction.atomic():
        subscription, created = Subscription.objects.get_or_create(user=by, case=case)
        if created:
            record(by, "notifications.followed", case, area_code=case.area_id)
    return subscription


def do_unfollow_case(case, *, by) -> int:
    _check_signed_in(by)
    with transaction.atomic():
        deleted, _rows = Subscription.objects.filter(user=by, case=case).delete()
        if deleted:
            record(by, "notifications.unfollowed", case, area_code=case.area_id)
    return deleted


def do_follow_area(area, *, by, dispute_type=None) -> Subscription:
    """by follows new cases in an area they can see cases in (its whole subtree), of one type or all."""
    _check_signed_in(by)
    if not user_can(by, "case.view", area.code):
        raise InputError({"area": _("Choose an area whose cases you can see.")})
    try:
        with transaction.atomic():
            subscription, _created = Subscription.objects.get_or_create(
                user=by, case=None, area=area, dispute_type=dispute_type)
    except IntegrityError:  # the same subscription made at the same moment: it exists
        subscription = Subscription.objects.get(user=by, case=None, area=area, dispute_type=dispute_type)
    return subscription


def do_unfollow(subscription: Subscription, *, by) -> None:
    _check_signed_in(by)
    if subscription.user_id != by.pk:
        raise PermissionRefused(_("This is not your subscription."))
    subscription.delete()


def do_set_channels(*, by, choices: dict) -> int:
    """Save by's channel choices per kind; a choice that would switch off what the kind requires is
    refused and nothing is saved. Returns how many choices were stored."""
    _check_signed_in(by)
    errors = {}
    for (kind_code, channel), enabled in choices.items():
        kind = KINDS.get(kind_code)
        if kind is None or channel not in OPTIONAL_CHANNELS:
            errors[f"{kind_code}.{channel}"] = [_("Unknown kind of notice or channel.")]
        elif channel in kind.required and not enabled:
            errors[f"{kind_code}.{channel}"] = [_("“%(kind)s” always reaches you on this channel.")
                                                % {"kind": kind.label}]
    if errors:
        raise InputError(errors)
    with transaction.atomic():
        for (kind_code, channel), enabled in choices.items():
            ChannelPreference.objects.update_or_create(user=by, kind=kind_code, channel=channel,
                                                       defaults={"enabled": bool(enabled)})
    return len(choices)
