"""The named hooks and the registries themselves: a handler runs once however often it is connected,
a hook refuses to run outside a transaction or with the wrong arguments, registries read in a stable
order. (That the apps connect what they must, and that a failing handler rolls an action back:
yiwang/stats/tests/test_hooks.py.)"""

import pytest
from django.db import transaction

from yiwang.core import hooks, registry


@pytest.mark.django_db
def test_connecting_twice_runs_a_handler_once():
    calls = []

    def handler(case, event):
        calls.append(case)

    hook = hooks.Hook("something_changed", ("case", "event"))
    hook.connect(handler)
    hook.connect(handler)
    with transaction.atomic():
        hook.call("case", "event")
    assert calls == ["case"] and hook.handlers == (handler,)
    hook.disconnect(handler)
    with transaction.atomic():
        hook.call("case", "event")
    assert calls == ["case"]


@pytest.mark.django_db
def test_a_hook_refuses_to_run_outside_a_transaction(monkeypatch):
    class NoTransaction:
        in_atomic_block = False

    monkeypatch.setattr(hooks.transaction, "get_connection", lambda: NoTransaction())
    with pytest.raises(hooks.HookOutsideTransaction):
        hooks.case_changed.call("case", "event")


def test_a_hook_takes_exactly_its_arguments():
    with pytest.raises(TypeError):
        hooks.problem_changed.call("only one")


def test_a_registry_reads_in_order_then_name_and_a_name_registered_again_replaces_it():
    tiles = registry.Registry(registry.HomeTile)
    tiles.register(registry.HomeTile(name="b", template="b.html", context=dict, order=20))
    tiles.register(registry.HomeTile(name="z", template="z.html", context=dict, order=10))
    tiles.register(registry.HomeTile(name="a", template="a.html", context=dict, order=20))
    tiles.register(registry.HomeTile(name="b", template="b2.html", context=dict, order=20))
    assert tiles.names() == ["z", "a", "b"] and [t.template for t in tiles][-1] == "b2.html"
    with pytest.raises(TypeError):
        tiles.register(registry.CaseApiField(name="x", field=dict))
    with pytest.raises(ValueError):
        registry.CasePanel(name="x", template="x.html", context=dict, slot="footer")


@pytest.mark.django_db
def test_a_notice_names_its_readers_and_reaches_the_delivering_app_in_the_transaction():
    from yiwang.core import notices

    with pytest.raises(ValueError, match="recipients"):
        notices.Notice(kind="case.assigned", text="您有新案件", key="k", area_code="330903")
    seen = []
    notices.notice_announced.connect(seen.append)
    try:
        notice = notices.Notice(kind="warning.raised", text="六横镇 7 天内新增劳动纠纷 12 件", key="w:1",
                                area_code="330903100", permission="case.view", urgent=True)
        with transaction.atomic():
            notices.announce(notice)
    finally:
        notices.notice_announced.disconnect(seen.append)
    assert seen == [notice]


def test_page_panels_render_only_the_named_pages_panels_and_leave_out_an_empty_one(monkeypatch):
    from django.template import Context, Template

    panels = registry.Registry(registry.PagePanel)
    monkeypatch.setattr(registry, "page_panels", panels)
    panels.register(registry.PagePanel(name="mine", page="test.thing", template="core/test_panel.html",
                                       context=lambda obj, user: {"label": f"about {obj}"}))
    panels.register(registry.PagePanel(name="empty", page="test.thing", template="core/test_panel.html",
                                       context=lambda obj, user: None))
    panels.register(registry.PagePanel(name="other", page="test.other", template="core/test_panel.html",
                                       context=lambda obj, user: {"label": "elsewhere"}))
    monkeypatch.setattr("yiwang.core.templatetags.registry_tags.render_to_string",
                        lambda template, context, request=None: f"[{context['panel']['label']}]")
    html = Template('{% load registry_tags %}{% page_panels "test.thing" obj %}').render(Context({"obj": "vessel 7"}))
    assert html == "[about vessel 7]"
