"""The case list says how many cases it holds, counted up to a bound so that a province's queue stays quick."""

from django.urls import reverse

from yiwang.cases import views
from yiwang.testing.factories import register_case


def test_the_queue_shows_its_total_on_every_page_and_more_than_past_the_bound(cast, monkeypatch):
    for _ in range(5):
        register_case()
    client = cast.client("liuheng_clerk")
    assert "共 5 件" in client.get(reverse("cases:queue"), {"queue": "all"}).content.decode()
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    second = client.get(reverse("cases:queue"), {"queue": "all", "page": 2}).content.decode()
    assert "共 5 件" in second
    monkeypatch.setattr(views, "TOTAL_BOUND", 3)
    assert "超过 3 件" in client.get(reverse("cases:queue"), {"queue": "all"}).content.decode()
