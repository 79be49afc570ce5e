"""Statistics kept current as cases, problems and visits change, so that no figure is recomputed from
the raw tables when a leader opens a dashboard.

Cell            one aggregate: (area_code, grain, day, metric, key) → n (a count) and total (a sum).
                A row exists for the area of the fact AND for every ancestor division (province, city,
                county, township, village), so the figures of any area are an exact-key lookup, never a
                prefix scan. grain "d" holds one day; grain "m" holds a whole calendar month (day = the
                1st), so a year for 浙江省 reads twelve month rows per key instead of 365 day rows.
                Month cells hold one cell per dimension value at every level (a village only the few
                its drill-down row needs); day cells likewise for province, city and county, and one
                composite cell per combination of dimensions for township and village (aggregates.py).
CaseSignature   what one case was last counted as (its area, received date, type, channel, tier,
                outcome, closing, trips, satisfaction). When the case changes, its old contribution is
                subtracted and the new one added, in the same transaction (see aggregates.py).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Grain(models.TextChoices):
    DAY = "d", _("Day")
    MONTH = "m", _("Month")


class Cell(models.Model):
    """One aggregate figure: `n` facts (and their summed `total`) of `metric`/`key` dated `day` in the
    subtree of `area_code`. Written only by yiwang.stats.aggregates."""

    area_code = models.CharField(_("area code"), max_length=12)
    grain = models.CharField(_("grain"), max_length=1, choices=Grain.choices)  # h, l: only during a rebuild
    day = models.DateField(_("day"))
    metric = models.CharField(_("metric"), max_length=24)
    key = models.CharField(_("key"), max_length=120, blank=True)
    n = models.BigIntegerField(_("count"), default=0)
    total = models.BigIntegerField(_("total"), default=0)

    class Meta:
        verbose_name = _("statistics cell")
        verbose_name_plural = _("statistics cells")
        constraints = [
            models.UniqueConstraint(fields=["area_code", "grain", "day", "metric", "key"], name="stats_cell_key"),
        ]

    def __str__(self):
        return f"{self.area_code} {self.grain}{self.day} {self.metric}/{self.key}={self.n}"


class CaseSignature(models.Model):
    """What case `case_id` is counted as now. Not a foreign key: the row must outlive a deleted case
    long enough for its contribution to be subtracted."""

    case_id = models.BigIntegerField(_("case"), primary_key=True)
    area_code = models.CharField(_("area code"), max_length=12)
    received_on = models.DateField(_("received on"))
    dispute_type = models.CharField(_("dispute type"), max_length=40)
    litigation_bound = models.BooleanField(_("litigation-bound"), default=False)
    channel = models.CharField(_("channel"), max_length=20)
    tier = models.CharField(_("tier"), max_length=10)
    outcome = models.CharField(_("outcome"), max_length=20, blank=True)
    merged = models.BooleanField(_("merged duplicate"), default=False)
    closed = models.BooleanField(_("closed"), default=False)
    on_time = models.BooleanField(_("closed on time"), null=True)
    handling_days = models.IntegerField(_("handling time (working days)"), null=True)
    visits = models.IntegerField(_("in-person trips"), default=0)
    satisfaction = models.SmallIntegerField(_("satisfaction"), null=True)

    class Meta:
        verbose_name = _("case statistics signature")
        verbose_name_plural = _("case statistics signatures")

    def __str__(self):
        return f"case {self.case_id}"
