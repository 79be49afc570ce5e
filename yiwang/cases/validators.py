"""Checks for identifiers on cases: resident ID numbers (GB 11643), mobile numbers, credit codes."""

import datetime as dt
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"
ID_PATTERN = re.compile(r"^[0-9]{17}[0-9X]$")
# GB 2260 provinces (the first two digits of an ID number's region): 11 Beijing … 65 Xinjiang, 71 Taiwan,
# 81/82 Hong Kong/Macao (residence permits), 83 the residence permits of Taiwan residents.
ID_PROVINCES = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
                "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
                "81", "82", "83"}


def id_check_character(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of a resident ID number."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK[total % 11]


def validate_id_number(value: str) -> None:
    """A resident ID number: 18 characters, a known province and a county in it, a birth date that exists
    (from 1900 up to today), the right check character."""
    value = (value or "").upper()
    if not ID_PATTERN.match(value):
        raise ValidationError(_("An ID number has 17 digits and a check digit or X."), code="id_format")
    if value[:2] not in ID_PROVINCES or value[2:6] == "0000":
        raise ValidationError(_("The region code of this ID number does not exist."), code="id_region")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        birth = None
    if birth is None or birth.year < 1900:
        raise ValidationError(_("The birth date in this ID number is not a valid date."), code="id_birth_date")
    if birth > timezone.localdate():
        raise ValidationError(_("The birth date in this ID number is in the future."), code="id_birth_date")
    if id_check_character(value[:17]) != value[17]:
        raise ValidationError(_("The check character of this ID number is wrong."), code="id_check")


def validate_mobile(value: str) -> None:
    """A mainland mobile number: 11 digits starting 1[3-9], and a mobile number for phonenumbers."""
    value = value or ""
    if not re.fullmatch(r"1[3-9]\d{9}", value):
        raise ValidationError(_("A mobile number has 11 digits and starts with 13 to 19."), code="mobile_format")
    try:
        parsed = phonenumbers.parse(value, "CN")
    except phonenumbers.NumberParseException:
        raise ValidationError(_("This is not a valid mobile number."), code="mobile_invalid") from None
    if not phonenumbers.is_valid_number(parsed) or phonenumbers.number_type(parsed) not in (
        phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValidationError(_("This is not a valid mobile number."), code="mobile_invalid")


CREDIT_CODE_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_code_check_character(first17: str) -> str:
    """The GB 32100 check character of a unified social credit code."""
    total = sum(CREDIT_CODE_CHARS.index(c) * w for c, w in zip(first17, CREDIT_WEIGHTS, strict=True))
    return CREDIT_CODE_CHARS[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """A unified social credit code (统一社会信用代码): 18 characters with a GB 32100 check character."""
    value = (value or "").upper()
    if len(value) != 18 or any(c not in CREDIT_CODE_CHARS for c in value):
        raise ValidationError(_("A unified social credit code has 18 digits and capital letters."),
                              code="credit_format")
    if credit_code_check_character(value[:17]) != value[17]:
        raise ValidationError(_("The check character of this credit code is wrong."), code="credit_check")


# 案号 (court case numbers), 《最高人民法院关于人民法院案件案号的若干规定》: （year）+ the court's code
# (the province's abbreviation, then two digits for an intermediate court and four for a basic one; 最高法
# for the Supreme People's Court) + the case-type characters (民初, 民终, 民特, 民诉前调, 执, 刑初…) + a
# sequence + 号. Parentheses may be full-width or half-width; the number is kept with full-width ones.
PROVINCE_ABBREVIATIONS = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新兵"
# The first character of every case-type code in the regulation's annex (民事, 刑事, 行政, 执行, 国家赔偿,
# 司法救助, 司法协助, 破产, 财产保全, 认可与执行, 知识产权, 海事, 区际…).
CASE_TYPE_FIRST = "民刑行执赔司协破财认知海区国请委监"
COURT_CASE_NUMBER = re.compile(
    r"^(?P<open>[（(])(?P<year>\d{4})(?P<close>[）)])"
    rf"(?P<court>最高法|[{PROVINCE_ABBREVIATIONS}](?:\d{{2}}|\d{{4}})?)"
    rf"(?P<type>[{CASE_TYPE_FIRST}][\u4e00-\u9fff]{{0,5}}?)"
    r"(?P<sequence>[1-9]\d{0,6})号$"
)


def normalise_court_case_number(value: str) -> str:
    """A 案号 as stored: no spaces, full-width parentheses."""
    value = re.sub(r"\s+", "", value or "")
    return value.replace("(", "（").replace(")", "）")


def validate_court_case_number(value: str, *, today=None) -> None:
    """A court case number in the national format, e.g. （2026）浙0903民初1234号: a plausible year (1998, the
    first year of the format, to next year), matching parentheses, a court code, case-type characters,
    a sequence without leading zeros, and 号."""
    from django.utils import timezone

    value = re.sub(r"\s+", "", value or "")
    match = COURT_CASE_NUMBER.match(value)
    if match is None or (match["open"] == "(") != (match["close"] == ")"):
        raise ValidationError(
            _("A court case number reads like （2026）浙0903民初1234号: the year in parentheses, the court's "
              "code, the case type, a sequence number and 号."), code="court_number_format")
    year = int(match["year"])
    if not 1998 <= year <= (today or timezone.localdate()).year + 1:
        raise ValidationError(_("The year in this court case number is not plausible."), code="court_number_year")
