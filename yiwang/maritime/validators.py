"""What a vessel's identifiers must look like.

A Chinese fishing vessel's name (渔船船名) is the province's one-character abbreviation, the county's
character(s), the type character 渔 (with a second character for a carrier 运, refrigerated 冷, auxiliary
辅 or aquaculture 养 vessel) and a serial: 浙普渔64110 is a 普陀 fishing vessel of 浙江. Other vessels'
names follow no national pattern and are accepted as given.

An MMSI (Maritime Mobile Service Identity) is nine digits; a ship station's begins with its country's
MID (Maritime Identification Digits): China's are 412, 413 and 414 (ITU MID table).
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# The provinces (and municipalities) with a coast, by the abbreviation vessel names use.
COASTAL_PROVINCES = "辽冀津鲁苏沪浙闽粤桂琼"
FISHING_NAME = re.compile(rf"^(?P<province>[{COASTAL_PROVINCES}])(?P<county>[\u4e00-\u9fff]{{1,2}}?)"
                          r"(?P<type>渔[运冷辅养]?)(?P<serial>\d{4,5})$")
MMSI = re.compile(r"^\d{9}$")
CHINESE_MIDS = ("412", "413", "414")


def normalise_name(name: str) -> str:
    """Spaces and full-width digits are how names arrive from paper forms and spreadsheets."""
    name = (name or "").strip().replace(" ", "").replace("\u3000", "")
    return name.translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def check_fishing_vessel_name(name: str) -> re.Match:
    """The parts of a fishing vessel's name; a ValidationError saying what is wrong otherwise."""
    match = FISHING_NAME.match(name)
    if match is None:
        raise ValidationError(_(
            "A fishing vessel's name is the province's and county's characters, 渔 (or 渔运, 渔冷, 渔辅, 渔养) "
            "and a serial of 4 or 5 digits, e.g. 浙普渔64110."))
    return match


def validate_mmsi(mmsi: str, *, chinese: bool = True) -> None:
    """Nine digits; a Chinese vessel's begin with 412, 413 or 414."""
    if not MMSI.match(mmsi or ""):
        raise ValidationError(_("An MMSI is nine digits."))
    if chinese and not mmsi.startswith(CHINESE_MIDS):
        raise ValidationError(_("A Chinese vessel's MMSI begins with 412, 413 or 414."))
    if not chinese and mmsi.startswith(CHINESE_MIDS):
        raise ValidationError(_("An MMSI beginning with 412, 413 or 414 is a Chinese vessel's."))
