"""The borrowers are told by SMS, once each, with their private link (the online app's party access), and
answer there: accept or decline mediation (the online app's own answers), propose a repayment plan or
dispute the debt (this app's card on their page); the mediator reads it on the case."""

import re

import pytest
from django.test import Client

from yiwang.cases.models import CaseEvent, EventKind, Party
from yiwang.core.errors import PermissionRefused
from yiwang.finance import actions
from yiwang.finance.models import BorrowerAnswer
from yiwang.finance.tests.helpers import good_rows, submit
from yiwang.online.models import PartyAccess

BASE = "https://yiwang.example"


@pytest.fixture
def batch(cast):
    return submit(cast.bank_operator, rows=good_rows(2, prefix="SMS"))


def _link(sms, phone) -> str:
    text = [t for p, t in sms if p == phone][-1]
    return re.search(r"https?://[^/]+(/p/[^/]+/)", text).group(1)


def _proven(sms, url, phone) -> Client:
    client = Client()
    client.post(url, {"step": "send"})
    code = re.search(r"\d{6}", [t for p, t in sms if p == phone][-1]).group()
    client.post(url, {"step": "verify", "code": code})
    return client


def test_each_borrower_is_texted_their_own_link_once(cast, batch, sms):
    borrowers = list(Party.objects.filter(case__bank_case__batch=batch, role="respondent").order_by("pk"))
    assert actions.do_notify_borrowers(batch, by=cast.putuo_staff, base_url=BASE) == 2
    assert sorted(p for p, _t in sms) == sorted(b.phone for b in borrowers)
    for party in borrowers:
        text = [t for p, t in sms if p == party.phone][0]
        assert text.startswith("普陀农商银行就您的欠款纠纷申请调解（案号" + party.case.number)
        assert PartyAccess.objects.filter(party=party).exists()
    fixed = re.sub(r"\$\{\w+\}", "", actions.allocation.BORROWER_SMS)
    assert len(fixed) <= 70
    assert actions.do_notify_borrowers(batch, by=cast.putuo_staff, base_url=BASE) == 0 and len(sms) == 2
    with pytest.raises(PermissionRefused):
        actions.do_notify_borrowers(batch, by=cast.bank_operator, base_url=BASE)


def test_a_borrower_proposes_a_repayment_plan_from_their_link(cast, batch, sms):
    client = cast.client("putuo_staff")
    client.post(f"/finance/batches/{batch.pk}/notify-borrowers")
    party = Party.objects.filter(case__bank_case__batch=batch, role="respondent").order_by("pk").first()
    url = _link(sms, party.phone)
    borrower = _proven(sms, url, party.phone)
    page = borrower.get(url)
    assert b'id="borrower-answer"' in page.content and b'id="answer"' in page.content  # online's accept/decline too
    answer_url = f"/finance{url}answer"
    response = borrower.post(answer_url, {"kind": "proposal", "instalments": "6", "amount": "1500",
                                          "first_due_on": "2099-01-15", "note": "收入不稳定"})
    assert response.status_code == 302
    answer = BorrowerAnswer.objects.get(party=party)
    assert (answer.kind, answer.instalments, str(answer.amount), answer.total) == ("proposal", 6, "1500.00", 9000)
    # Proposing is taking part: online's own acceptance is recorded on the case.
    assert PartyAccess.objects.get(party=party).consent == "accepted"
    assert CaseEvent.objects.filter(case=party.case, kind=EventKind.RESPONDENT_ACCEPTED).exists()
    # The mediator reads it on the case page.
    assert "收入不稳定" in cast.client("putuo_staff").get(f"/cases/{party.case_id}/").content.decode()


def test_a_dispute_needs_the_borrowers_words_and_a_stranger_gets_404(cast, batch, sms):
    actions.do_notify_borrowers(batch, by=cast.putuo_staff, base_url=BASE)
    party = Party.objects.filter(case__bank_case__batch=batch, role="respondent").order_by("pk").last()
    url = _link(sms, party.phone)
    assert Client().post(f"/finance{url}answer", {"kind": "dispute", "note": "x"}).status_code == 404
    borrower = _proven(sms, url, party.phone)
    borrower.post(f"/finance{url}answer", {"kind": "dispute", "note": ""})
    assert not BorrowerAnswer.objects.exists()
    borrower.post(f"/finance{url}answer", {"kind": "proposal", "instalments": "0", "amount": "-1",
                                           "first_due_on": "2001-01-01"})
    assert not BorrowerAnswer.objects.exists()
    borrower.post(f"/finance{url}answer", {"kind": "dispute", "note": "该笔借款已于去年还清"})
    assert BorrowerAnswer.objects.get().kind == "dispute"
    assert PartyAccess.objects.get(party=party).consent == ""  # disputing the debt is not declining mediation
