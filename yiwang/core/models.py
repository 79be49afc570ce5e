"""What every app shares and stores: the holiday table of the working-day calendar (core.calendar)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Holiday(models.Model):
    """A day whose working status overrides the calendar library: a holiday (working=False) or a
    make-up workday (调休, working=True), for years the library does not know yet or local decisions."""

    date = models.DateField(_("date"), unique=True)
    working = models.BooleanField(_("working day"), default=False)
    name = models.CharField(_("name"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("holiday or make-up workday")
        verbose_name_plural = _("holidays and make-up workdays")
        ordering = ["date"]
        # The table was created by cases, where the model lived first; moving it kept the rows.
        db_table = "cases_holiday"

    def __str__(self):
        return f"{self.date} {self.name}"
