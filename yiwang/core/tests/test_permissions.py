"""Every permission code the software checks is declared by exactly one app.

A role is a list of codes typed in the admin, and a check is a code typed in the source: a typo on either
side is a silent refusal. Roles are checked against the registry (accounts/tests/test_roles.py); here the
source is scanned, so that code checking a code nobody declares fails the suite.
"""

import ast
import re
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from yiwang.core.permissions import (
    PermissionRegistry,
    get_permission_codes,
    get_permissions,
    get_unknown_codes,
    register_permissions,
)

PACKAGE = Path(__file__).resolve().parents[2]

# Scope's functions (and the template filter's): every string handed to them is a permission code.
CHECKS = {"user_can", "visible_to", "get_area_prefixes", "get_visible_or_404", "get_users_who_can", "can"}
# The apps' own wrappers and keywords: names shared with other things (grids' `_require` checks a required
# field, argparse takes `action=`), so only code-shaped strings there count.
WRAPPERS = {"_require", "_can", "_get_case"}
CODE_KEYWORDS = {"action", "actions", "permission"}
# Code-shaped strings that are something else: a serializer's dotted source, a receiver's id, a registered name,
# a notice's kind ("warning.raised", core.notices).
NOT_CODE_KEYWORDS = {"source", "dispatch_uid", "name", "kind", "page"}  # page: a page name (registry.PagePanel)
# Calls whose first argument is a code of another vocabulary: a job kind ("stats.export"), an audit verb.
NOT_CODE_CALLS = {"register_job", "start_job", "record", "Kind"}
CODE_SHAPE = re.compile(r"^[a-z][a-z_]*\.[a-z][a-z_]*$")
TEMPLATE_CAN = re.compile(r"""\|\s*can\s*:\s*["']([^"']*)["']""")
TEMPLATE_COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)


def _strings(node):
    """The string constants in `node`, looking into tuples, lists and sets of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node
    elif isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        for element in node.elts:
            yield from _strings(element)


def _called_name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def scan_python(source: str, nouns: set[str]) -> list[tuple[int, str]]:
    """(line, code) for every permission code `source` names: each string passed to scope's functions,
    each code-shaped string passed to an app's wrapper or as `action=`/`permission=`, and each
    code-shaped string elsewhere whose noun (`case` in `case.view`) is one some app declares codes under,
    e.g. a lifecycle table's entries."""
    tree = ast.parse(source)
    found: dict[int, tuple[int, str]] = {}
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _called_name(node)
        if name in NOT_CODE_CALLS and node.args:
            skipped.update(id(string) for string in _strings(node.args[0]))
        loose = [*node.args] if name in WRAPPERS else []
        for keyword in node.keywords:
            if keyword.arg in CODE_KEYWORDS:
                loose.append(keyword.value)
            elif keyword.arg in NOT_CODE_KEYWORDS:
                skipped.update(id(string) for string in _strings(keyword.value))
        for string in (s for argument in node.args if name in CHECKS for s in _strings(argument)):
            found[id(string)] = (string.lineno, string.value)
        for string in (s for argument in loose for s in _strings(argument) if CODE_SHAPE.match(s.value)):
            found[id(string)] = (string.lineno, string.value)
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
                and CODE_SHAPE.match(node.value) and node.value.split(".")[0] in nouns):
            found.setdefault(id(node), (node.lineno, node.value))
    return sorted(found.values())


def _source_files(suffixes):
    for path in sorted(PACKAGE.rglob("*")):
        parts = path.relative_to(PACKAGE).parts
        if path.suffix in suffixes and "tests" not in parts and "migrations" not in parts:
            yield path


def named_codes() -> dict[str, list[str]]:
    """code → where the source names it ("cases/actions.py:604"), outside tests, migrations and the
    declarations themselves (each app's permissions.py, which also holds the default roles)."""
    nouns = {code.split(".")[0] for code in get_permission_codes()}
    named: dict[str, list[str]] = {}
    for path in _source_files({".py"}):
        if path.name == "permissions.py":
            continue
        for line, code in scan_python(path.read_text(encoding="utf-8"), nouns):
            named.setdefault(code, []).append(f"{path.relative_to(PACKAGE)}:{line}")
    for path in _source_files({".html", ".txt"}):
        for code in TEMPLATE_CAN.findall(TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))):
            named.setdefault(code, []).append(str(path.relative_to(PACKAGE)))
    return named


def test_every_code_the_source_checks_is_declared():
    named = named_codes()
    undeclared = {code: places for code, places in named.items() if code not in get_permission_codes()}
    assert not undeclared, f"checked but declared by no app (a typo, or a missing register_permissions): {undeclared}"


def test_every_declared_code_is_checked_somewhere():
    unchecked = get_permission_codes() - set(named_codes())
    assert not unchecked, f"declared but never checked: {sorted(unchecked)}"


def test_the_scan_sees_codes_at_call_sites_in_tables_and_in_templates():
    source = '''
Case.objects.visible_to(user, "case.veiw")
user_can(user, "staff_only", area)                      # any string handed to a check, code-shaped or not
_require(by, ("case.route", "case.rout"), case)
_require(reason, "reason", "Say why.")                   # grids' required-field helper: not a code
parser.add_argument("--force", action="store_true")
STEPS = {"accept": ("grid.dispach", ("reported",), "accepted")}
event(case, by, "accepted", permission="cse.route")
name = serializers.CharField(source="case.number")     # a dotted source, not a code
@receiver(post_save, dispatch_uid="stats.case_saved")
def f(): pass
'''
    found = [code for _line, code in scan_python(source, {"case", "grid", "stats"})]
    assert sorted(found) == sorted(["case.veiw", "staff_only", "case.route", "case.rout", "grid.dispach", "cse.route"])
    template = '{# guarded by user|can:"action" #}{% if user|can:"case.intake" %}{% if user|can:\'grid.veiw\' %}'
    assert TEMPLATE_CAN.findall(TEMPLATE_COMMENT.sub("", template)) == ["case.intake", "grid.veiw"]


def test_each_app_declares_the_codes_it_checks():
    from yiwang.core.permissions import registry

    owners = {code: registry.declared_by(code) for code in get_permission_codes()}
    assert {code: owner for code, owner in owners.items() if code.startswith("case.")} == {
        code: "cases" for code in owners if code.startswith("case.")
    }
    assert owners["grid.dispatch"] == "grids"
    assert owners["stats.view"] == "stats"
    assert owners["audit.view"] == "audit"
    assert owners["pii.view"] == "accounts"
    assert owners["area.view"] == owners["masterdata.change"] == "areas"


def test_every_declared_code_has_a_label():
    assert all(str(label) for label in get_permissions().values())
    assert list(get_permissions()) == sorted(get_permission_codes())


def test_two_apps_declaring_one_code_fail_and_add_nothing():
    registry = PermissionRegistry()
    registry.register("cases", {"case.view": "See cases"})
    with pytest.raises(ImproperlyConfigured, match="'case.view' is declared by both 'cases' and 'banks'"):
        registry.register("banks", {"bank.submit": "Submit", "case.view": "See cases"})
    assert registry.codes() == {"case.view"}
    assert registry.declared_by("case.view") == "cases"


def test_an_installed_apps_code_cannot_be_declared_again_by_another():
    from yiwang.core.permissions import registry

    before = get_permissions()
    with pytest.raises(ImproperlyConfigured, match="declared by both 'cases' and 'online'"):
        register_permissions("online", {"online.file": "File online", "case.view": "See cases"})
    assert get_permissions() == before
    assert registry.declared_by("case.view") == "cases"


def test_an_app_declaring_its_own_code_again_changes_nothing():
    registry = PermissionRegistry()
    registry.register("stats", {"stats.view": "Read statistics"})
    registry.register("stats", {"stats.view": "Read statistics"})
    assert registry.codes() == {"stats.view"}


@pytest.mark.parametrize("code", ["caseview", "Case.view", "case.view.all", "case.", ".view", "case view"])
def test_a_malformed_code_cannot_be_declared(code):
    with pytest.raises(ImproperlyConfigured, match="is not a permission code"):
        PermissionRegistry().register("cases", {code: "?"})


def test_unknown_codes_are_listed_once_in_their_order():
    assert get_unknown_codes(["case.view", "case.veiw", "grid.veiw", "case.veiw"]) == ["case.veiw", "grid.veiw"]
    assert get_unknown_codes([]) == []
