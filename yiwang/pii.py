"""Masking personal information (PIPL): show only what a reader needs to recognise the record."""


def mask_phone(phone: str) -> str:
    """138****5678"""
    if not phone:
        return ""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_id_number(number: str) -> str:
    """330903********123X: region kept, birth date and sequence hidden."""
    if not number:
        return ""
    if len(number) < 10:
        return "*" * len(number)
    return f"{number[:6]}{'*' * (len(number) - 10)}{number[-4:]}"


def mask_name(name: str) -> str:
    """张*明 / 王*: the family name and, for long names, the last character."""
    if not name:
        return ""
    if len(name) <= 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def mask_address(address: str) -> str:
    """The first part of an address (down to the village or street), the rest hidden."""
    if not address:
        return ""
    keep = max(6, len(address) // 2)
    return address[:keep] + ("…" if len(address) > keep else "")
