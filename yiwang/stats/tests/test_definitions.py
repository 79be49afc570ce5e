"""The indicators as Chinese statistical reports define them: 环比 is this month against the same days of
the month before (上月同期); 同比 the same dates a year earlier, rates compared in percentage points; and
按期办结率 counts the cases still open past their deadline, as the "overdue" queue lists them."""

import datetime as dt
from zoneinfo import ZoneInfo

from yiwang.cases.models import Case
from yiwang.stats.figures import change_points, get_case_figures
from yiwang.testing.factories import make_case, register_case, village

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day):
    return dt.datetime(year, month, day, 10, tzinfo=SHANGHAI)


def test_month_on_month_is_the_month_of_the_periods_end_against_the_same_days_before(cast):
    area = village()
    for day in [(2025, 1, 5), (2025, 2, 3), (2025, 2, 20), (2025, 3, 2), (2025, 3, 10), (2025, 3, 12)]:
        register_case(received_at=at(*day), area=area)
    figures = get_case_figures(area, dt.date(2025, 1, 1), dt.date(2025, 3, 15))
    assert figures["received"] == 6
    assert figures["month"] == {"start": dt.date(2025, 3, 1), "end": dt.date(2025, 3, 15)}
    assert figures["received_this_month"] == 3
    assert figures["previous_month"] == {"start": dt.date(2025, 2, 1), "end": dt.date(2025, 2, 15)}
    assert figures["received_previous_month"] == 1  # 3 February; the 20th lies past the same days
    assert figures["mom_change_percent"] == 200.0
    whole = get_case_figures(area, dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert whole["previous_month"] == {"start": dt.date(2025, 2, 1), "end": dt.date(2025, 2, 28)}
    assert (whole["received_this_month"], whole["received_previous_month"]) == (3, 2)


def test_a_period_inside_one_month_compares_its_own_days(cast):
    area = village()
    register_case(received_at=at(2025, 4, 11), area=area)
    register_case(received_at=at(2025, 3, 12), area=area)
    figures = get_case_figures(area, dt.date(2025, 4, 10), dt.date(2025, 4, 20))
    assert figures["month"] == {"start": dt.date(2025, 4, 10), "end": dt.date(2025, 4, 20)}
    assert figures["previous_month"] == {"start": dt.date(2025, 3, 10), "end": dt.date(2025, 3, 20)}
    assert (figures["received_this_month"], figures["received_previous_month"]) == (1, 1)


def test_cases_open_past_their_deadline_count_against_the_on_time_rate(cast):
    area = village()
    closed = make_case("archived", area=area)  # closed on time, today
    late = register_case(received_at=at(2025, 3, 3), area=area)  # still open, its deadline long past
    register_case(received_at=at(2025, 3, 4), area=area, dispute_type="labour")
    today = closed.closed_at.astimezone(SHANGHAI).date()
    figures = get_case_figures(area, dt.date(2025, 1, 1), today, today=today)
    assert late.deadline < today
    assert figures["overdue_open"] == 2 == Case.objects.in_area(area).overdue(today).count()
    assert figures["closed_on_time"] == 1
    assert figures["closed_on_time_rate"] == 33.33  # 1 on time of 3 due
    # As of the end of a period before their deadline, they were not yet overdue.
    early = get_case_figures(area, dt.date(2025, 3, 1), dt.date(2025, 3, 5), today=today)
    assert early["overdue_open"] == 0 and early["closed_on_time_rate"] is None


def test_rates_are_compared_in_percentage_points():
    assert change_points(72.5, 70.25) == 2.25
    assert change_points(60.0, 61.5) == -1.5
    assert change_points(None, 50.0) is None
