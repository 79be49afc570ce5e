"""Every verb the code records reads in words in the audit log, in Chinese by default."""

import re
from pathlib import Path

import pytest
from django.utils import translation

import yiwang
from yiwang.audit import verbs
from yiwang.cases.models import EventKind
from yiwang.grids.actions import STEPS

# record(by, "cases.pii_viewed", …) and audit.record(…): the verb is the second argument.
RECORDED = re.compile(r"\brecord\(\s*[^,()\"]+(?:\([^()]*\))?\s*,\s*\"([a-z_]+\.[a-z_]+)\"")


def recorded_verbs() -> set[str]:
    root = Path(yiwang.__file__).parent
    found = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found.update(RECORDED.findall(path.read_text(encoding="utf-8")))
    return found


def test_the_scan_finds_the_verbs_of_several_apps():
    found = recorded_verbs()
    assert {"auth.login", "cases.pii_viewed", "grids.visit_logged", "online.filed", "core.job_started"} <= found


def test_every_verb_recorded_in_the_code_has_a_label():
    unnamed = sorted(verb for verb in recorded_verbs() if verbs.label(verb) == verb)
    assert unnamed == []


@pytest.mark.parametrize("kind", list(EventKind))
def test_each_step_of_a_case_reads_as_its_timeline_label(kind):
    with translation.override("zh-hans"):
        assert verbs.label(f"cases.{kind.value}") == f"案件：{kind.label}"


def test_grid_steps_and_unknown_verbs():
    with translation.override("zh-hans"):
        assert verbs.label("grids.problem_accept") == f"网格问题：{STEPS['accept'][3]}"
        assert verbs.label("cases.pii_viewed") == "案件：完整显示个人信息"
        assert verbs.label("auth.login") == "登录"
    assert verbs.label("nobody.named_this") == "nobody.named_this"
    assert verbs.object_type_label("nobody.model") == "nobody.model"


@pytest.mark.django_db
def test_the_admin_log_reads_in_chinese(cast):
    from yiwang.audit.actions import record

    record(cast.admin, "auth.login")
    record(cast.admin, "cases.pii_viewed")
    page = cast.client("admin").get("/admin/audit/auditevent/").content.decode()
    assert "案件：完整显示个人信息" in page and "登录" in page
    assert ">cases.pii_viewed<" not in page and ">auth.login<" not in page
