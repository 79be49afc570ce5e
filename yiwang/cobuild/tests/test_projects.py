"""The project list's lifecycle: the office plans a project, its lead unit starts it and reports each
milestone with evidence and photos, finishes it with a final report, the office evaluates it; each step
refused for the wrong person, the wrong stage or a stale version, and residents then rate it."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from yiwang.areas.models import Area
from yiwang.cobuild import projects
from yiwang.cobuild.models import Milestone, Project, ProjectStage, ReportPhoto
from yiwang.cobuild.tests.helpers import justice, png, post_demand
from yiwang.core import errors

pytestmark = pytest.mark.django_db
LIUHENG = "330903100"


def _plan(co, **extra):
    fields = {"area": Area.objects.get(code=LIUHENG), "title": "瓜果直播共建", "lead": justice(),
              "starts_on": dt.date(2026, 3, 1), "ends_on": dt.date(2026, 6, 30),
              "milestones": [("直播培训", dt.date(2026, 4, 1)), ("推销会", dt.date(2026, 5, 1))]}
    fields.update(extra)
    return projects.do_plan_project(by=co.liuheng_office, **fields)


def test_a_project_from_plan_to_evaluation(co):
    demand = post_demand()
    project = _plan(co, demands=[demand])
    assert project.stage == ProjectStage.PLANNED and list(project.milestones.values_list("title", flat=True)) == [
        "直播培训", "推销会"]
    assert projects.get_available_steps(co.unit_liaison, project) == ["start"]
    assert projects.get_available_steps(co.social_liaison, project) == []  # not the lead unit
    with pytest.raises(errors.PermissionRefused):
        projects.do_start_project(project, by=co.social_liaison)
    projects.do_start_project(project, by=co.unit_liaison, version=project.version)
    first, second = project.milestones.order_by("due")
    projects.do_complete_milestone(first, by=co.unit_liaison, version=project.version, report="培训30人",
                                   photos=[png()])
    assert first.done_on is not None and ReportPhoto.objects.filter(milestone=first).count() == 1
    with pytest.raises(errors.IllegalTransition):  # a milestone is still open
        projects.do_finish_project(project, by=co.unit_liaison, version=project.version, report="完成")
    with pytest.raises(errors.IllegalTransition):
        projects.do_complete_milestone(first, by=co.unit_liaison, version=project.version, report="再报一次")
    projects.do_complete_milestone(second, by=co.unit_liaison, version=project.version, report="推销会售出两吨")
    projects.do_project_step(project, "finish", {"version": project.version, "report": "完成"}, by=co.unit_liaison)
    with pytest.raises(errors.PermissionRefused):  # only the office evaluates
        projects.do_evaluate_project(project, by=co.unit_liaison, version=project.version, score=90, evaluation="好")
    assert project.stage == ProjectStage.COMPLETED and project.final_report == "完成"
    with pytest.raises(errors.InputError):
        projects.do_evaluate_project(project, by=co.liuheng_office, version=project.version, score=101,
                                     evaluation="好")
    projects.do_evaluate_project(project, by=co.liuheng_office, version=project.version, score=86,
                                 evaluation="群众满意")
    assert (project.stage, project.grade, project.version) == (ProjectStage.EVALUATED, "A", 6)
    from yiwang.audit.models import AuditEvent

    verbs = list(AuditEvent.objects.filter(object_type="cobuild.project", object_id=str(project.pk))
                 .order_by("id").values_list("verb", flat=True))
    assert verbs == ["cobuilding.project_planned", "cobuilding.project_start", "cobuilding.project_milestone",
                     "cobuilding.project_milestone", "cobuilding.project_finish", "cobuilding.project_evaluate"]
    from yiwang.cobuild.ratings import get_rateable

    assert project in get_rateable(project.area)[1]  # residents may rate it on the community's page


def test_refusals_leave_the_project_as_it_was(co):
    with pytest.raises(errors.PermissionRefused):  # a community worker does not plan projects
        projects.do_plan_project(by=co.liuheng_community, area=Area.objects.get(code=LIUHENG), title="x",
                                 lead=justice(), starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 6, 30),
                                 milestones=[("a", dt.date(2026, 4, 1))])
    with pytest.raises(errors.InputError) as refused:
        _plan(co, milestones=[("太晚", dt.date(2026, 8, 1))])
    assert "milestones" in refused.value.message_dict
    with pytest.raises(errors.InputError):
        _plan(co, demands=[post_demand(by="shenjiamen_community", area="330903001001")])  # another street's
    assert not Project.objects.exists()
    project = _plan(co)
    with pytest.raises(errors.StaleVersion):
        projects.do_start_project(project, by=co.unit_liaison, version=project.version + 1)
    with pytest.raises(errors.IllegalTransition):  # not started: no milestone is reported
        projects.do_complete_milestone(project.milestones.first(), by=co.unit_liaison, report="x")
    projects.do_start_project(project, by=co.unit_liaison)
    with pytest.raises(errors.InputError):  # a text file named .png is no photo; nothing is written
        projects.do_complete_milestone(project.milestones.first(), by=co.unit_liaison, report="x",
                                       photos=[SimpleUploadedFile("a.png", b"hello", content_type="image/png")])
    assert not Milestone.objects.filter(done_on__isnull=False).exists() and not ReportPhoto.objects.exists()


def test_the_project_pages_plan_and_step(co):
    office = co.client("liuheng_office")
    page = office.get("/cobuild/projects/new/")
    assert page.status_code == 200 and "计划" in page.content.decode()
    response = office.post("/cobuild/projects/new/", {
        "area": LIUHENG, "title": "渔嫂课堂", "lead": justice().pk, "starts_on": "2026-03-01",
        "ends_on": "2026-06-30", "milestones": "2026-04-01 开班\n2026-06-01 结业"})
    project = Project.objects.get(title="渔嫂课堂")
    assert response.status_code == 302 and project.milestones.count() == 2
    bad = office.post("/cobuild/projects/new/", {
        "area": LIUHENG, "title": "坏计划", "lead": justice().pk, "starts_on": "2026-03-01",
        "ends_on": "2026-06-30", "milestones": "四月 开班"})
    assert bad.status_code == 200 and not Project.objects.filter(title="坏计划").exists()
    assert co.client("liuheng_community").get("/cobuild/projects/new/").status_code == 403
    unit = co.client("unit_liaison")
    detail = unit.get(f"/cobuild/projects/{project.pk}/").content.decode()
    assert 'id="step-start"' in detail and 'id="step-evaluate"' not in detail
    unit.post(f"/cobuild/projects/{project.pk}/start/", {"version": project.version})
    project.refresh_from_db()
    first = project.milestones.order_by("due").first()
    unit.post(f"/cobuild/projects/{project.pk}/milestone/", {"version": project.version, "milestone": first.pk,
                                                               "report": "开班20人", "photos": [png()]})
    first.refresh_from_db()
    assert first.report == "开班20人" and ReportPhoto.objects.filter(milestone=first).exists()
    photo = ReportPhoto.objects.get(milestone=first)
    assert unit.get(f"/cobuild/photos/{photo.pk}/").status_code == 200
    assert co.client("shenjiamen_community").get(f"/cobuild/photos/{photo.pk}/").status_code == 404
    assert co.client("shenjiamen_community").get(f"/cobuild/projects/{project.pk}/").status_code == 404


def test_the_project_api(co):
    office, unit = co.api("liuheng_office"), co.api("unit_liaison")
    response = office.post("/api/v1/cobuild/projects/", {
        "area": LIUHENG, "title": "法律明白人培训", "lead": justice().pk, "starts_on": "2026-03-01",
        "ends_on": "2026-06-30", "milestones": [{"title": "开班", "due": "2026-04-01"}]}, format="json")
    assert response.status_code == 201, response.content
    project = response.json()
    assert project["stage"] == "planned" and project["steps"] == ["start"]  # the office may start it too
    url = f"/api/v1/cobuild/projects/{project['id']}"
    assert unit.post(f"{url}/start/", {"version": 9}, format="json").status_code == 409
    started = unit.post(f"{url}/start/", {"version": project["version"]}, format="json").json()
    assert started["steps"] == ["milestone"]
    done = unit.post(f"{url}/milestone/", {"version": started["version"], "milestone": started["milestones"][0]["id"],
                                           "report": "开班"}, format="json").json()
    finished = unit.post(f"{url}/finish/", {"version": done["version"], "report": "结业"}, format="json").json()
    assert unit.post(f"{url}/evaluate/", {"version": finished["version"], "score": 90, "evaluation": "好"},
                     format="json").status_code == 403
    evaluated = office.post(f"{url}/evaluate/", {"version": finished["version"], "score": 70, "evaluation": "良"},
                            format="json").json()
    assert (evaluated["stage"], evaluated["grade"]) == ("evaluated", "B")
