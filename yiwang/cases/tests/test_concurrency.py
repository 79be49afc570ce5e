"""Concurrent intake and concurrent actions: distinct consecutive numbers, and nobody's write silently
overwrites another's."""

import threading
import time

import pytest
from django.db import OperationalError, close_old_connections, connection

from yiwang.areas.models import Area
from yiwang.cases import actions
from yiwang.cases.models import Case, CaseCounter, Status

CLERKS = 6


def liuheng_village() -> str:
    return Area.objects.filter(code__startswith="330903100", level="village").order_by("code").first().code


def run_at_once(functions):
    """Run each function in its own thread (own database connection), released together."""
    barrier = threading.Barrier(len(functions))
    results, errors = [None] * len(functions), []

    def worker(index, function):
        try:
            barrier.wait(timeout=10)
            results[index] = with_busy_retry(function)
        except Exception as error:  # noqa: BLE001 - collected and asserted by the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    close_old_connections()
    return results, errors


def with_busy_retry(function):
    """SQLite's in-memory test database (shared cache) reports "table is locked" at once instead of
    waiting as the busy timeout makes a file database wait; retry the whole transaction the way the
    timeout would. Each attempt rolled back completely, so a leaked number would still show as a gap.
    PostgreSQL waits on the row lock and never gets here."""
    for attempt in range(200):
        try:
            return function()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error) or attempt == 199:
                raise
            time.sleep(0.01)


def register(clerk, area, n):
    return lambda: actions.do_register_case(
        by=clerk, channel="window", dispute_type="neighbourhood", area=area, facts=f"并发登记测试{n}",
        claims="调解", applicants=[{"name": f"申请人{n}", "phone": f"1385700{n:04d}"}],
    ).number


@pytest.mark.django_db(transaction=True)
def test_clerks_registering_at_once_get_distinct_consecutive_numbers(demo_tx):
    clerk = demo_tx.liuheng_clerk
    area = liuheng_village()
    numbers, errors = run_at_once([register(clerk, area, n) for n in range(CLERKS)])
    assert not errors, errors
    assert len(set(numbers)) == CLERKS
    prefixes = {n.rsplit("-", 1)[0] for n in numbers}
    assert len(prefixes) == 1  # one centre, one year
    sequences = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
    assert sequences == list(range(sequences[0], sequences[0] + CLERKS))
    centre_code, year = prefixes.pop().split("-")
    assert CaseCounter.objects.get(centre__code=centre_code, year=int(year)).last == sequences[-1]


@pytest.mark.django_db(transaction=True)
def test_the_same_idempotency_key_sent_twice_at_once_makes_one_case(demo_tx):
    clerk = demo_tx.liuheng_clerk
    area = liuheng_village()

    def send():
        return actions.do_register_case(
            by=clerk, channel="phone", dispute_type="neighbourhood", area=area, facts="重复提交", claims="调解",
            applicants=[{"name": "王重复", "phone": "13857008888"}], idempotency_key="same-key",
        ).pk

    ids, errors = run_at_once([send, send, send])
    assert not errors, errors
    assert len(set(ids)) == 1
    assert Case.objects.filter(idempotency_key="same-key").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_staff_acting_on_one_case_never_overwrite_each_other(demo_tx):
    """Both read version n; one accepts, the other declines. Exactly one wins; the other is refused
    as stale and the case shows only the winner's decision."""
    case = actions.do_register_case(
        by=demo_tx.liuheng_clerk, channel="window", dispute_type="neighbourhood", area=liuheng_village(),
        facts="并发操作", claims="调解", applicants=[{"name": "李并发", "phone": "13857007777"}],
    )
    read_by_first = Case.objects.get(pk=case.pk)
    read_by_second = Case.objects.get(pk=case.pk)
    staff = demo_tx.putuo_staff
    clerk = demo_tx.liuheng_clerk
    results, errors = run_at_once([
        lambda: actions.do_accept(read_by_first, by=clerk).status,
        lambda: actions.do_not_accept(read_by_second, by=staff, reason="不属于人民调解范围", redirect="区法院").status,
    ])
    assert len(errors) == 1 and isinstance(errors[0], actions.StaleCase), errors
    winner = next(r for r in results if r)
    case.refresh_from_db()
    assert case.status == winner and case.version == 2
    assert case.events.filter(kind__in=["accepted", "not_accepted"]).count() == 1


def test_a_stale_version_is_refused_even_without_threads(demo):
    case = actions.do_register_case(
        by=demo.liuheng_clerk, channel="window", dispute_type="neighbourhood", area=liuheng_village(),
        facts="陈旧版本", claims="调解", applicants=[{"name": "赵陈旧", "phone": "13857006666"}],
    )
    stale = Case.objects.get(pk=case.pk)
    actions.do_accept(case, by=demo.liuheng_clerk)
    with pytest.raises(actions.StaleCase):
        actions.do_withdraw(stale, by=demo.liuheng_clerk, reason="撤回")
    with pytest.raises(actions.StaleCase):
        actions.do_withdraw(Case.objects.get(pk=case.pk), by=demo.liuheng_clerk, reason="撤回", version=1)
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED
