"""A user sees and acts only within their area subtree; out of scope answers 404 like a missing object,
through the pages, the admin and the API alike."""

import pytest

from yiwang.areas.models import Area, Centre, Organisation, Team, Window
from yiwang.core.scope import get_area_prefixes, user_can
from yiwang.testing import assert_not_found_for

LIUHENG, SHENJIAMEN = "330903100", "330903001"


@pytest.fixture
def shenjiamen_centre(demo):
    return Centre.objects.get(area_id=SHENJIAMEN)


@pytest.fixture
def liuheng_centre(demo):
    return Centre.objects.get(area_id=LIUHENG)


def test_liuheng_clerk_sees_only_liuheng_centres(cast):
    visible = Centre.objects.visible_to(cast.liuheng_clerk)
    assert visible.count() == Centre.objects.filter(area__code__startswith=LIUHENG).count() > 1
    assert all(code.startswith(LIUHENG) for code in visible.values_list("area_id", flat=True))


def test_leader_sees_all_96_centres_and_superuser_everything(cast):
    assert Centre.objects.visible_to(cast.putuo_leader).count() == 96
    assert get_area_prefixes(cast.admin) is None
    assert Centre.objects.visible_to(cast.admin).count() == Centre.objects.count()


def test_grants_carry_actions_on_a_subtree(cast):
    clerk = cast.liuheng_clerk
    assert user_can(clerk, "case.intake", "330903100201")
    assert not user_can(clerk, "case.intake", SHENJIAMEN)
    assert not user_can(clerk, "stats.view", LIUHENG)
    assert not user_can(cast.putuo_leader, "case.intake", "330903")
    assert user_can(cast.putuo_leader, "stats.view", LIUHENG)


def test_anonymous_and_inactive_users_see_nothing(cast):
    from django.contrib.auth.models import AnonymousUser

    assert Centre.objects.visible_to(AnonymousUser()).count() == 0
    clerk = cast.liuheng_clerk
    clerk.is_active = False
    assert Centre.objects.visible_to(clerk).count() == 0


@pytest.fixture
def liuheng_rows(cast):
    """The demo has no window and no organisation in 六横镇: add one of each, so that every scoped model
    has rows on both sides of the clerk's boundary."""
    Window.objects.create(centre=Centre.objects.get(area_id=LIUHENG), number=1, name="六横综合窗口",
                          kind="comprehensive")
    Organisation.objects.create(name="六横镇派出所", kind="police", area_id=LIUHENG)


def test_every_scoped_model_filters_by_area(cast, liuheng_rows):
    clerk = cast.liuheng_clerk
    for model in (Area, Centre, Window, Team, Organisation):
        visible = list(model.objects.visible_to(clerk))
        assert visible and len(visible) < model.objects.count(), model
        for obj in visible:
            code = obj.code if model is Area else obj.area_id
            assert code.startswith(LIUHENG), (model, obj)


def test_pages_answer_404_out_of_scope_exactly_like_missing(cast, shenjiamen_centre, liuheng_centre):
    client = cast.client("liuheng_clerk")
    assert client.get(f"/centres/{liuheng_centre.pk}/").status_code == 200
    assert_not_found_for(client, f"/centres/{shenjiamen_centre.pk}/")
    assert_not_found_for(client, "/centres/999999/")
    listing = client.get("/centres/").content.decode()
    assert liuheng_centre.name in listing and shenjiamen_centre.name not in listing


def test_admin_answers_404_out_of_scope_exactly_like_missing(cast, shenjiamen_centre, liuheng_centre):
    client = cast.client("liuheng_clerk")
    assert client.get(f"/admin/areas/centre/{liuheng_centre.pk}/change/").status_code == 200
    assert_not_found_for(client, f"/admin/areas/centre/{shenjiamen_centre.pk}/change/")
    assert_not_found_for(client, "/admin/areas/centre/999999/change/")
    listing = client.get("/admin/areas/centre/").content.decode()
    assert liuheng_centre.name in listing and shenjiamen_centre.name not in listing


def test_a_clerk_reads_master_data_but_cannot_change_it(cast, liuheng_centre):
    client = cast.client("liuheng_clerk")
    response = client.post(
        f"/admin/areas/centre/{liuheng_centre.pk}/change/",
        {"name": "改名", "level": "town", "area": LIUHENG, "code": liuheng_centre.code},
    )
    assert response.status_code == 403
    liuheng_centre.refresh_from_db()
    assert liuheng_centre.name != "改名"


def test_staff_cannot_move_an_object_out_of_their_scope(cast, liuheng_centre):
    from yiwang.accounts.models import Grant

    town_staff = cast.liuheng_clerk
    Grant.objects.create(user=town_staff, role_id="centre_staff", area_id=LIUHENG)
    client = cast.client("liuheng_clerk")
    response = client.post(
        f"/admin/areas/centre/{liuheng_centre.pk}/change/",
        {"name": liuheng_centre.name, "level": "town", "area": SHENJIAMEN, "code": liuheng_centre.code,
         "active": "on", "windows-TOTAL_FORMS": "0", "windows-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 403
    liuheng_centre.refresh_from_db()
    assert liuheng_centre.area_id == LIUHENG


def test_leader_without_staff_flag_cannot_open_the_admin(cast):
    response = cast.client("putuo_leader").get("/admin/areas/centre/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_api_lists_only_what_the_caller_may_see_and_404s_the_rest(cast, shenjiamen_centre, liuheng_centre):
    api = cast.api("liuheng_clerk")
    body = api.get("/api/v1/centres/?page_size=500").json()
    assert body["count"] == Centre.objects.visible_to(cast.liuheng_clerk).count()
    assert {c["area"][:9] for c in body["results"]} == {LIUHENG}
    assert api.get(f"/api/v1/centres/{liuheng_centre.pk}/").status_code == 200
    assert api.get(f"/api/v1/centres/{shenjiamen_centre.pk}/").status_code == 404
    assert api.get("/api/v1/centres/999999/").status_code == 404
    assert api.get(f"/api/v1/areas/{SHENJIAMEN}/").status_code == 404
    assert api.get(f"/api/v1/areas/{LIUHENG}/").json()["name"] == "六横镇"


def test_api_leader_counts_96_centres(cast):
    assert cast.api("putuo_leader").get("/api/v1/centres/").json()["count"] == 96


@pytest.mark.parametrize("endpoint", ["areas", "centres", "windows", "teams", "organisations"])
def test_every_master_data_list_is_scoped_and_carries_area(cast, liuheng_rows, endpoint):
    results = cast.api("liuheng_clerk").get(f"/api/v1/{endpoint}/?page_size=500").json()["results"]
    assert results
    for row in results:
        code = row.get("area") or row["code"]
        assert code.startswith(LIUHENG)
    everything = cast.api("admin").get(f"/api/v1/{endpoint}/?page_size=1").json()
    assert everything["count"] > len(results)
