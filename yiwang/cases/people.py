"""Finding a person's party records by ID number or mobile number, in one place.

Every lookup of a person by identifier (personal-data requests, yiwang.privacy) goes through
`find_parties`, so that when `Party.id_number` and `Party.phone` are stored encrypted with a keyed-hash
(HMAC) lookup column, this function alone changes to filter on the hash of the normalised value.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yiwang.cases.models import Party


def normalise_id_number(value: str) -> str:
    return (value or "").strip().upper()


def normalise_phone(value: str) -> str:
    return "".join(ch for ch in (value or "") if ch.isdigit())[-11:]


def find_parties(*, id_number: str = "", phone: str = "") -> QuerySet[Party]:
    """The parties (of any case) whose ID number or mobile number is the given one; none when both are
    empty. Scope is the caller's business (filter the cases it may see)."""
    id_number, phone = normalise_id_number(id_number), normalise_phone(phone)
    q = Q()
    if id_number:
        q |= Q(id_number=id_number)
    if phone:
        q |= Q(phone=phone)
    if not q:
        return Party.objects.none()
    return Party.objects.filter(q)
