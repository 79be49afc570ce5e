"""Per-bank figures (received, accepted, mediated successfully, to litigation, amounts in dispute and
recovered) for the centre, every bank, and for a bank's own operators, only their own (page, CSV, API);
and the 回访 of the banks' finished cases through the cases app's follow-up step."""

import datetime as dt
from decimal import Decimal

import pytest

from yiwang.cases.models import FollowUp
from yiwang.finance import actions
from yiwang.finance.models import Bank, BankCase
from yiwang.finance.tests.helpers import bank_case_at, good_rows, submit


@pytest.fixture
def desk(cast):
    agreed = bank_case_at("agreed", prefix="ST-A")
    plan = actions.do_set_plan(agreed, by=cast.mediator_wang, instalments=[("500", dt.date(2026, 1, 15)),
                                                                          ("500", dt.date(2026, 2, 15))])
    actions.do_record_payment(plan, by=cast.bank_operator, amount="500", paid_on="2026-01-15")
    referred = bank_case_at("referred", prefix="ST-R")
    submit(cast.icbc_operator, rows=good_rows(2, prefix="ST-I"))
    return {"agreed": agreed, "referred": referred}


def test_the_centre_sees_every_bank_and_a_bank_only_its_own(cast, desk):
    rural = Bank.objects.get(organisation__name="浙江普陀农村商业银行")
    figures = {f.bank.pk: f for f in actions.get_bank_statistics(cast.putuo_staff)}
    mine = figures[rural.pk]
    owed = sum(bc.amount_owed for bc in BankCase.objects.filter(bank=rural))
    assert (mine.received, mine.accepted, mine.mediated, mine.litigation) == (2, 2, 1, 1)
    assert (mine.amount_in_dispute, mine.amount_recovered, mine.success_rate) == (owed, Decimal("500.00"), 50.0)
    icbc = next(f for f in figures.values() if f.bank.organisation.name.startswith("中国工商银行"))
    assert (icbc.received, icbc.accepted, icbc.amount_recovered) == (2, 0, 0)
    assert [f.bank.pk for f in actions.get_bank_statistics(cast.bank_operator)] == [rural.pk]
    page = cast.client("bank_operator").get("/finance/statistics/").content.decode()
    assert f'data-bank="{rural.pk}"' in page and f'data-bank="{icbc.bank.pk}"' not in page
    csv_text = cast.client("putuo_staff").get("/finance/statistics/?format=csv").content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("银行,收案,受理,调解成功,转诉讼,办结") and "浙江普陀农村商业银行,2,2,1,1" in csv_text
    body = cast.api("bank_operator").get("/api/v1/finance/statistics/").json()
    assert [(r["bank"], r["amount_recovered"]) for r in body] == [(rural.pk, "500.00")]
    assert cast.client("grid_worker").get("/finance/statistics/").status_code == 404
    # A leader reads the figures (no personal data) on the page and on the district's dashboard.
    assert f'data-bank="{rural.pk}"' in cast.client("putuo_leader").get("/finance/statistics/").content.decode()
    dashboard = cast.client("putuo_leader").get("/stats/330903/").content.decode()
    assert 'id="bank-figures"' in dashboard and "普陀农商银行" in dashboard


def test_a_finished_bank_case_is_followed_up_from_the_desk(cast, desk):
    referred = desk["referred"]
    client = cast.client("putuo_staff")
    page = client.get("/finance/follow-ups/").content.decode()
    assert referred.number in page and desk["agreed"].number not in page  # not performed in full yet
    client.post(f"/finance/follow-ups/{referred.pk}", {"satisfaction": "9", "method": "phone"})
    referred.refresh_from_db()
    assert referred.status == "referred" and not FollowUp.objects.filter(case=referred).exists()
    client.post(f"/finance/follow-ups/{referred.pk}", {"satisfaction": "4", "method": "phone", "note": "已立案"})
    referred.refresh_from_db()
    assert (referred.status, referred.satisfaction) == ("followed_up", 4)
    # A bank's operator does not follow up (the cases app's step says who may): nothing offered.
    assert referred.number not in cast.client("bank_operator").get("/finance/follow-ups/").content.decode()
