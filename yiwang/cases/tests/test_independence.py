"""The disputes app is a base app: nothing in yiwang/cases (code, tests, templates) imports or names the
apps built on it (grids, online, stats). They add their panels, tiles and API fields through
yiwang.core.registry and follow cases through yiwang.core.hooks."""

import ast
import re
from pathlib import Path

import pytest

CASES = Path(__file__).resolve().parents[1]
ABOVE = ("grids", "online", "stats")
# Migrations are frozen history; this file names the apps only to look for them.
PYTHON = sorted(p for p in CASES.rglob("*.py") if "migrations" not in p.parts and p != Path(__file__).resolve())
TEMPLATES = sorted(CASES.rglob("*.html")) + sorted(CASES.rglob("*.txt"))

# A module path (yiwang.grids…), a model label ("online.SignedAgreement"), a URL name ('stats:home') or a
# template of theirs ("grids/…html"); a permission code such as "stats.view" is data, not a reference.
_NAMED = re.compile(
    rf"yiwang\.(?:{'|'.join(ABOVE)})\b"
    rf"|\b(?:{'|'.join(ABOVE)})\.[A-Z]\w*"
    rf"|['\"](?:{'|'.join(ABOVE)}):\w+"
    rf"|['\"](?:{'|'.join(ABOVE)})/[\w/.-]+\.(?:html|txt)"
)


def _imports(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def _references(tree: ast.AST) -> list[str]:
    """String constants naming the apps above (lazy model labels, import_module paths, URL names)."""
    return [node.value for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and _NAMED.search(repr(node.value))]


def test_the_scan_sees_the_app_and_would_catch_an_upward_import():
    assert len(PYTHON) > 20 and any(p.name == "detail.html" for p in TEMPLATES)
    tree = ast.parse("from yiwang.grids.models import Problem\nx = 'online.SignedAgreement'\n")
    assert _imports(tree) == ["yiwang.grids.models"] and _references(tree) == ["online.SignedAgreement"]
    assert _NAMED.search("{% include \"online/_case_panel.html\" %}") and _NAMED.search("{% url 'grids:x' 1 %}")
    assert not _NAMED.search('LEAD_LEADER_ACTION = "stats.view"')


@pytest.mark.parametrize("path", PYTHON, ids=lambda p: str(p.relative_to(CASES)))
def test_no_module_of_cases_imports_or_names_an_app_built_on_it(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    upward = [name for name in _imports(tree)
              if any(name == f"yiwang.{app}" or name.startswith(f"yiwang.{app}.") for app in ABOVE)]
    assert not upward, f"{path.name} imports {upward}"
    assert not _references(tree), f"{path.name} names {_references(tree)}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(CASES)))
def test_no_template_of_cases_refers_to_an_app_built_on_it(path):
    found = _NAMED.findall(path.read_text(encoding="utf-8"))
    assert not found, f"{path.name} refers to {found}"
