"""The bell in the page header: the signed-in user's unread count, on every page (one COUNT query)."""

from yiwang.notifications.models import InboxItem


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": InboxItem.objects.filter(user=user, read_at__isnull=True).count()}
