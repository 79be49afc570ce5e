"""Importing the division tree (统计用区划代码) from a CSV file."""

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from yiwang.areas.models import Area
from yiwang.core.codes import CODE_LENGTH, PARENT_LEVEL, Level

HEADER = ["code", "name", "level", "parent_code"]
DATA_DIR = Path(__file__).resolve().parent / "data"
PUTUO_FILE = DATA_DIR / "putuo_divisions.csv"
ZHEJIANG_FILE = DATA_DIR / "zhejiang_divisions.csv"


class DivisionFileError(Exception):
    """The file was refused; `errors` holds one message per bad line (with its line number)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass(frozen=True)
class DivisionRow:
    line: int
    code: str
    name: str
    level: str
    parent_code: str


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int
    unchanged: int


def check_division_rows(text: str) -> list[DivisionRow]:
    """Parse and validate a whole file; raise DivisionFileError listing every bad line."""
    errors: list[str] = []
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or [h.strip() for h in header] != HEADER:
        raise DivisionFileError([_("line 1: the header must be %(header)s") % {"header": ",".join(HEADER)}])
    rows: list[DivisionRow] = []
    seen: dict[str, int] = {}
    levels = set(Level.values)
    for fields in reader:
        line = reader.line_num
        if not fields or all(not f.strip() for f in fields):
            continue
        if len(fields) != 4:
            errors.append(_("line %(line)d: expected 4 columns, found %(n)d") % {"line": line, "n": len(fields)})
            continue
        code, name, level, parent_code = (f.strip() for f in fields)
        problems = []
        if not code.isascii() or not code.isdigit():
            problems.append(_("code %(code)r is not a number") % {"code": code})
        if level not in levels:
            problems.append(_("unknown level %(level)r") % {"level": level})
        elif len(code) != CODE_LENGTH[level]:
            problems.append(
                _("a %(level)s code has %(n)d digits, %(code)r does not")
                % {"level": str(Level(level).label).lower(), "n": CODE_LENGTH[level], "code": code}
            )
        if not name:
            problems.append(_("the name is empty"))
        elif len(name) > 100:
            problems.append(_("the name is longer than 100 characters"))
        if level == Level.PROVINCE:
            if parent_code:
                problems.append(_("a province has no parent"))
        elif level in levels:
            parent_length = CODE_LENGTH[PARENT_LEVEL[level]]
            if parent_code != code[:parent_length] or len(parent_code) != parent_length:
                problems.append(
                    _("parent %(parent)r is not the %(level)s above %(code)r")
                    % {"parent": parent_code, "level": str(PARENT_LEVEL[level].label).lower(), "code": code}
                )
        if code in seen:
            problems.append(_("code %(code)s already appears on line %(first)d") % {"code": code, "first": seen[code]})
        if problems:
            errors.append(_("line %(line)d: %(problems)s") % {"line": line, "problems": _("; ").join(problems)})
            continue
        seen[code] = line
        rows.append(DivisionRow(line, code, name, level, parent_code))
    if not rows and not errors:
        errors.append(_("the file holds no divisions"))
    # Parents must be in the file or already loaded.
    missing = {r.parent_code for r in rows if r.parent_code and r.parent_code not in seen}
    if missing:
        known = set(Area.objects.filter(code__in=missing).values_list("code", flat=True))
        for r in rows:
            if r.parent_code in missing and r.parent_code not in known:
                errors.append(
                    _("line %(line)d: parent %(parent)s is neither in the file nor loaded")
                    % {"line": r.line, "parent": r.parent_code}
                )
    if errors:
        raise DivisionFileError(errors)
    return rows


def read_division_file(path: Path | str) -> str:
    try:
        return Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise DivisionFileError([_("the file cannot be read: %(error)s") % {"error": exc.strerror or exc}]) from exc
    except UnicodeDecodeError as exc:
        raise DivisionFileError([_("the file is not UTF-8 text (byte %(pos)d)") % {"pos": exc.start}]) from exc


def do_load_divisions(path: Path | str, *, by=None) -> LoadResult:
    """Import a division file: all of it or, if any line is bad, none of it. Loading twice changes nothing."""
    from yiwang.audit.actions import record

    rows = check_division_rows(read_division_file(path))
    with transaction.atomic():
        existing = {
            code: (name, level, parent_id)
            for code, name, level, parent_id in Area.objects.filter(official=True)
            .values_list("code", "name", "level", "parent_id")
            .iterator(chunk_size=5000)
        }
        to_create: list[Area] = []
        to_update: list[Area] = []
        unchanged = 0
        for r in sorted(rows, key=lambda r: (len(r.code), r.code)):
            parent = r.parent_code or None
            if r.code not in existing:
                to_create.append(Area(code=r.code, name=r.name, level=r.level, parent_id=parent))
            elif existing[r.code] != (r.name, r.level, parent):
                to_update.append(Area(code=r.code, name=r.name, level=r.level, parent_id=parent))
            else:
                unchanged += 1
        Area.objects.bulk_create(to_create, batch_size=2000)
        Area.objects.bulk_update(to_update, ["name", "level", "parent"], batch_size=2000)
        result = LoadResult(created=len(to_create), updated=len(to_update), unchanged=unchanged)
        if result.created or result.updated:
            record(by, "areas.divisions_loaded", file=Path(path).name, created=result.created, updated=result.updated)
    return result
