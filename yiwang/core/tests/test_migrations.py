"""Migrations are history, frozen when written: they import no live yiwang code (which changes after them)
and they agree with the models.

The one exception is what makemigrations itself writes: a field whose `upload_to` or `default` is a
function of the models module is recorded by reference (`yiwang.cases.models.attachment_path`), because
Django compares that reference to detect changes. Anything else, such as data or a helper imported from
the app, belongs written out inside the migration.
"""

import ast
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

PACKAGE = Path(__file__).resolve().parents[2]
MIGRATIONS = sorted(path for path in PACKAGE.glob("*/migrations/0*.py"))
# The field options whose value makemigrations writes as a reference to a function of the models module.
FIELD_CALLABLES = {"upload_to", "default"}
# The modules of custom field classes, which makemigrations writes by reference (`yiwang.core.crypto.…Field`).
FIELD_MODULES = {("yiwang", "core", "crypto")}


def _dotted(node) -> str:
    """`yiwang.cases.models.attachment_path` for that attribute chain, "" for anything else."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return ".".join([node.id, *reversed(parts)]) if isinstance(node, ast.Name) else ""


def live_code_used(source: str) -> list[str]:
    """What a migration's source takes from live yiwang code, beyond the field callables allowed above."""
    tree = ast.parse(source)
    allowed = set()  # the `yiwang` names inside an allowed field option's value
    for node in ast.walk(tree):
        called = _dotted(node.func).split(".") if isinstance(node, ast.Call) else []
        if tuple(called[:-1]) in FIELD_MODULES and called[-1].endswith("Field"):
            allowed.update(id(name) for name in ast.walk(node.func) if isinstance(name, ast.Name))
        if isinstance(node, ast.keyword) and node.arg in FIELD_CALLABLES:
            parts = _dotted(node.value).split(".")
            if parts[0] == "yiwang" and len(parts) == 4 and parts[2] == "models":
                allowed.update(id(name) for name in ast.walk(node.value) if isinstance(name, ast.Name))
    used = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "yiwang":
            used.append(f"line {node.lineno}: from {node.module} import …")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                at_top = node in tree.body
                if parts[0] == "yiwang" and not (at_top and (len(parts) == 3 and parts[2] == "models"
                                                             or tuple(parts) in FIELD_MODULES)):
                    used.append(f"line {node.lineno}: import {alias.name}")
        elif isinstance(node, ast.Name) and node.id == "yiwang" and id(node) not in allowed:
            used.append(f"line {node.lineno}: {node.id}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.startswith("yiwang."):
            used.append(f"line {node.lineno}: {node.value!r}")  # importlib.import_module("yiwang.…")
    return used


def test_every_app_has_migrations_to_scan():
    apps = {path.parent.parent.name for path in MIGRATIONS}
    assert apps == {"accounts", "areas", "audit", "cases", "cobuild", "core", "finance", "grids", "maritime", "notifications", "online", "stats", "triage", "warnings"}


def test_no_migration_imports_live_application_code():
    offending = {
        str(path.relative_to(PACKAGE)): used for path in MIGRATIONS if (used := live_code_used(path.read_text()))
    }
    assert not offending, offending


@pytest.mark.parametrize(
    "source",
    [
        "from yiwang.accounts.permissions import DEFAULT_ROLES\n",
        "def f(apps, schema_editor):\n    from yiwang.stats.aggregates import rebuild\n    rebuild()\n",
        "import yiwang.accounts.permissions\nROLES = yiwang.accounts.permissions.DEFAULT_ROLES\n",
        "import yiwang.cases.models\nX = yiwang.cases.models.Case\n",
        "import importlib\nm = importlib.import_module('yiwang.online.migrations.0006_online_intake_role')\n",
        "def f(apps, schema_editor):\n    import yiwang.cases.models\n",
    ],
)
def test_the_scan_catches_live_code_however_it_is_imported(source):
    assert live_code_used(source)


def test_the_scan_lets_makemigrations_refer_to_a_field_function():
    source = (
        "import yiwang.cases.models\n"
        "from django.db import models\n"
        "F = models.FileField(upload_to=yiwang.cases.models.attachment_path)\n"
        "T = models.CharField(default=yiwang.cases.models._new_token)\n"
    )
    assert live_code_used(source) == []


def test_the_scan_lets_makemigrations_refer_to_a_custom_field_class():
    source = "import yiwang.core.crypto\nF = yiwang.core.crypto.EncryptedCharField(max_length=11)\n"
    assert live_code_used(source) == []
    assert live_code_used("import yiwang.core.crypto\nX = yiwang.core.crypto.encrypt('1')\n")


def test_the_models_and_the_migrations_agree(db):
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # SystemExit(1) when they differ


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL-only index")
def test_party_names_have_a_trigram_index_on_postgresql(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'cases_party_name_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "gin_trgm_ops" in definition
