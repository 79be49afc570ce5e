"""The statistics app's job kinds (core.jobs), registered from StatsConfig.ready()."""

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from yiwang.core.db import replica_reads
from yiwang.core.jobs import register_job
from yiwang.stats import actions
from yiwang.stats.exports import get_table_export


@register_job("stats.export", label=gettext_lazy("Statistics table export (Excel)"))
def export_table(job) -> None:
    """One dashboard table as a workbook. Scope is checked again as the job runs: a grant withdrawn since
    it was queued stops it."""
    params = job.params
    job.progress(0, 2)
    try:
        query = actions.check_query(job.started_by, area=job.area_code, start=params["start"], end=params["end"])
    except Http404:
        raise PermissionError(_("You may no longer read the statistics of this area.")) from None
    job.log(_("Counting %(area)s, %(start)s to %(end)s.") % {
        "area": query.area.name, "start": query.start, "end": query.end})
    export = replica_reads(get_table_export)(query, params["key"])  # the job's own rows: the primary
    if export is None:
        raise LookupError(_("There is no such table: %(key)s") % {"key": params["key"]})
    job.progress(1, 2)
    name, content = export
    job.save_result(name, content)
    job.log(_("Workbook %(name)s is ready.") % {"name": name})
    job.progress(2, 2)
