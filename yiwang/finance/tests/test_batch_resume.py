"""A bank batch whose worker died half-way (issue 21's faults): the rerun (job attempt 2, core.jobs) resumes
where the committed chunks end, and no row becomes a case twice; a first run never resumes a running batch."""

from types import SimpleNamespace

import pytest

from yiwang.finance import actions
from yiwang.finance.actions import do_submit_batch, process_batch
from yiwang.finance.models import BankCase, Batch, BatchRow, BatchStatus
from yiwang.finance.tests.helpers import good_rows


class WorkerKilled(BaseException):
    """What SIGKILL looks like from inside: nothing after it runs, no `except Exception` sees it."""


def attempt(n: int):
    return SimpleNamespace(attempt=n, progress=lambda done, total=None: None)


@pytest.fixture
def interrupted(cast, monkeypatch):
    """A batch of 7 rows (one repeated in the file) processed 2 rows a chunk, killed after the second chunk."""
    monkeypatch.setattr(actions, "REGISTER_CHUNK", 2)
    rows = good_rows(6, prefix="RES")
    rows.append(dict(rows[0]))  # row 7 repeats row 1
    batch = do_submit_batch(by=cast.bank_operator, rows=rows, idempotency_key="")
    real, calls = actions._register_chunk, []

    def dies_on_the_third_chunk(*args):
        calls.append(1)
        if len(calls) == 3:
            raise WorkerKilled
        return real(*args)

    monkeypatch.setattr(actions, "_register_chunk", dies_on_the_third_chunk)
    with pytest.raises(WorkerKilled):
        process_batch(Batch.objects.get(pk=batch.pk), attempt(1))
    monkeypatch.setattr(actions, "_register_chunk", real)
    return Batch.objects.get(pk=batch.pk)


def test_the_rerun_resumes_after_the_committed_chunks_and_registers_each_row_once(interrupted):
    assert interrupted.status == BatchStatus.RUNNING and interrupted.rows.count() == 4
    batch = process_batch(Batch.objects.get(pk=interrupted.pk), attempt(2))
    assert (batch.status, batch.total, batch.done, batch.accepted, batch.duplicates, batch.rejected) == (
        BatchStatus.DONE, 7, 7, 6, 1, 0)
    assert sorted(BatchRow.objects.filter(batch=batch).values_list("line", flat=True)) == list(range(1, 8))
    references = list(BankCase.objects.filter(batch=batch).values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 6


def test_a_first_run_leaves_a_batch_another_worker_is_running_alone(interrupted):
    batch = process_batch(Batch.objects.get(pk=interrupted.pk), attempt(1))
    assert batch.status == BatchStatus.RUNNING and batch.rows.count() == 4
