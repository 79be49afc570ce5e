"""The phone pages: logging a visit with problems, the problem page's steps, photos, scope."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from yiwang.grids import actions
from yiwang.grids.models import Photo, Problem, State, Visit
from yiwang.testing import assert_not_found_for

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


def _visit_post(grid, **extra):
    data = {
        "grid": grid.pk, "date": timezone.localdate().isoformat(), "households_visited": "15",
        "notes": "走访渔民家庭", "location": "", "latitude": "", "longitude": "", "others_present": "",
        "p-TOTAL_FORMS": "2", "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "0", "p-MAX_NUM_FORMS": "5",
        "p-0-category": "environment", "p-0-description": "码头垃圾未清运", "p-0-location": "东码头",
        "p-1-category": "", "p-1-description": "", "p-1-location": "",
    }
    data.update(extra)
    return data


def test_a_grid_worker_logs_a_visit_and_reports_a_problem_on_the_same_page(cast, liuheng_grid):
    client = cast.client("grid_worker")
    assert client.get(reverse("grids:visit_new")).status_code == 200
    member = liuheng_grid.teams.first().grid_members.first()
    photo = SimpleUploadedFile("a.png", PNG, content_type="image/png")
    response = client.post(reverse("grids:visit_new"), _visit_post(liuheng_grid, members=[member.pk],
                                                                    **{"p-0-photos": photo}))
    assert response.status_code == 302, response.content.decode()[:2000]
    visit = Visit.objects.get(grid=liuheng_grid)
    assert list(visit.members_present.all()) == [member]
    problem = visit.problems.get()
    assert (problem.category, problem.state, problem.location) == ("environment", State.REPORTED, "东码头")
    assert problem.photos.count() == 1


def test_a_visit_with_a_half_filled_problem_is_refused_and_nothing_saved(cast, liuheng_grid):
    client = cast.client("grid_worker")
    response = client.post(reverse("grids:visit_new"), _visit_post(liuheng_grid, **{"p-0-description": ""}))
    assert response.status_code == 200
    assert "description" in response.context["formset"].errors[0]
    assert not Visit.objects.filter(grid=liuheng_grid).exists()
    assert not Problem.objects.filter(grid=liuheng_grid).exists()


def test_a_visit_in_the_future_is_refused(cast, liuheng_grid):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = cast.client("grid_worker").post(reverse("grids:visit_new"), _visit_post(liuheng_grid, date=tomorrow))
    assert response.status_code == 200 and "date" in response.context["form"].errors


def test_a_photo_that_is_not_an_image_is_refused(cast, liuheng_grid):
    fake = SimpleUploadedFile("x.png", b"<script>alert(1)</script>", content_type="image/png")
    response = cast.client("grid_worker").post(reverse("grids:visit_new"), _visit_post(liuheng_grid, photos=fake))
    assert response.status_code == 200 and "photos" in response.context["form"].errors
    assert not Visit.objects.exists()


def test_a_photo_too_large_is_refused(cast, liuheng_grid, settings):
    settings.MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("b.png", PNG + b"\0" * (1024 * 1024 + 1), content_type="image/png")
    response = cast.client("grid_worker").post(reverse("grids:visit_new"), _visit_post(liuheng_grid, photos=big),
                                               HTTP_ACCEPT_LANGUAGE="en")
    assert "1 MB" in " ".join(response.context["form"].errors["photos"])
    assert not Visit.objects.exists()


@pytest.mark.parametrize(("name", "content", "says"), [
    ("scan.jpg", b"%PDF-1.7\n%%EOF\n", "JPEG"),                        # a PDF renamed .jpg
    ("photo.jpg", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "JPEG"),   # a program renamed .jpg
    ("photo.png", b"", "empty"),
])
def test_a_photo_that_is_not_what_it_claims_is_refused_and_nothing_saved(cast, liuheng_grid, name, content, says):
    fake = SimpleUploadedFile(name, content, content_type="image/jpeg")
    response = cast.client("grid_worker").post(reverse("grids:visit_new"), _visit_post(liuheng_grid, photos=fake),
                                               HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and says in " ".join(response.context["form"].errors["photos"])
    assert not Visit.objects.exists() and not Photo.objects.exists()


def test_photos_are_served_only_inside_their_area(cast, liuheng_grid, shenjiamen_gridder):
    from django.test import Client

    problem = actions.do_report_problem(
        liuheng_grid, by=cast.grid_worker, category="safety", description="电线裸露",
        photos=[SimpleUploadedFile("p.png", PNG, content_type="image/png")],
    )
    photo = Photo.objects.get(problem=problem)
    response = cast.client("grid_worker").get(reverse("grids:photo", args=[photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG
    outsider = Client()
    outsider.force_login(shenjiamen_gridder)
    assert_not_found_for(outsider, reverse("grids:photo", args=[photo.pk]))


def test_a_shenjiamen_user_gets_404_for_a_liuheng_problem(cast, liuheng_grid, shenjiamen_gridder):
    from django.test import Client

    problem = actions.do_report_problem(liuheng_grid, by=cast.grid_worker, category="other", description="x")
    for username in ("shenjiamen_clerk",):
        assert_not_found_for(cast.client(username), reverse("grids:problem_detail", args=[problem.pk]))
    outsider = Client()
    outsider.force_login(shenjiamen_gridder)
    assert_not_found_for(outsider, reverse("grids:problem_detail", args=[problem.pk]))
    assert outsider.post(reverse("grids:problem_step", args=[problem.pk, "accept"]),
                         {"version": problem.version}).status_code == 404
    assert_not_found_for(outsider, reverse("grids:board", args=[liuheng_grid.code]))
    assert_not_found_for(outsider, reverse("grids:board", args=["330903100"]))
    assert problem.pk not in [p.pk for p in outsider.get(reverse("grids:problem_list")).context["page"]]


def test_the_problem_page_offers_exactly_the_users_steps(cast, liuheng_grid, liuheng_staff):
    problem = actions.do_report_problem(liuheng_grid, by=cast.grid_worker, category="other", description="x")
    url = reverse("grids:problem_detail", args=[problem.pk])
    worker_page = cast.client("grid_worker").get(url).content.decode()
    assert 'id="step-' not in worker_page
    staff_page = cast.client("liuheng_staff").get(url).content.decode()
    assert 'id="step-accept"' in staff_page and 'id="step-mark_invalid"' in staff_page
    assert 'id="step-dispatch"' not in staff_page


def test_steps_through_the_page_and_a_stale_form_is_refused(cast, liuheng_grid, liuheng_staff):
    problem = actions.do_report_problem(liuheng_grid, by=cast.grid_worker, category="other", description="x")
    client = cast.client("liuheng_staff")
    step = lambda name, **data: client.post(reverse("grids:problem_step", args=[problem.pk, name]), data)  # noqa: E731
    assert step("accept", version=1, tier="major").status_code == 302
    problem.refresh_from_db()
    assert problem.state == State.ACCEPTED and problem.tier == "major"
    response = step("mark_invalid", version=1, reason="重复")
    problem.refresh_from_db()
    assert problem.state == State.ACCEPTED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("reload" in m or "刷新" in m for m in messages), messages
    from yiwang.areas.models import Organisation

    police = Organisation.objects.get(name="舟山市公安局普陀区分局")
    assert step("dispatch", version=2, organisation=police.pk).status_code == 302
    problem.refresh_from_db()
    assert problem.state == State.DISPATCHED and problem.assigned_organisation == police


@pytest.mark.parametrize("name", ["grids:problem_list", "grids:task_list", "grids:visit_new", "grids:home"])
def test_pages_answer_for_the_grid_worker(cast, name, liuheng_grid):
    response = cast.client("grid_worker").get(reverse(name), follow=True)
    assert response.status_code == 200


def test_people_without_grid_grants_cannot_log_visits(cast):
    assert cast.client("bank_operator").get(reverse("grids:visit_new")).status_code == 403


def test_a_problem_reported_on_its_own(cast, liuheng_grid):
    client = cast.client("grid_worker")
    response = client.post(reverse("grids:problem_new"), {
        "grid": liuheng_grid.pk, "category": "safety", "description": "危房外墙开裂", "location": "渔港路",
    })
    assert response.status_code == 302
    problem = Problem.objects.get(grid=liuheng_grid)
    assert (problem.channel, problem.state) == ("web", State.REPORTED)
    bad = client.post(reverse("grids:problem_new"), {"grid": liuheng_grid.pk, "category": "nonsense",
                                                      "description": ""})
    assert bad.status_code == 200 and set(bad.context["form"].errors) == {"category", "description"}
    assert Problem.objects.filter(grid=liuheng_grid).count() == 1


def test_every_page_of_a_liuheng_object_is_404_for_a_shenjiamen_grid_worker(cast, liuheng_grid, shenjiamen_gridder):
    from django.test import Client

    visit = actions.do_log_visit(liuheng_grid, by=cast.grid_worker, date=timezone.localdate(), households_visited=3,
                                 problems=[actions.ProblemDraft("other", "x")])
    problem = visit.problems.get()
    outsider = Client()
    outsider.force_login(shenjiamen_gridder)
    village = liuheng_grid.area_id
    for url in [
        reverse("grids:visit_detail", args=[visit.pk]),
        reverse("grids:problem_detail", args=[problem.pk]),
        reverse("grids:board", args=[village]),
        reverse("grids:figures", args=[village]),
        reverse("grids:month", args=[village, 2026, 10]),
        reverse("grids:month_export", args=[village, 2026, 10, "pdf"]),
        reverse("grids:month_export", args=[village, 2026, 10, "xlsx"]),
    ]:
        assert_not_found_for(outsider, url)
    assert outsider.get(reverse("grids:board", args=["330903001"])).status_code == 200


def test_a_figures_link_keeps_its_period_and_the_list_shows_its_total(cast, liuheng_grid):
    """The statistics' grid figures link to the problem list with their date range: the list counts what the
    figure counts (reported in the period; cleared: closed in it), and keeps the range as it pages."""
    import datetime as dt

    from yiwang.areas.models import Area
    from yiwang.stats.tables import Links

    old = actions.do_report_problem(liuheng_grid, by=cast.grid_worker, category="other", description="旧问题")
    Problem.objects.filter(pk=old.pk).update(reported_at=timezone.make_aware(dt.datetime(2026, 1, 5, 9)))
    new = actions.do_report_problem(liuheng_grid, by=cast.grid_worker, category="other", description="新问题")
    Problem.objects.filter(pk=new.pk).update(reported_at=timezone.make_aware(dt.datetime(2026, 3, 5, 9)))
    links = Links(Area.objects.get(code="330903100"), dt.date(2026, 3, 1), dt.date(2026, 3, 31))
    response = cast.client("liuheng_staff").get(links.problems())
    assert [p.pk for p in response.context["page"]] == [new.pk]
    body = response.content.decode()
    assert "共 1 个" in body and "上报时间 2026-03-01 至 2026-03-31" in body
    assert 'name="reported_from" value="2026-03-01"' in body  # the filter form keeps the range
    assert "closed_from=2026-03-01" in links.problems(cleared=True)
    assert "reported_from" not in links.problems(show="open")  # the backlog is today's
    everything = cast.client("liuheng_staff").get(reverse("grids:problem_list"), {"show": "all",
                                                                               "reported_from": "nonsense"})
    assert {old.pk, new.pk} <= {p.pk for p in everything.context["page"]}
