"""The bulk submission's columns (the SPC's 要素式 elements for credit card and financial loan disputes),
the template, reading a file or a JSON batch, and checking one row as the window checks a case.

Reading and checking are pure (no database): the job checks 100,000 rows in Python, then registers
the good ones set-based (cases.actions.bulk).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from yiwang.cases import validators
from yiwang.core.errors import InputError
from yiwang.finance.models import DisputeKind, Guarantee

MAX_ROWS = 100_000
# The template's columns, in order, with whether a row must fill them. The README documents each.
COLUMNS = [
    ("银行业务编号", True), ("纠纷类型", True), ("借款人姓名", True), ("借款人身份证号码", True),
    ("借款人手机号码", True), ("借款人住址", False), ("区划代码", False), ("合同编号", False),
    ("借款本金", False), ("欠款本金", True), ("欠款利息", False), ("违约金及其他费用", False),
    ("逾期起始日期", True), ("年利率", False), ("担保方式", False), ("诉求", True),
]
HEADERS = [name for name, _required in COLUMNS]
REQUIRED = {name for name, required in COLUMNS if required}
# What a spreadsheet may call the rate column: the header with its unit.
ALIASES = {"年利率(%)": "年利率", "年利率（%）": "年利率", "年利率%": "年利率"}
REPORT_COLUMN = "错误说明"
OUTCOME_COLUMN = "处理结果"
# The row report's own columns: a corrected report may be submitted again as it is.
IGNORED = (OUTCOME_COLUMN, REPORT_COLUMN)
KINDS = {label: value for value, label in DisputeKind.choices}
GUARANTEES = {label: value for value, label in Guarantee.choices}
AMOUNT_COLUMNS = ("借款本金", "欠款本金", "欠款利息", "违约金及其他费用")
MAX_AMOUNT = Decimal("1e12")


def get_template() -> bytes:
    """The template workbook: the headers, one example row, and a sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "批量提交"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(["XYK-2026-000001", "信用卡纠纷", "张三", "330903199001011234", "13905800000", "舟山市普陀区沈家门街道",
                  "330903001", "HT-0001", "", "12000.00", "850.50", "120.00", "2026-03-01", "18", "无",
                  "请求被申请人偿还欠款本金、利息及违约金"])
    for index, name in enumerate(HEADERS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(12, 2 * len(name) + 4)
    notes = book.create_sheet("填写说明")
    notes.append(["列名", "是否必填", "说明"])
    for name, required in COLUMNS:
        notes.append([name, "必填" if required else "选填", COLUMN_NOTES[name]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


COLUMN_NOTES = {
    "银行业务编号": "本行业务编号，本行内唯一；重复提交同一编号不会重复立案",
    "纠纷类型": "信用卡纠纷 或 金融借款合同纠纷",
    "借款人姓名": "借款人（被申请人）姓名",
    "借款人身份证号码": "18位居民身份证号码，校验位与出生日期须正确",
    "借款人手机号码": "11位手机号码，用于发送调解短信",
    "借款人住址": "借款人住址",
    "区划代码": "借款人所在地区划代码（9或12位）；不填则按本行所在区域分流",
    "合同编号": "借款合同或信用卡领用合约编号",
    "借款本金": "元，≥0，最多两位小数；金融借款合同纠纷必填",
    "欠款本金": "元，≥0，最多两位小数；不得超过借款本金",
    "欠款利息": "元，≥0，最多两位小数，不填为0",
    "违约金及其他费用": "元，≥0，最多两位小数，不填为0",
    "逾期起始日期": "YYYY-MM-DD，不得晚于今天",
    "年利率": "年利率（%），如 18 表示 18%；超过本行上限的照常受理并标记",
    "担保方式": "无、保证、抵押 或 质押，不填为无",
    "诉求": "申请人（银行）的调解请求",
}


# ----------------------------------------------------------------------------------------------- reading


def _text(value) -> str:
    """A cell as text: a spreadsheet's number 13905800000.0 is "13905800000", a date its ISO form."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(Decimal(repr(value)).normalize()) if value != int(value) else str(int(value))
    return str(value).strip()


def check_headers(headers: list[str], expected: list[str] | None = None) -> list[str]:
    """The headers in the template's names (or `expected`'s, another file of the desk: the payments');
    InputError naming the wrong and the missing ones."""
    expected = HEADERS if expected is None else expected
    aliases = ALIASES if expected is HEADERS else {}
    names = [aliases.get(h.strip(), h.strip()) for h in headers]
    names = ["" if h in IGNORED else h for h in names]
    while names and not names[-1]:
        names.pop()
    unknown = [h for h in names if h and h not in expected]
    missing = [h for h in expected if h not in names]
    repeated = sorted({h for h in names if h and names.count(h) > 1})
    problems = []
    if unknown:
        problems.append(_("Unknown columns: %(names)s.") % {"names": "、".join(unknown)})
    if missing:
        problems.append(_("Missing columns: %(names)s.") % {"names": "、".join(missing)})
    if repeated:
        problems.append(_("Repeated columns: %(names)s.") % {"names": "、".join(repeated)})
    if problems:
        raise InputError({"file": [_("The headers do not match the template; nothing was imported.")] + problems})
    return names


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return codecs.decode(data, encoding)
        except UnicodeDecodeError:
            continue
    raise InputError({"file": _("The file is neither UTF-8 nor GB18030 text.")})


def _too_many(max_rows: int = MAX_ROWS) -> InputError:
    return InputError({"file": _("A batch has at most %(max)s rows; split the file.") % {"max": f"{max_rows:,}"}})


def read_file(data: bytes, expected: list[str] | None = None, max_rows: int = MAX_ROWS) -> list[tuple[int, dict]]:
    """The rows of an .xlsx or .csv file, each (row number in the file, {header: text}) in the template's
    names (or `expected`); the header row is checked first (InputError naming the wrong headers), blank
    rows skipped, more than `max_rows` refused."""
    if data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception:  # noqa: BLE001 - any unreadable workbook is the same refusal to the bank
            raise InputError({"file": _("This workbook cannot be read.")}) from None
        rows = book.worksheets[0].iter_rows(values_only=True)
    else:
        rows = csv.reader(io.StringIO(_decode(data)))
    header = next(rows, None)
    if header is None:
        raise InputError({"file": _("The file is empty.")})
    names = check_headers([_text(h) for h in header], expected)
    result = []
    for line, values in enumerate(rows, start=2):
        texts = [_text(v) for v in values]
        if not any(texts):
            continue
        if len(result) >= max_rows:
            raise _too_many(max_rows)
        result.append((line, {name: (texts[i] if i < len(texts) else "") for i, name in enumerate(names) if name}))
    return result


def read_headers(data: bytes) -> None:
    """Only the header row, checked (InputError): what the request refuses before queuing the batch."""
    if data[:4] == b"PK\x03\x04":
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            header = next(book.worksheets[0].iter_rows(values_only=True, max_row=1), None)
        except Exception:  # noqa: BLE001 - any unreadable workbook is the same refusal to the bank
            raise InputError({"file": _("This workbook cannot be read.")}) from None
    else:
        text = _decode(data.split(b"\n", 1)[0])
        header = next(csv.reader(io.StringIO(text)), None)
    if header is None:
        raise InputError({"file": _("The file is empty.")})
    check_headers([_text(h) for h in header])


def read_json_rows(rows) -> list[tuple[int, dict]]:
    """A JSON batch: a list of objects keyed by the same Chinese headers."""
    if not isinstance(rows, list) or not rows:
        raise InputError({"rows": _("Give a non-empty list of rows.")})
    if len(rows) > MAX_ROWS:
        raise _too_many()
    if not all(isinstance(r, dict) for r in rows):
        raise InputError({"rows": _("Each row is an object keyed by the template's headers.")})
    # A JSON row may leave an optional column out; an unknown key refuses the batch, as a wrong header does.
    unknown = [k for k in dict.fromkeys(k for r in rows for k in r) if ALIASES.get(str(k), str(k)) not in (*HEADERS, *IGNORED)]
    if unknown:
        raise InputError({"rows": [_("The headers do not match the template; nothing was imported."),
                                   _("Unknown columns: %(names)s.") % {"names": "、".join(map(str, unknown))}]})
    return [(line, {ALIASES.get(k, k): _text(v) for k, v in r.items() if ALIASES.get(k, k) not in IGNORED})
            for line, r in enumerate(rows, start=1)]


# ----------------------------------------------------------------------------------------------- checking


@dataclass
class CheckedRow:
    """One row checked: `errors` [(column, message)], `flags` (accepted but marked), and the clean values."""

    line: int
    values: dict
    errors: list = field(default_factory=list)
    flags: list = field(default_factory=list)
    clean: dict = field(default_factory=dict)


_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def _date(text: str) -> dt.date:
    match = _DATE.match(text)
    if not match:
        raise ValueError
    return dt.date(*(int(g) for g in match.groups()))


def _amount(text: str) -> Decimal:
    value = Decimal(text.replace(",", "").replace("，", ""))
    if not value.is_finite() or value < 0 or value >= MAX_AMOUNT or value != round(value, 2):
        raise InvalidOperation
    return value


def birth_date_error(id_number: str, today: dt.date) -> str | None:
    """validators.validate_id_number checks the form and check character; a real birth date is also
    a date that exists (no 30 February) and is not in the future."""
    try:
        born = dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return _("The birth date in this ID number is not a valid date.")
    if born > today or born.year < 1900:
        return _("The birth date in this ID number is not a valid date.")
    return None


def check_row(line: int, values: dict, *, today: dt.date, rate_cap: Decimal, area_prefix: str) -> CheckedRow:
    """Every rule of the bulk submission for one row, each broken rule a message naming its column."""
    row = CheckedRow(line=line, values=values)
    err = row.errors.append
    v = {name: str(values.get(name) or "").strip() for name in HEADERS}
    for name in HEADERS:
        if name in REQUIRED and not v[name]:
            err((name, _("%(column)s is required.") % {"column": name}))
    c = row.clean
    c["reference"] = v["银行业务编号"]
    if len(c["reference"]) > 60:
        err(("银行业务编号", _("A reference has at most 60 characters.")))
    if v["纠纷类型"]:
        c["kind"] = KINDS.get(v["纠纷类型"])
        if c["kind"] is None:
            err(("纠纷类型", _("Unknown kind of dispute “%(value)s”: write 信用卡纠纷 or 金融借款合同纠纷.")
                 % {"value": v["纠纷类型"][:20]}))
    c["name"] = v["借款人姓名"]
    if len(c["name"]) > 100:
        err(("借款人姓名", _("A name has at most 100 characters.")))
    c["id_number"] = v["借款人身份证号码"].upper()
    if c["id_number"]:
        try:
            validators.validate_id_number(c["id_number"])
            problem = birth_date_error(c["id_number"], today)
            if problem:
                err(("借款人身份证号码", problem))
        except ValidationError as e:
            err(("借款人身份证号码", " ".join(e.messages)))
    c["phone"] = v["借款人手机号码"].replace(" ", "").replace("-", "")
    c["address"] = v["借款人住址"]
    if len(c["address"]) > 200:
        err(("借款人住址", _("An address has at most 200 characters.")))
    c["area"] = v["区划代码"]
    if c["area"] and not (c["area"].isdigit() and c["area"].startswith(area_prefix)):
        err(("区划代码", _("Give a division code of the district (%(prefix)s…).") % {"prefix": area_prefix}))
    c["contract_number"] = v["合同编号"][:60]
    for name in AMOUNT_COLUMNS:
        c[name] = None
        if v[name]:
            try:
                c[name] = _amount(v[name])
            except (InvalidOperation, ValueError):
                err((name, _("%(column)s: an amount in yuan, zero or more, with at most two decimals.")
                     % {"column": name}))
    if c.get("kind") == DisputeKind.LOAN and not v["借款本金"]:
        err(("借款本金", _("A loan dispute needs the principal lent.")))
    if c["借款本金"] is not None and c["欠款本金"] is not None and c["欠款本金"] > c["借款本金"]:
        err(("欠款本金", _("The principal owed cannot be more than the principal lent.")))
    c["overdue_since"] = None
    if v["逾期起始日期"]:
        try:
            c["overdue_since"] = _date(v["逾期起始日期"])
            if c["overdue_since"] > today:
                err(("逾期起始日期", _("The date cannot be in the future.")))
        except ValueError:
            err(("逾期起始日期", _("Enter a valid date (YYYY-MM-DD).")))
    c["annual_rate"] = None
    if v["年利率"]:
        try:
            rate = Decimal(v["年利率"].rstrip("%％"))
            if not rate.is_finite() or rate < 0 or rate >= 1000 or rate != round(rate, 2):
                raise InvalidOperation
            c["annual_rate"] = rate
            if rate > rate_cap:
                row.flags.append(_("The annual rate %(rate)s%% is above the cap of %(cap)s%%.")
                                 % {"rate": rate, "cap": rate_cap})
        except (InvalidOperation, ValueError):
            err(("年利率", _("Enter the annual rate in percent, e.g. 18 or 15.4.")))
    c["guarantee"] = GUARANTEES.get(v["担保方式"] or "无")
    if c["guarantee"] is None:
        err(("担保方式", _("Write 无, 保证, 抵押 or 质押.")))
    c["claims"] = v["诉求"]
    # The mobile number is checked here only for a row already refused, so that its report names every
    # bad cell; a row going on is checked by the registration itself (cases.actions.bulk, the window's own
    # check_parties), whose message lands in the same column. One check per row: it is the costliest.
    if row.errors and c["phone"]:
        try:
            validators.validate_mobile(c["phone"])
        except ValidationError as e:
            row.errors.append(("借款人手机号码", " ".join(e.messages)))
    return row


def row_message(row_errors) -> str:
    """The 错误说明 of a row: each column and what is wrong with it."""
    return "；".join(f"{column}：{message}" if column else message for column, message in row_errors)
