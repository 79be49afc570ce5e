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
