"""cases.actions.bulk.do_register_cases makes exactly the cases do_register_case makes one by one: the
same numbers (gap-free), routing, owners, deadlines, duplicate flags, parties, timeline events, audit
events, case signatures and statistics cells. Each set is registered one by one (rolled back), then in
bulk, and the two worlds compared."""

import json

import pytest
from django.db import transaction

from yiwang.areas.models import Window
from yiwang.audit.models import AuditEvent
from yiwang.cases.actions import do_register_case
from yiwang.cases.actions.bulk import BulkItem, do_register_cases
from yiwang.cases.models import Case, CaseCounter, CaseEvent, Party
from yiwang.core.errors import PermissionRefused
from yiwang.stats.aggregates import rebuild
from yiwang.stats.models import CaseSignature, Cell
from yiwang.testing import factories as f

ID_A, ID_B = "330903199001011234", "330903198506150024"


def _person(name, id_number, phone):
    return {"name": name, "id_number": id_number, "phone": phone, "address": "普陀区"}


def _values():
    shenjiamen, liuheng = f.village("330903001"), f.village("330903100")
    financial = Window.objects.filter(centre__code="PT", dispute_types__code="financial").first()
    bank = {"kind": "organisation", "name": "浙江普陀农村商业银行"}
    return [
        dict(channel="bank", dispute_type="financial", area=shenjiamen, facts="欠款", claims="还款", amount="12000.50",
             applicants=[bank], respondents=[_person("张三", ID_A, "13905800001")]),
        dict(channel="bank", dispute_type="financial", area=liuheng, facts="欠款", claims="还款", amount="2000000",
             applicants=[bank], respondents=[_person("李四", ID_B, "13905800002")]),
        # the same borrower again: flagged as a likely duplicate of the first (and of the case before)
        dict(channel="bank", dispute_type="financial", area=shenjiamen, facts="信用卡欠款", claims="还款",
             amount="300", applicants=[bank], respondents=[_person("张三", ID_A, "13905800003")]),
        dict(channel="bank", dispute_type="financial", area=shenjiamen, facts="欠款", claims="还款", amount="10",
             applicants=[bank], respondents=[_person("王五", "", "13905800009")], tier="district", window=financial),
        dict(channel="bank", dispute_type="neighbourhood", area=liuheng, facts="噪音", claims="停止", amount=None,
             applicants=[bank], respondents=[_person("赵六", "", "")]),
    ]


def _snapshot():
    number = dict(Case.objects.values_list("pk", "number"))
    cases = [
        (c.number, c.channel, c.dispute_type_id, c.area_id, c.centre_id, c.registered_centre_id, c.tier, c.window_id,
         c.team_id, c.status, c.deadline, c.owner_id, c.visits, c.submitted_by_organisation_id, c.amount, c.facts,
         c.claims, number.get(c.possible_duplicate_id), c.created_by_id, c.people_involved, c.version)
        for c in Case.objects.order_by("number")]
    parties = sorted((number[p.case_id], p.role, p.kind, p.name, p.id_number, p.phone, p.address, p.credit_code)
                     for p in Party.objects.all())
    events = sorted((number[e.case_id], e.kind, e.actor_id, e.actor_name, e.from_status, e.to_status, e.reason,
                     json.dumps(e.detail, sort_keys=True)) for e in CaseEvent.objects.all())
    audits = sorted((a.verb, a.actor_id, a.actor_name, a.object_type, a.object_repr, a.area_code, a.channel,
                     json.dumps(a.detail, sort_keys=True)) for a in AuditEvent.objects.filter(verb="cases.registered"))
    cells = sorted(Cell.objects.exclude(n=0, total=0).values_list("area_code", "grain", "day", "metric", "key", "n",
                                                                   "total"))
    signatures = sorted((number[s.pop("case_id")], *sorted(s.items())) for s in CaseSignature.objects.values())
    counters = sorted(CaseCounter.objects.values_list("centre_id", "year", "last"))
    return {"cases": cases, "parties": parties, "events": events, "audits": audits, "cells": cells,
            "signatures": signatures, "counters": counters}


@pytest.mark.parametrize("by", ["bank_operator", "putuo_staff", "shenjiamen_clerk"])
def test_bulk_registration_equals_one_by_one(cast, by):
    user = f.user(by)
    if by == "shenjiamen_clerk":  # a village clerk registers only in 沈家门
        values = [v for v in _values() if v["area"].startswith("330903001")]
    else:
        values = _values()
    f.register_case(by="shenjiamen_clerk", area=f.village("330903001"), dispute_type="financial",
                    applicants=[{"name": "张三", "id_number": ID_A, "phone": "13905800001"}])
    with transaction.atomic():
        for v in values:
            do_register_case(by=user, **v)
        expected = _snapshot()
        transaction.set_rollback(True)
    items = do_register_cases([BulkItem(values=dict(v)) for v in values], by=user)
    assert all(item.case is not None for item in items), [item.errors for item in items]
    actual = _snapshot()
    for key in expected:
        assert actual[key] == expected[key], key
    rebuild()  # and the cells written set-based are what a rebuild from the rows computes
    assert _snapshot()["cells"] == actual["cells"]


def test_a_bad_item_is_reported_in_the_words_of_the_window_and_the_rest_go_in(cast):
    values = _values()[:2]
    values[1]["respondents"] = [_person("李四", "330903199001011235", "13905800002")]
    items = do_register_cases([BulkItem(values=dict(v)) for v in values], by=f.user("bank_operator"))
    assert items[0].case is not None and items[1].case is None
    assert "respondents[0].id_number" in items[1].errors
    assert Case.objects.count() == 1


def test_an_item_outside_the_users_areas_refuses_the_whole_set(cast):
    values = _values()  # 六横 is outside 沈家门's clerk's grant
    with pytest.raises(PermissionRefused):
        do_register_cases([BulkItem(values=dict(v)) for v in values], by=f.user("shenjiamen_clerk"))
    assert not Case.objects.exists()
