"""Deadlines count Chinese working days: official holidays and make-up workdays (调休) from the
chinese-calendar library, and the Holiday table for what the library does not know."""

import datetime as dt
from unittest import mock

from django.utils import timezone

from yiwang.areas.models import Area
from yiwang.cases import actions
from yiwang.core.calendar import add_days_rolled, add_working_days, is_working_day
from yiwang.core.models import Holiday

D = dt.date


def test_national_day_holiday_is_skipped(db):
    # 2026: 1–7 October off; Wednesday 30 September plus one working day is Thursday 8 October.
    assert not is_working_day(D(2026, 10, 1))
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 8)


def test_a_make_up_saturday_is_a_working_day(db):
    # Saturday 10 October 2026 is worked in exchange for the holiday (调休).
    assert is_working_day(D(2026, 10, 10))
    assert add_working_days(D(2026, 10, 9), 1) == D(2026, 10, 10)
    assert not is_working_day(D(2026, 10, 17))  # an ordinary Saturday


def test_a_calendar_period_ending_in_a_holiday_rolls_to_the_next_working_day(db):
    assert add_days_rolled(D(2026, 9, 1), 30) == D(2026, 10, 8)
    assert add_days_rolled(D(2026, 9, 2), 30) == D(2026, 10, 8)
    assert add_days_rolled(D(2026, 8, 1), 30) == D(2026, 8, 31)


def test_the_holiday_table_covers_years_the_library_does_not_know(db):
    # 2099 is beyond the library: without the table, New Year's Day (a Thursday) counts as working.
    assert add_working_days(D(2098, 12, 31), 1) == D(2099, 1, 1)
    Holiday.objects.create(date=D(2099, 1, 1), working=False, name="元旦")
    Holiday.objects.create(date=D(2099, 1, 2), working=False, name="元旦")
    assert add_working_days(D(2098, 12, 31), 1) == D(2099, 1, 5)  # past the weekend to Monday
    Holiday.objects.create(date=D(2099, 1, 3), working=True, name="元旦调休")
    assert add_working_days(D(2098, 12, 31), 1) == D(2099, 1, 3)


def test_the_holiday_table_overrides_the_library(db):
    Holiday.objects.create(date=D(2026, 10, 8), working=False, name="台风停工")
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 9)


def test_a_case_registered_before_national_day_is_due_after_it(cast):
    """Three working days to decide on acceptance: 8, 9 and the make-up Saturday 10 October."""
    received = timezone.make_aware(dt.datetime(2026, 9, 30, 10, 0))
    area = Area.objects.filter(code__startswith="330903100", level="village").order_by("code").first()
    with mock.patch("django.utils.timezone.now", return_value=received + dt.timedelta(hours=1)):
        case = actions.do_register_case(
            by=cast.liuheng_clerk, channel="window", dispute_type="neighbourhood", area=area,
            facts="节前登记", claims="调解", applicants=[{"name": "国庆前", "phone": "13857005555"}],
            received_at=received,
        )
    assert case.deadline == D(2026, 10, 10)


def test_mediation_runs_thirty_days_and_an_extension_needs_consent(cast):
    area = Area.objects.filter(code__startswith="330903100", level="village").order_by("code").first()
    case = actions.do_register_case(
        by=cast.liuheng_clerk, channel="window", dispute_type="neighbourhood", area=area, facts="延期",
        claims="调解", applicants=[{"name": "延期人", "phone": "13857004444"}],
    )
    case = actions.do_accept(case, by=cast.liuheng_clerk)
    case = actions.do_assign(case, by=cast.liuheng_clerk, mediators=[cast.mediator_wang])
    case = actions.do_start_mediation(case, by=cast.mediator_wang)
    assert case.deadline == add_days_rolled(timezone.localdate(), 30)
    try:
        actions.do_extend(case, by=cast.mediator_wang, days=15, consent=False)
        raise AssertionError("extended without consent")
    except actions.CaseInputError as refused:
        assert "consent" in refused.message_dict
    before = case.deadline
    case = actions.do_extend(case, by=cast.mediator_wang, days=15, consent=True, reason="双方同意延长")
    assert case.deadline == add_days_rolled(before, 15) and case.extensions == 1


def test_a_year_whose_holidays_nobody_entered_is_named(db):
    from yiwang.core.calendar import get_years_without_holidays

    assert get_years_without_holidays(D(2025, 11, 20)) == []  # the library knows 2025 and 2026
    assert get_years_without_holidays(D(2031, 6, 1)) == [2031]
    assert get_years_without_holidays(D(2031, 11, 2)) == [2031, 2032]  # next year's, from November
    Holiday.objects.create(date=D(2031, 1, 1), name="元旦")
    assert get_years_without_holidays(D(2031, 11, 2)) == [2032]


def test_whoever_keeps_the_master_data_is_reminded_on_the_workbench(cast):
    """Centre staff (masterdata.change) see the reminder and its link; a window clerk does not."""
    year = timezone.localdate().year
    with mock.patch("yiwang.core.calendar.library_knows", return_value=False):
        Holiday.objects.filter(date__year=year).delete()
        staff = cast.client("putuo_staff").get("/cases/").content.decode()
        clerk = cast.client("liuheng_clerk").get("/cases/").content.decode()
        Holiday.objects.create(date=D(year, 12, 31), name="本地调整")
        entered = cast.client("putuo_staff").get("/cases/").content.decode()
    assert f'data-year="{year}"' in staff and "/admin/core/holiday/" in staff
    assert "holidays-missing" not in clerk
    assert f'data-year="{year}"' not in entered
