"""Retention: archived cases are anonymised once settings.RETENTION_DAYS have passed since they were closed
(YIWANG_RETENTION_DAYS, or YIWANG_RETENTION_YEARS × 365; 10 years by default).

    get_due_parties(now=None) → QuerySet[Party]    the parties of due cases still holding personal data
    anonymise_case(case)                           one case, in the caller's transaction
    do_anonymise_due(now=None, batch=None) → int   every due case, `batch` cases a transaction; audited
    anonymise_due                                  the task (django.tasks); `yiwang anonymise_archived` runs it

What is replaced: a person's name (by ANONYMOUS), ID number, mobile number and address; an organisation's
legal representative and mobile number (the organisation's name and credit code are not personal data); the
same in the agreement's parties snapshot. The apps built on cases do the same to their records of the case
through hooks.case_anonymised (online: codes' phones, signers' names and addresses, room messages and
evidence names; maritime: the record's, tasks' and services' texts). Free text (the facts, claims, notes, the agreement's clauses) is
kept, because it is what the case was about and what later cases are compared with, but redacted: ID numbers,
mobile numbers and the parties' names in it are replaced by REDACTED. What the statistics count (area, type,
channel, tier, dates, outcome, amounts) is not touched, so every figure stays as it was.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from yiwang.core.tasks import task

ANONYMOUS = "已匿名"
REDACTED = "＊＊＊"
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def get_cutoff(now=None) -> dt.datetime:
    return (now or timezone.now()) - dt.timedelta(days=settings.RETENTION_DAYS)


def get_due_parties(now=None):
    from yiwang.cases.models import Party, PartyKind, Status

    still_personal = (
        (Q(kind=PartyKind.PERSON) & ~Q(name=ANONYMOUS)) | ~Q(id_number="") | ~Q(phone="") | ~Q(representative="")
        | (Q(kind=PartyKind.PERSON) & ~Q(address=""))
    )
    return Party.objects.filter(case__status=Status.ARCHIVED, case__closed_at__lt=get_cutoff(now)).filter(
        still_personal)


def redact(text: str, names: list[str]) -> str:
    if not text:
        return text
    text = MOBILE.sub(REDACTED, ID_NUMBER.sub(REDACTED, text))
    for name in sorted(names, key=len, reverse=True):
        if len(name) >= 2:
            text = text.replace(name, REDACTED)
    return text


def _anonymous_party(values: dict) -> dict:
    person = values.get("kind", "person") == "person"
    return {**values, "name": ANONYMOUS if person else values.get("name", ""), "id_number": "", "phone": "",
            "address": "" if person else values.get("address", ""), "representative": ""}


def _text_fields(model) -> list[str]:
    from yiwang.core.crypto import encrypted_fields

    encrypted = set(encrypted_fields(model))
    return [f.name for f in model._meta.concrete_fields if isinstance(f, models.TextField) and f not in encrypted]


def anonymise_case(case) -> list[str]:
    """Anonymise one case's parties, texts and agreements (see the module); the field names changed."""
    from yiwang.cases.models import Agreement, Case, Party, PartyKind

    parties = list(case.parties.all())
    names = [p.name for p in parties if p.kind == PartyKind.PERSON and p.name != ANONYMOUS]
    names += [p.representative for p in parties if p.representative]
    for party in parties:
        new = _anonymous_party({"kind": party.kind, "name": party.name, "address": party.address})
        Party.objects.filter(pk=party.pk).update(
            name=new["name"], id_number="", id_number_hash="", phone="", phone_hash="", address=new["address"],
            representative="")
    texts = {name: redact(getattr(case, name), names) for name in _text_fields(Case)}
    Case.objects.filter(pk=case.pk).update(**texts)  # not an action's save: no version, no statistics change
    for agreement in Agreement.objects.filter(case=case):
        changes = {name: redact(getattr(agreement, name), names) for name in _text_fields(Agreement)}
        changes["parties_snapshot"] = [_anonymous_party(p) for p in agreement.parties_snapshot or []]
        Agreement.objects.filter(pk=agreement.pk).update(**changes)
    from yiwang.core import hooks

    hooks.case_anonymised.call(case, lambda text: redact(text, names))  # online, maritime: their own records
    return ["parties", *texts]


def do_anonymise_due(now=None, *, batch: int | None = None) -> int:
    """Anonymise every archived case past the retention period, `batch` cases per transaction (each audited).
    Idempotent: an anonymised case is not due again. Returns how many cases were anonymised."""
    from yiwang.audit.actions import record
    from yiwang.cases.models import Case

    batch = batch or settings.RETENTION_BATCH
    done = 0
    while True:
        ids = list(get_due_parties(now).order_by("case_id").values_list("case_id", flat=True).distinct()[:batch])
        if not ids:
            return done
        with transaction.atomic():
            for case in Case.objects.filter(pk__in=ids).select_for_update().order_by("pk"):
                fields = anonymise_case(case)
                record(None, "privacy.anonymised", case, actor_name="scheduler",
                       retention_days=settings.RETENTION_DAYS, closed_at=case.closed_at.isoformat(), fields=fields)
                done += 1


@task()
def anonymise_due() -> int:
    """Background task: anonymise the archived cases past the retention period (see do_anonymise_due)."""
    return do_anonymise_due()
