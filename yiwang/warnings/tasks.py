"""Background work of the warnings app, on the worker (`yiwang db_worker`)."""

from yiwang.core.tasks import task


@task()
def evaluate_registered(case_ids: list[int]) -> int:
    """The instant rules over a batch of cases registered at once (hook core.hooks.cases_registered), in
    one set-based pass after the batch committed; returns how many warnings were raised or joined. The
    hourly `yiwang evaluate_warnings` covers the batch as well, should the worker be down."""
    from yiwang.warnings.engine import evaluate_cases

    return len(evaluate_cases(case_ids))
