"""Finding a person's party records by ID number or mobile number, in one place.

Every lookup of a person by identifier (personal-data requests, yiwang.privacy) goes through
`find_parties`. `Party.id_number` and `Party.phone` are stored encrypted; the lookup filters on their
keyed-hash (HMAC) columns, computed from the normalised value (yiwang.core.crypto.match).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.cases.models import Party
from yiwang.core.crypto import match, normalise


def normalise_id_number(value: str) -> str:
    return normalise("id_number", value)


def normalise_phone(value: str) -> str:
    return normalise("phone", value)


def find_parties(*, id_number: str = "", phone: str = "") -> QuerySet[Party]:
    """The parties (of any case) whose ID number or mobile number is the given one; none when both are
    empty. Scope is the caller's business (filter the cases it may see)."""
    id_number, phone = normalise_id_number(id_number), normalise_phone(phone)
    q = Q()
    if id_number:
        q |= match("id_number", id_number)
    if phone:
        q |= match("phone", phone)
    if not q:
        return Party.objects.none()
    return Party.objects.filter(q)
