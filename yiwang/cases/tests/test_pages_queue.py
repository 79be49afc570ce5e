"""Queues: a user's own cases, a centre's, a window's, a team's and a mediator's, with filters, search
by party name, case number and phone, and pages — never showing a case outside the user's area.

Each test makes its own cases (parties named 欧阳…, a surname no demo draws) and checks what it made, and
that everything else shown belongs in the queue."""

import pytest
from django.urls import reverse
from django.utils import timezone

from yiwang.areas.models import Area, Window
from yiwang.cases import actions, views
from yiwang.cases.models import Case

URL = reverse("cases:queue")


def village(prefix: str = "330903100") -> str:
    return Area.objects.filter(code__startswith=prefix, level="village").order_by("code").first().code


def register(by, *, name="欧阳海明", phone="13857001234", area=None, dispute_type="neighbourhood", **extra):
    values = dict(
        by=by, channel="window", dispute_type=dispute_type, area=area or village(), facts="邻居修建围墙占用通道",
        claims="拆除围墙，恢复通行", applicants=[{"name": name, "phone": phone}],
        respondents=[{"name": "李国强", "phone": "13905801234"}],
    )
    values.update(extra)
    return actions.do_register_case(**values)


def shown(response) -> list[Case]:
    assert response.status_code == 200
    return list(response.context["cases"])


def numbers(response) -> list[str]:
    return [case.number for case in shown(response)]


def test_a_clerk_sees_the_cases_they_registered_in_their_queue(cast):
    case = register(cast.liuheng_clerk)
    response = cast.client("liuheng_clerk").get(URL)
    assert case.number in numbers(response)
    assert all(c.owner_id == cast.liuheng_clerk.pk or c.assignments.filter(mediator=cast.liuheng_clerk).exists()
               for c in shown(response))
    body = response.content.decode()
    assert "欧阳海明" in body and "已登记" in body and "我的案件" in body


@pytest.mark.parametrize("query", ["欧阳海", "13857001234", "number"])
def test_search_by_party_name_phone_and_case_number(cast, query):
    case = register(cast.liuheng_clerk)
    other = register(cast.liuheng_clerk, name="欧阳小二", phone="13857009999")
    query = case.number if query == "number" else query
    found = numbers(cast.client("liuheng_clerk").get(URL, {"queue": "all", "q": query}))
    assert case.number in found and other.number not in found


def test_another_towns_clerk_never_sees_the_case_in_any_queue_or_search(cast):
    case = register(cast.liuheng_clerk)
    client = cast.client("shenjiamen_clerk")
    for params in ({}, {"queue": "all"}, {"queue": "all", "q": case.number}, {"queue": "all", "q": "欧阳海明"},
                   {"queue": "all", "state": "all"}):
        found = shown(client.get(URL, params))
        assert case.number not in [c.number for c in found], params
        assert all(c.area_id.startswith("330903001") for c in found), params


def test_filters_by_state_type_and_channel(cast):
    open_case = register(cast.liuheng_clerk)
    withdrawn = register(cast.liuheng_clerk, name="欧阳小二", phone="13857009999", dispute_type="contract")
    actions.do_withdraw(withdrawn, by=cast.liuheng_clerk, reason="双方已自行和解")
    client = cast.client("liuheng_clerk")

    def search(**params):
        return numbers(client.get(URL, {"queue": "all", "q": "欧阳", **params}))

    assert search() == [open_case.number]  # open cases by default
    assert search(state="closed") == [withdrawn.number]
    assert search(state="withdrawn") == [withdrawn.number]
    assert set(search(state="all")) == {open_case.number, withdrawn.number}
    assert search(state="all", dispute_type="contract") == [withdrawn.number]
    assert search(channel="phone") == []
    assert search(received_from="2000-01-01", received_to="2000-12-31") == []
    # A bad filter value does not break the page.
    assert client.get(URL, {"queue": "all", "received_from": "not-a-date"}).status_code == 200


def test_overdue_filter_shows_only_cases_past_their_deadline(cast):
    import datetime as dt

    case = register(cast.liuheng_clerk)
    Case.objects.filter(pk=case.pk).update(deadline=dt.date(2020, 1, 1))
    response = cast.client("liuheng_clerk").get(URL, {"queue": "all", "state": "overdue"})
    assert case.number in numbers(response)
    assert all(c.deadline < timezone.localdate() and c.is_open for c in shown(response))
    assert "已超期" in response.content.decode()


def test_pages_without_counting_the_table(cast, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    made = [register(cast.liuheng_clerk, name=f"欧阳{i}号", phone=f"1385700{i:04d}") for i in range(3)]
    client = cast.client("liuheng_clerk")
    first = client.get(URL, {"queue": "all", "q": "欧阳"})
    second = client.get(URL, {"queue": "all", "q": "欧阳", "page": 2})
    assert len(numbers(first)) == 2 and len(numbers(second)) == 1
    assert set(numbers(first) + numbers(second)) == {c.number for c in made}
    assert first.context["has_next"] and not second.context["has_next"]
    assert "page=2" in first.content.decode() and "q=" in first.content.decode()
    assert client.get(URL, {"queue": "all", "page": "x"}).status_code == 200


def test_a_windows_queue_at_the_district_centre(cast):
    """A maritime dispute goes to the district tier, where it lands at the specialised window."""
    case = register(cast.putuo_staff, dispute_type="maritime", vessel_name="浙普渔12345", sea_area="六横以东海域")
    assert case.window is not None
    client = cast.client("putuo_staff")
    response = client.get(URL, {"window": case.window_id})
    assert case.number in numbers(response)
    assert all(c.window_id == case.window_id for c in shown(response))
    other_window = Window.objects.filter(centre=case.centre).exclude(pk=case.window_id).first()
    assert case.number not in numbers(client.get(URL, {"window": other_window.pk}))
    # The district centre's windows are outside a town clerk's area: 404, like a missing window.
    assert cast.client("liuheng_clerk").get(URL, {"window": case.window_id}).status_code == 404


def test_a_mediators_queue_holds_the_cases_they_mediate(cast):
    case = register(cast.liuheng_clerk)
    case = actions.do_accept(case, by=cast.liuheng_clerk)
    actions.do_assign(case, by=cast.liuheng_clerk, mediators=[cast.mediator_wang])
    assert case.number in numbers(cast.client("mediator_wang").get(URL, {"q": "欧阳"}))  # "my cases"
    staff_view = shown(cast.client("putuo_staff").get(URL, {"mediator": cast.mediator_wang.pk, "q": "欧阳"}))
    assert case.number in [c.number for c in staff_view]
    assert all(c.assignments.filter(mediator=cast.mediator_wang, recused_at=None).exists() for c in staff_view)
    # The same mediator on a 沈家门 case: 沈家门's clerk sees that one in the mediator's queue, never 六横's.
    theirs = actions.do_accept(register(cast.shenjiamen_clerk, area=village("330903001"), phone="13857001235"),
                               by=cast.shenjiamen_clerk)
    actions.do_assign(theirs, by=cast.putuo_staff, mediators=[cast.mediator_wang])
    seen = numbers(cast.client("shenjiamen_clerk").get(URL, {"mediator": cast.mediator_wang.pk}))
    assert theirs.number in seen and case.number not in seen


def test_a_team_queue(cast):
    case = register(cast.putuo_staff, dispute_type="maritime", vessel_name="浙普渔12345", sea_area="六横以东海域")
    assert case.team is not None  # the maritime team
    response = cast.client("putuo_staff").get(URL, {"team": case.team_id})
    assert case.number in numbers(response) and all(c.team_id == case.team_id for c in shown(response))


def test_users_without_case_view_get_404(cast):
    assert cast.client("grid_worker").get(URL).status_code == 404


def test_a_leader_without_pii_view_sees_masked_names(cast):
    register(cast.liuheng_clerk)
    body = cast.client("putuo_leader").get(URL, {"queue": "all", "q": "欧阳海明"}).content.decode()
    table = body[body.index("<table"):]
    assert "欧**明" in table and "欧阳海明" not in table


def test_a_short_name_matches_from_the_start_and_a_longer_one_anywhere(cast):
    case = register(cast.liuheng_clerk)  # applicant 欧阳海明
    client = cast.client("liuheng_clerk")
    assert case.number in numbers(client.get(URL, {"queue": "all", "q": "欧阳"}))
    assert case.number not in numbers(client.get(URL, {"queue": "all", "q": "海明"}))
    assert case.number in numbers(client.get(URL, {"queue": "all", "q": "阳海明"}))


def test_the_area_filter_narrows_to_where_disputes_arose(cast):
    case = register(cast.liuheng_clerk)
    client = cast.client("putuo_staff")
    inside = numbers(client.get(URL, {"queue": "all", "state": "all", "area": case.area_id[:9]}))
    assert case.number in inside
    assert all(c.area_id.startswith(case.area_id[:9]) for c in Case.objects.filter(number__in=inside))
    assert case.number not in numbers(client.get(URL, {"queue": "all", "state": "all", "area": "330903001"}))
    # A malformed code is shown as an error and ignored, never a crash.
    response = client.get(URL, {"queue": "all", "area": "33x"})
    assert response.status_code == 200 and "area" in response.context["filters"].errors
