"""No module over about 800 lines (STYLE.md): a module that grows past it is split into a package by stage
or concern that re-exports its names. Migrations are generated and left out."""

from pathlib import Path

import yiwang

LIMIT = 800


def test_no_module_is_over_800_lines():
    root = Path(yiwang.__file__).parent
    too_long = {}
    for path in root.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        lines = path.read_text(encoding="utf-8").count("\n")
        if lines > LIMIT:
            too_long[str(path.relative_to(root))] = lines
    assert too_long == {}
