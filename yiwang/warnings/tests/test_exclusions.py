"""The exclusion list: a party the district leaves out of a rule (the admin, audited), and what the rules
then no longer warn of."""

import pytest

from yiwang.audit.models import AuditEvent
from yiwang.testing import factories as f
from yiwang.warnings.models import Exclusion, Warning

pytestmark = pytest.mark.django_db
BUREAU = {"kind": "organisation", "name": "舟山市普陀区社会保险事业管理中心", "credit_code": "12330903MB1A000008"}
ADD = "/admin/warnings/exclusion/add/"


def against_bureau():
    return f.register_case(dispute_type="labour", facts="养老保险待遇核定有争议。", claims="重新核定。",
                           respondents=[BUREAU])


def test_an_excluded_respondent_raises_no_group_warning_and_the_change_is_audited(cast):
    client = cast.client("putuo_staff")
    form = {"rule": "group.respondent", "name": BUREAU["name"], "credit_code": BUREAU["credit_code"].lower(),
            "reason": "社保待遇争议的法定被申请人，不属于群体性纠纷"}
    assert client.post(ADD, form).status_code == 302
    exclusion = Exclusion.objects.get()
    assert exclusion.credit_code == BUREAU["credit_code"] and exclusion.created_by == cast.putuo_staff
    event = AuditEvent.objects.get(verb="warnings.exclusion_added")
    assert event.actor == cast.putuo_staff and event.detail["reason"] == form["reason"]
    for _ in range(4):
        against_bureau()
    assert not Warning.objects.filter(rule="group.respondent").exists()
    assert not Warning.objects.filter(rule="repeat.party").exists()  # excluded from one rule only: the group
    # line makes four applicants against one respondent the group rule's situation, not a repeat party's
    delete = f"/admin/warnings/exclusion/{exclusion.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 302
    assert AuditEvent.objects.filter(verb="warnings.exclusion_removed", object_id=str(exclusion.pk)).exists()
    against_bureau()
    assert Warning.objects.get(rule="group.respondent").cases.count() == 5


def test_an_exclusion_names_its_party_and_only_masters_of_the_data_add_one(cast):
    client = cast.client("putuo_staff")
    page = client.post(ADD, {"rule": "group.respondent", "name": "某物业公司", "reason": "x"},
                       HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "请填写身份证号或统一社会信用代码" in page
    page = client.post(ADD, {"rule": "harm.amount", "name": "某公司", "credit_code": "91330903MA2A0000X1",
                             "reason": "x"}).content.decode()
    assert not Exclusion.objects.exists() and not AuditEvent.objects.filter(verb__startswith="warnings.excl").exists()
    assert cast.client("liuheng_clerk").post(ADD, {"rule": "repeat.party", "name": "某公司", "area": "330903100",
                                                   "reason": "x"}).status_code == 403
    assert not Exclusion.objects.exists()
