"""The per-phone code limit holds when requests for codes arrive at the same moment (each on its own
connection): no more codes are sent than the hour allows."""

import secrets as real_secrets
import time
import types

import pytest

from yiwang.cases.tests.test_concurrency import run_at_once
from yiwang.core import crypto
from yiwang.core.models import Notification
from yiwang.online.actions import CodeRefused, access, issue_code
from yiwang.online.models import CodePurpose, OneTimeCode

PHONE = "13957012345"
REQUESTS = 6
LIMIT = 2


@pytest.fixture
def slow_between_count_and_send(monkeypatch):
    """Hold every request between reading the hour's count and writing its code, so that without the
    lock all of them would read the same count below the limit (the race made certain, not lucky)."""

    def randbelow(n):
        time.sleep(0.15)
        return real_secrets.randbelow(n)

    shim = types.SimpleNamespace(randbelow=randbelow, token_hex=real_secrets.token_hex,
                                 token_urlsafe=real_secrets.token_urlsafe)
    monkeypatch.setattr(access, "secrets", shim)


def ask(purpose):
    def call():
        try:
            return issue_code(PHONE, purpose).pk
        except CodeRefused as refusal:
            return refusal.code
    return call


@pytest.mark.django_db(transaction=True)
def test_requests_at_once_for_the_same_purpose_send_no_more_than_the_limit(settings, slow_between_count_and_send):
    settings.SMS_CODES_PER_HOUR = LIMIT
    results, errors = run_at_once([ask(CodePurpose.ACCESS) for _ in range(REQUESTS)])

    assert not errors, errors
    assert results.count("rate_limited") == REQUESTS - LIMIT
    assert OneTimeCode.objects.filter(crypto.match("phone", PHONE)).count() == LIMIT
    assert Notification.objects.filter(channel="sms").count() == LIMIT  # texts written to the outbox


@pytest.mark.django_db(transaction=True)
def test_requests_at_once_for_different_purposes_count_each_purpose_once(settings, slow_between_count_and_send):
    settings.SMS_CODES_PER_HOUR = LIMIT
    purposes = [CodePurpose.ACCESS, CodePurpose.SIGN, CodePurpose.RATE] * 2
    results, errors = run_at_once([ask(p) for p in purposes])

    assert not errors, errors
    sent = OneTimeCode.objects.filter(crypto.match("phone", PHONE))
    assert len(set(sent.values_list("purpose", flat=True))) == LIMIT  # the third purpose was refused
    assert sent.count() <= LIMIT * LIMIT
    assert all(r == "rate_limited" for r, p in zip(results, purposes, strict=True)
               if p not in set(sent.values_list("purpose", flat=True)))


def test_the_lock_key_is_the_phones_hash_not_the_phone(db):
    """Two spellings of one number share a lock; the lock table never holds the number itself."""
    assert crypto.blind_hash("phone", "139 5701 2345") == crypto.blind_hash("phone", PHONE)
    access._lock_code_limit(PHONE)  # runs on either database without error
