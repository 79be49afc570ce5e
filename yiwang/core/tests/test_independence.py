"""core is the bottom of the stack: it imports no other yiwang app (every app may import core)."""

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[1]
APPS = {"accounts", "areas", "audit", "cases", "grids", "online", "stats"}


def test_core_imports_no_other_yiwang_app():
    offending = []
    for path in CORE.rglob("*.py"):
        if "tests" in path.relative_to(CORE).parts:  # core's tests may check the apps built on it
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else (
                [alias.name for alias in node.names] if isinstance(node, ast.Import) else [])
            for name in names:
                parts = name.split(".")
                if parts[0] == "yiwang" and len(parts) > 1 and parts[1] in APPS:
                    offending.append(f"{path.relative_to(CORE)}: {name}")
    assert not offending, offending
