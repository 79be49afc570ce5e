"""统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters, checked by the last.

    position 1      registration authority (登记管理部门): 1 机构编制, 5 民政, 9 市场监管(工商), Y 其他 …
    position 2      kind of body, read with the authority: under 民政 (5) 1 社会团体, 2 民办非企业单位
                    (社会服务机构), 3 基金会, 9 其他
    positions 3–8   the administrative division of the registering authority
    positions 9–17  the organisation's code (组织机构代码, GB 11714), with its own check character at 17
    position 18     the check character over positions 1–17

The alphabet leaves out I, O, S, V and Z (too like 1, 0, 5, U and 2).
"""

from __future__ import annotations

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [pow(3, i, 31) for i in range(17)]  # 1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28
ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2]  # GB 11714 over the organisation code's first eight characters

AUTHORITIES = {"1": "机构编制", "5": "民政", "9": "市场监管", "Y": "其他"}
# Under 民政 (5), the second character says which kind of social organisation it is.
CIVIL_AFFAIRS_KINDS = {"1": "association", "2": "private_non_enterprise", "3": "foundation", "9": "other"}


class CreditCodeError(ValueError):
    """The code is not a well-formed unified social credit code; `reason` says which check failed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def check_character(first17: str) -> str:
    """The check character of the first 17 characters (GB 32100-2015, 4.3)."""
    total = sum(ALPHABET.index(char) * weight for char, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def org_check_character(first8: str) -> str:
    """The check character of an organisation code's first eight characters (GB 11714-1997)."""
    total = sum(int(char, 36) * weight for char, weight in zip(first8, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return {10: "X", 11: "0"}.get(value, str(value))


@dataclass(frozen=True)
class CreditCode:
    """A checked code and what it says about the body."""

    code: str

    @property
    def authority(self) -> str:
        return self.code[0]

    @property
    def division(self) -> str:
        return self.code[2:8]

    @property
    def social_kind(self) -> str | None:
        """association, private_non_enterprise, foundation or other for a body registered with 民政; else None."""
        return CIVIL_AFFAIRS_KINDS.get(self.code[1]) if self.authority == "5" else None


def parse_credit_code(value: str) -> CreditCode:
    """The code in `value` (spaces dropped, upper-cased) when every check holds, else CreditCodeError with
    a reason code: length, alphabet, authority, organisation_code, check."""
    code = (value or "").replace(" ", "").upper()
    if len(code) != 18:
        raise CreditCodeError("length")
    if any(char not in ALPHABET for char in code):
        raise CreditCodeError("alphabet")
    if code[0] not in AUTHORITIES:
        raise CreditCodeError("authority")
    if not code[2:8].isdigit():
        raise CreditCodeError("division")
    if org_check_character(code[8:16]) != code[16]:
        raise CreditCodeError("organisation_code")
    if check_character(code[:17]) != code[17]:
        raise CreditCodeError("check")
    return CreditCode(code)
