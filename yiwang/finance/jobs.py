"""The financial desk's job kind (core.jobs), registered from FinanceConfig.ready()."""

from django.utils.translation import gettext_lazy

from yiwang.core.jobs import register_job


@register_job("finance.batch", label=gettext_lazy("Bank batch submission"))
def process(job) -> None:
    """Check and register one bank batch (finance.actions.process_batch), reporting rows done/total."""
    from yiwang.finance.actions import process_batch
    from yiwang.finance.models import Batch

    batch = Batch.objects.select_related("bank__organisation", "submitted_by").get(pk=job.params["batch"])
    process_batch(batch, job)
    job.log(f"{batch.total} / {batch.accepted} / {batch.rejected} / {batch.duplicates}")
    if batch.error:
        raise ValueError(batch.error)


@register_job("finance.allocate", label=gettext_lazy("Bulk assignment of bank cases"))
def allocate(job) -> None:
    """Assign a bulk assignment's cases one by one (finance.actions.process_allocation)."""
    from yiwang.finance.actions import process_allocation
    from yiwang.finance.models import Allocation

    allocation = Allocation.objects.select_related("bank__organisation", "started_by").get(pk=job.params["allocation"])
    process_allocation(allocation, job)
    job.log(f"{allocation.assigned} / {allocation.failed}")


@register_job("finance.filing", label=gettext_lazy("Court filing package"))
def filing(job) -> None:
    """Build a batch's filing ZIP for the court (finance.actions.build_filing_package)."""
    from yiwang.finance.actions import build_filing_package
    from yiwang.finance.models import Batch

    batch = Batch.objects.select_related("bank__organisation").get(pk=job.params["batch"])
    job.save_result(f"filing-batch-{batch.pk}.zip", build_filing_package(batch))
