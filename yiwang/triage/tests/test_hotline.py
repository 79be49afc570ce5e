"""12345 hotline transfers arrive without the centre's types: triage types each order from its words
when it is sure enough, registers it on the hotline channel, and sends back the rest with suggestions."""

from yiwang.audit.models import AuditEvent
from yiwang.cases.models import Case
from yiwang.testing import factories as f
from yiwang.triage.models import Suggestion

URL = "/api/v1/triage/hotline/"


def _order(reference, facts, claims, **extra):
    return {"reference": reference, "area": "", "facts": facts, "claims": claims,
            "applicants": [{"kind": "person", "name": f"欧阳热线{reference[-1]}", "phone": f"1385700{reference[-4:]}"}],
            **extra}


NOISE = _order("12345-0001", "楼上那家天天半夜拖椅子剁东西，吵得老人小孩都睡不着，说了也不听", "让他们晚上安静点")
VAGUE = _order("12345-0002", "有点事情想反映一下", "请帮忙处理一下")
TYPED = _order("12345-0003", "邻居家的狗老是乱叫", "希望管一管", dispute_type="petition")


def _in_liuheng(*orders):
    return {"orders": [{**order, "area": order["area"] or f.village()} for order in orders]}


def test_orders_without_a_type_are_typed_by_triage_or_sent_back_with_suggestions(cast):
    response = cast.api("liuheng_clerk").post(URL, _in_liuheng(NOISE, VAGUE, TYPED), format="json")
    assert response.status_code == 200, response.content
    noise, vague, typed = response.json()["results"]

    case = Case.objects.get(pk=noise["case"])
    assert noise["from_triage"] and noise["dispute_type"] == "neighbourhood" == case.dispute_type.code
    assert case.channel == "hotline_12345" and noise["score"] >= 0.35
    assert Suggestion.objects.get(case=case).suggested == "neighbourhood"
    assert AuditEvent.objects.filter(verb="triage.hotline_typed", object_id=str(case.pk)).exists()

    assert vague["case"] is None and len(vague["suggestions"]) == 3 and vague["errors"]["dispute_type"]
    assert not typed["from_triage"] and typed["dispute_type"] == "petition"  # a type given is kept

    again = cast.api("liuheng_clerk").post(URL, _in_liuheng(NOISE), format="json").json()["results"][0]
    assert again["case"] == noise["case"]  # the same order twice is one case
    assert Case.objects.filter(channel="hotline_12345").count() == 2


def test_a_bad_order_is_refused_alone_and_outsiders_are_refused(cast):
    elsewhere = {**NOISE, "reference": "12345-0009", "area": f.village("330903001")}
    no_text = {**NOISE, "reference": "12345-0010", "facts": "", "claims": ""}
    results = cast.api("liuheng_clerk").post(URL, _in_liuheng(elsewhere, no_text, NOISE), format="json").json()["results"]
    assert results[0]["case"] is None and results[0]["errors"]
    assert results[1]["case"] is None and results[1]["errors"]["text"]
    assert results[2]["case"]
    assert cast.api("grid_worker").post(URL, _in_liuheng(NOISE), format="json").status_code == 403
    too_many = cast.api("liuheng_clerk").post(URL, _in_liuheng(*[NOISE] * 101), format="json")
    assert too_many.status_code == 400
