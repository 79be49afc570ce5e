"""The demo is dated from now, and at any hour it is loaded nothing it records has happened in the future.

CI starts at whatever hour it starts: before Shanghai's office hours a case "received today at 10:00" would
lie ahead, and so would every step dated from it. Each moment below loads the whole demo with the clock
set there and reads back every timestamp that records something done.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.db import models
from django.db.models import Max
from django.utils import timezone

from yiwang.testing.world import load_full_demo

SHANGHAI = ZoneInfo("Asia/Shanghai")

# Timestamps that may lie ahead: a retry planned, a code's expiry, a session booked.
AHEAD = {("core.Notification", "next_attempt_at"), ("online.OneTimeCode", "expires_at"),
         ("online.ScheduledSession", "starts_at")}
# Dates of something done (deadlines and due dates may lie ahead).
DONE_ON = {("cases.Agreement", "signed_on"), ("cases.Agreement", "effective_on"),
           ("cases.Agreement", "confirmation_applied_on"), ("cases.Agreement", "confirmation_decided_on"),
           ("cases.Agreement", "performed_on"), ("grids.Visit", "date"), ("stats.CaseSignature", "received_on")}

MOMENTS = {
    "a Monday before office hours": datetime.datetime(2026, 3, 2, 6, 50, tzinfo=SHANGHAI),
    "just after midnight": datetime.datetime(2026, 3, 3, 0, 10, tzinfo=SHANGHAI),
    "a Sunday night": datetime.datetime(2026, 3, 8, 23, 55, tzinfo=SHANGHAI),
}


def _checked(model):
    """The fields of `model` that record something done, with their kind."""
    label = model._meta.label
    for field in model._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            if (label, field.name) not in AHEAD:
                yield field.name, True
        elif isinstance(field, models.DateField) and (label, field.name) in DONE_ON:
            yield field.name, False


MODELS = [m for m in apps.get_models() if m.__module__.startswith("yiwang.") and any(_checked(m))]


@pytest.mark.parametrize("moment", list(MOMENTS.values()), ids=list(MOMENTS))
def test_nothing_the_demo_records_lies_in_the_future(db, moment):
    world = {model: set(model.objects.values_list("pk", flat=True)) for model in MODELS}  # made at the real now
    with time_machine.travel(moment, tick=True):
        load_full_demo()
        now, today = timezone.now(), timezone.localdate()
        ahead = []
        for model in MODELS:
            made = model.objects.exclude(pk__in=world[model])
            for name, stamp in _checked(model):
                latest = made.aggregate(latest=Max(name))["latest"]
                if latest is not None and latest > (now if stamp else today):
                    ahead.append((model._meta.label, name, str(latest)))
    assert today == moment.date()
    assert ahead == []
