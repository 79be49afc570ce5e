"""One-time codes: sent by SMS, stored hashed, single-use, expiring, rate-limited."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from yiwang.core import crypto
from yiwang.online.actions import CODE_MINUTES, MAX_ATTEMPTS, CodeRefused, check_code, issue_code
from yiwang.online.models import CodePurpose, OneTimeCode

PHONE = "13800138000"


def sent_code(outbox) -> str:
    return re.search(r"\d{6}", outbox[-1][1]).group()


def test_a_code_is_sent_by_sms_and_stored_only_hashed(db, outbox):
    otc = issue_code(PHONE, CodePurpose.ACCESS)

    assert outbox[-1][0] == PHONE
    code = sent_code(outbox)
    stored = OneTimeCode.objects.get(pk=otc.pk)
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    assert stored.expires_at - stored.created_at == dt.timedelta(minutes=CODE_MINUTES)


def test_the_right_code_works_once(db, outbox):
    issue_code(PHONE, CodePurpose.ACCESS)
    code = sent_code(outbox)

    assert check_code(PHONE, CodePurpose.ACCESS, code).used_at is not None
    with pytest.raises(CodeRefused) as refusal:
        check_code(PHONE, CodePurpose.ACCESS, code)
    assert refusal.value.code == "no_code"


def test_a_code_expires_after_five_minutes(db, outbox):
    otc = issue_code(PHONE, CodePurpose.ACCESS)
    code = sent_code(outbox)
    OneTimeCode.objects.filter(pk=otc.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    with pytest.raises(CodeRefused) as refusal:
        check_code(PHONE, CodePurpose.ACCESS, code)
    assert refusal.value.code == "expired"


def test_a_wrong_code_is_refused_and_counted_and_five_wrong_tries_lock_the_code(db, outbox):
    otc = issue_code(PHONE, CodePurpose.ACCESS)
    code = sent_code(outbox)
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    for attempt in range(1, MAX_ATTEMPTS + 1):
        with pytest.raises(CodeRefused) as refusal:
            check_code(PHONE, CodePurpose.ACCESS, wrong)
        assert refusal.value.code == "wrong"
        assert OneTimeCode.objects.get(pk=otc.pk).attempts == attempt  # kept although the check failed

    with pytest.raises(CodeRefused) as refusal:
        check_code(PHONE, CodePurpose.ACCESS, code)  # even the right one, now
    assert refusal.value.code == "locked"


def test_only_the_newest_code_works(db, outbox):
    issue_code(PHONE, CodePurpose.ACCESS)
    first = sent_code(outbox)
    issue_code(PHONE, CodePurpose.ACCESS)
    second = sent_code(outbox)

    if first != second:
        with pytest.raises(CodeRefused):
            check_code(PHONE, CodePurpose.ACCESS, first)
    assert check_code(PHONE, CodePurpose.ACCESS, second)


def test_a_code_for_one_purpose_does_not_serve_another(db, outbox):
    issue_code(PHONE, CodePurpose.ACCESS)
    with pytest.raises(CodeRefused):
        check_code(PHONE, CodePurpose.SIGN, sent_code(outbox))


def test_codes_per_phone_are_limited_per_hour(db, outbox, settings):
    settings.SMS_CODES_PER_HOUR = 3
    for _ in range(3):
        issue_code(PHONE, CodePurpose.ACCESS)

    with pytest.raises(CodeRefused) as refusal:
        issue_code(PHONE, CodePurpose.ACCESS)  # a fourth for the same purpose
    assert refusal.value.code == "rate_limited"
    assert len(outbox) == 3
    issue_code("13900139000", CodePurpose.ACCESS)  # another number is not affected

    OneTimeCode.objects.filter(crypto.match("phone", PHONE)).update(created_at=timezone.now() - dt.timedelta(minutes=61))
    issue_code(PHONE, CodePurpose.ACCESS)  # an hour later it works again


def test_a_code_counts_against_the_hour_only_when_sent_for_a_new_purpose(db, outbox, settings):
    """An elderly party opens the case (a code, then two more: the texts were slow) and signs (a fourth):
    under a limit of 3 that is two purposes, not four codes."""
    settings.SMS_CODES_PER_HOUR = 3
    for _ in range(3):
        issue_code(PHONE, CodePurpose.ACCESS)
    issue_code(PHONE, CodePurpose.SIGN)
    assert len(outbox) == 4
    with pytest.raises(CodeRefused):
        issue_code(PHONE, CodePurpose.ACCESS)  # a fourth for the same purpose: capped at 3
    issue_code(PHONE, CodePurpose.SIGN)  # the second for signing: within its own cap
    assert len(outbox) == 5


@pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", None])
def test_malformed_codes_are_wrong_codes(db, outbox, typed):
    issue_code(PHONE, CodePurpose.ACCESS)
    with pytest.raises(CodeRefused):
        check_code(PHONE, CodePurpose.ACCESS, typed)
