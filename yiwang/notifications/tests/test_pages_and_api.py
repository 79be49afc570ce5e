"""The bell, the inbox page and the API: my own items only (anyone else's is 404), read and unread, mark
all read; following a case from its page; the case panel showing the texts that failed."""

import pytest
from django.db import transaction

from yiwang.core.notices import Notice, announce
from yiwang.notifications.models import InboxItem
from yiwang.testing import factories as f

pytestmark = pytest.mark.usefixtures("daytime")


def tell(user, n=1, url="/home/"):
    with transaction.atomic():
        for i in range(n):
            announce(Notice(kind="case.followed", text=f"通知{i}", key=f"page:{user.pk}:{i}", recipients=(user,), url=url))
    return list(InboxItem.objects.filter(user=user).order_by("pk"))


def test_the_bell_shows_the_unread_count_on_every_page(cast):
    tell(cast.mediator_wang, 3)
    page = cast.client("mediator_wang").get("/home/").content.decode()
    assert 'id="bell"' in page and '<span class="count">3</span>' in page
    assert '<span class="count">' not in cast.client("putuo_staff").get("/home/").content.decode()


def test_opening_an_item_marks_it_read_and_lands_on_its_object_and_anothers_is_404(cast):
    case = f.make_case("assigned")
    [item] = InboxItem.objects.filter(user=cast.mediator_wang)
    client = cast.client("mediator_wang")
    response = client.get(f"/notifications/{item.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    item.refresh_from_db()
    assert item.is_read
    assert cast.client("putuo_staff").get(f"/notifications/{item.pk}/").status_code == 404
    assert cast.client("admin").get(f"/notifications/{item.pk}/").status_code == 404  # a superuser too


def test_the_list_filters_unread_and_mark_all_read_clears_the_bell(cast):
    items = tell(cast.putuo_staff, 2)
    client = cast.client("putuo_staff")
    client.get(f"/notifications/{items[0].pk}/")
    unread = client.get("/notifications/?unread=1").content.decode()
    assert "通知1" in unread and "通知0" not in unread
    assert client.post("/notifications/read-all/").status_code == 302
    assert not InboxItem.objects.filter(user=cast.putuo_staff, read_at__isnull=True).exists()
    assert client.get("/notifications/read-all/").status_code == 405


def test_the_api_lists_my_items_marks_one_and_all_read_and_hides_anothers(cast):
    mine = tell(cast.mediator_wang, 2)
    theirs = tell(cast.putuo_staff, 1)
    api = cast.api("mediator_wang")
    body = api.get("/api/v1/notifications/").json()
    assert [row["text"] for row in body["results"]] == ["通知1", "通知0"]
    assert api.post(f"/api/v1/notifications/{theirs[0].pk}/read/").status_code == 404
    answer = api.post(f"/api/v1/notifications/{mine[0].pk}/read/")
    assert answer.status_code == 200 and answer.json()["read"] is True
    assert [row["text"] for row in api.get("/api/v1/notifications/?unread=true").json()["results"]] == ["通知1"]
    assert api.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    assert InboxItem.objects.get(pk=theirs[0].pk).read_at is None


def test_channels_are_saved_from_the_preferences_page_and_a_required_one_stays_on(cast):
    from yiwang.notifications.delivery import get_channels

    client = cast.client("mediator_wang")
    assert client.get("/notifications/preferences/").status_code == 200
    client.post("/notifications/preferences/", {"form": "channels", "case.assigned:email": "on"})
    user = cast.mediator_wang
    assert get_channels(user, "case.assigned") == ["email"]  # 浙政钉 switched off, e-mail on
    assert "zzd" in get_channels(user, "case.supervised")  # required


def test_following_a_case_from_its_page_and_the_panel_shows_failed_texts(cast, settings):
    from yiwang.core.models import Notification

    case = f.make_case("accepted")
    client = cast.client("putuo_leader")
    assert client.post(f"/notifications/follow/{case.pk}/").status_code == 302
    assert cast.client("shenjiamen_clerk").post(f"/notifications/follow/{case.pk}/").status_code == 404
    row = Notification.objects.filter(channel="sms", about_id=str(case.pk)).first()
    Notification.objects.filter(pk=row.pk).update(status="failed", last_error="SmsError: isv.MOBILE_NUMBER_ILLEGAL")
    page = cast.client("liuheng_clerk").get(f"/cases/{case.pk}/").content.decode()
    assert 'class="failed-sms"' in page and "MOBILE_NUMBER_ILLEGAL" in page
    assert "Stop following" in client.get(f"/cases/{case.pk}/").content.decode() or "取消关注" in \
        client.get(f"/cases/{case.pk}/").content.decode()
