"""Bad input at intake: every field answers 400 with a message for that field, and nothing is saved —
no case, no party, no event, no number taken."""

import datetime as dt

import pytest

from yiwang.areas.models import Area
from yiwang.cases.models import Case, CaseCounter, CaseEvent, Party
from yiwang.cases.validators import credit_code_check_character, id_check_character

GOOD_ID = "33090319800101123X"


def liuheng_village() -> str:
    return Area.objects.filter(code__startswith="330903100", level="village").order_by("code").first().code


def payload():
    return {
        "channel": "window",
        "dispute_type": "neighbourhood",
        "area": liuheng_village(),
        "facts": "相邻纠纷",
        "claims": "恢复通行",
        "amount": "1000.00",
        "people_involved": 2,
        "applicants": [{"name": "陈小红", "id_number": GOOD_ID, "phone": "13857001234", "address": "六横镇"}],
        "respondents": [{"name": "周大伟", "phone": "13905801234"}],
    }


def wrong_check(id_number: str) -> str:
    right = id_check_character(id_number[:17])
    return id_number[:17] + ("1" if right != "1" else "2")


def set_path(body, path, value):
    target = body
    *parents, last = path
    for key in parents:
        target = target[key]
    if value is DELETE:
        target.pop(last)
    else:
        target[last] = value


DELETE = object()
future = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).isoformat()
valid_credit_first17 = "91330903MA2A12345"

# (change: path → value, the error's location in the response)
BAD = {
    "channel unknown": ((("channel",), "fax"), ("channel",)),
    "channel missing": ((("channel",), DELETE), ("channel",)),
    "dispute type unknown": ((("dispute_type",), "no-such-type"), ("dispute_type",)),
    "area unknown": ((("area",), "999999999999"), ("area",)),
    "area missing": ((("area",), ""), ("area",)),
    "facts empty": ((("facts",), "  "), ("facts",)),
    "claims empty": ((("claims",), ""), ("claims",)),
    "amount negative": ((("amount",), "-5"), ("amount",)),
    "amount not a number": ((("amount",), "很多"), ("amount",)),
    "people involved zero": ((("people_involved",), 0), ("people_involved",)),
    "no applicant": ((("applicants",), []), ("applicants",)),
    "applicants not a list": ((("applicants",), "张三"), ("applicants",)),
    "applicant without name": ((("applicants", 0, "name"), ""), ("applicants", 0, "name")),
    "ID number too short": ((("applicants", 0, "id_number"), "33090319800101"), ("applicants", 0, "id_number")),
    "ID number letters": ((("applicants", 0, "id_number"), "33090319800101ABCD"), ("applicants", 0, "id_number")),
    "ID number wrong check character": ((("applicants", 0, "id_number"), wrong_check(GOOD_ID)),
                                        ("applicants", 0, "id_number")),
    "ID number impossible birth date": ((("applicants", 0, "id_number"), "330903198013401230"),
                                        ("applicants", 0, "id_number")),
    "phone ten digits": ((("applicants", 0, "phone"), "1385700123"), ("applicants", 0, "phone")),
    "phone starting 12": ((("applicants", 0, "phone"), "12857001234"), ("applicants", 0, "phone")),
    "phone a landline": ((("applicants", 0, "phone"), "05803012345"), ("applicants", 0, "phone")),
    "applicant without phone": ((("applicants", 0, "phone"), ""), ("applicants", 0, "phone")),
    "address too long": ((("applicants", 0, "address"), "六" * 201), ("applicants", 0, "address")),
    "respondent phone bad": ((("respondents", 0, "phone"), "123"), ("respondents", 0, "phone")),
    "respondent without name": ((("respondents", 0, "name"), ""), ("respondents", 0, "name")),
    "organisation credit code wrong": (
        (("respondents", 0), {"kind": "organisation", "name": "某公司",
                              "credit_code": valid_credit_first17 + ("0" if credit_code_check_character(
                                  valid_credit_first17) != "0" else "1")}),
        ("respondents", 0, "credit_code")),
    "party kind unknown": ((("respondents", 0, "kind"), "alien"), ("respondents", 0, "kind")),
    "received in the future": ((("received_at",), future), ("received_at",)),
    "tier unknown": ((("tier",), "province"), ("tier",)),
}


def counts():
    return (Case.objects.count(), Party.objects.count(), CaseEvent.objects.count(),
            sum(CaseCounter.objects.values_list("last", flat=True)))


@pytest.mark.parametrize("name", list(BAD))
def test_bad_input_is_refused_per_field_and_saves_nothing(cast, name):
    (path, value), location = BAD[name]
    body = payload()
    set_path(body, path, value)
    before = counts()
    response = cast.api("liuheng_clerk").post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400, response.json()
    error = response.json()
    for key in location:  # nested party errors are keyed by the party's index, as REST framework does
        error = error[str(key) if isinstance(key, int) else key]
    assert error and all(isinstance(m, str) and m for m in error), response.json()
    assert counts() == before


def test_the_good_payload_is_accepted(cast):
    """The baseline the bad cases vary: without the change, it registers."""
    response = cast.api("liuheng_clerk").post("/api/v1/cases/", payload(), format="json")
    assert response.status_code == 201, response.json()


def test_a_maritime_dispute_needs_vessel_and_sea_area(cast):
    body = payload() | {"dispute_type": "maritime"}
    before = counts()
    response = cast.api("liuheng_clerk").post("/api/v1/cases/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) == {"vessel_name", "sea_area"}
    assert counts() == before
    body |= {"vessel_name": "浙普渔61234", "sea_area": "六横岛以东海域"}
    response = cast.api("liuheng_clerk").post("/api/v1/cases/", body, format="json")
    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.team.kind == "maritime" and case.tier == "district" and case.sea_area == "六横岛以东海域"


def test_errors_are_in_chinese_by_default(cast):
    body = payload()
    body["applicants"][0]["id_number"] = wrong_check(GOOD_ID)
    response = cast.api("liuheng_clerk").post("/api/v1/cases/", body, format="json")
    message = response.json()["applicants"]["0"]["id_number"][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
