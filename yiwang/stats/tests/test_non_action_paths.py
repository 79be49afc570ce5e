"""The statistics follow cases, problems and visits through the actions' hooks only, so every other way
of writing those rows is either refused or a bulk path that rebuilds: the admin cannot add, change or
delete a case, problems and visits are not in the admin at all, and the demo and `simulate` load in
bulk and then call `rebuild()` (yiwang rebuild_stats)."""

import inspect

from django.contrib import admin

from yiwang.cases.models import Case, CaseEvent
from yiwang.cases.tests.test_pages_case import register
from yiwang.grids.models import Problem, Visit
from yiwang.stats import demo as stats_demo
from yiwang.stats.management.commands import simulate
from yiwang.stats.models import CaseSignature


def test_the_admin_offers_no_way_to_write_a_case_problem_or_visit(cast):
    case = register(cast)
    client = cast.client("admin")  # a superuser: the admin's own permissions would allow anything
    assert client.get("/admin/cases/case/add/").status_code == 403
    assert client.post(f"/admin/cases/case/{case.pk}/change/", {"facts": "改写"}).status_code == 403
    assert client.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"}).status_code == 403
    case.refresh_from_db()
    assert case.facts == "邻居修建围墙占用通道" and CaseSignature.objects.filter(pk=case.pk).exists()
    for model in (Problem, Visit, CaseEvent):
        assert not admin.site.is_registered(model), model
    case_admin = admin.site._registry[Case]
    request = type("Request", (), {"user": cast.admin})()
    assert not (case_admin.has_add_permission(request) or case_admin.has_change_permission(request, case)
                or case_admin.has_delete_permission(request, case))


def test_the_bulk_loaders_rebuild_the_statistics_after_they_load():
    assert "rebuild(" in inspect.getsource(stats_demo.load)
    assert "rebuild(" in inspect.getsource(simulate.Command.handle)
