"""The queue's query string cannot reveal anything outside the reader's area, nor crash the page.

A mediator's queue (?mediator=<user id>) is titled with the mediator's name, so it opens only for a
mediator the reader can already see: one granted in the reader's area or assigned to a case they see.
Anyone else answers 404, exactly like a user id that does not exist."""

from django.urls import reverse

from yiwang.accounts.models import User
from yiwang.cases import actions
from yiwang.cases.tests.test_pages_queue import register

URL = reverse("cases:queue")


def test_a_clerk_cannot_learn_the_name_of_a_user_outside_their_area_from_the_mediator_queue(cast):
    outsider = cast.court_liaison  # granted at district level, mediates nothing in 六横
    outsider.display_name = "区法院联络员甲"
    outsider.save(update_fields=["display_name"])
    client = cast.client("liuheng_clerk")
    response = client.get(URL, {"mediator": outsider.pk})
    assert response.status_code == 404
    assert "区法院联络员甲" not in response.content.decode()
    missing = User.objects.order_by("-pk").first().pk + 1000
    assert client.get(URL, {"mediator": missing}).status_code == 404


def test_a_mediator_assigned_to_a_case_the_clerk_sees_has_a_queue_for_that_clerk(cast):
    case = actions.do_accept(register(cast.liuheng_clerk), by=cast.liuheng_clerk)
    actions.do_assign(case, by=cast.liuheng_clerk, mediators=[cast.mediator_wang])
    response = cast.client("liuheng_clerk").get(URL, {"mediator": cast.mediator_wang.pk, "q": "欧阳"})
    assert response.status_code == 200
    assert case.number in [c.number for c in response.context["cases"]]


def test_a_page_number_beyond_any_database_integer_is_answered_not_a_crash(cast):
    client = cast.client("putuo_staff")
    for page in ["99999999999999999999999", "-3", "abc"]:
        response = client.get(URL, {"queue": "all", "page": page})
        assert response.status_code == 200, page


def test_applicant_names_are_in_full_only_where_the_reader_holds_pii_view(cast):
    """A 六横 mediator who also reads the whole district as a leader sees 六横 names in full and every other
    town's masked: personal information follows the pii.view grant's area, not any pii.view anywhere."""
    from yiwang.accounts.models import Grant

    reader = User.objects.create(username="liuheng_mediator_leader", display_name="六横调解员兼区领导")
    Grant.objects.create(user=reader, role_id="leader", area_id="330903")
    Grant.objects.create(user=reader, role_id="mediator", area_id="330903100")
    inside = register(cast.liuheng_clerk, name="欧阳六横")
    outside = register(cast.shenjiamen_clerk, name="欧阳沈家", area="330903001001")
    client = cast.client("putuo_staff")
    client.force_login(reader)
    rows = {c.number: c.applicant_names for c in client.get(URL, {"queue": "all", "q": "欧阳"}).context["cases"]}
    assert rows[inside.number] == "欧阳六横"
    assert outside.number in rows and rows[outside.number] != "欧阳沈家"
