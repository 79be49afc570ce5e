"""Party access: a private link plus a one-time code to the party's mobile opens their case, and only it."""

import re

from django.test import Client

from yiwang.cases import actions as case_actions
from yiwang.online.actions import do_open_access
from yiwang.online.tests.factories import file_case
from yiwang.testing import assert_not_found_for

PERSONAL = ["陈海燕", "李大海", "13905751234", "139****1234", "绍兴", "墙面开裂", "邻里纠纷"]


def prove(client, url, outbox):
    """Ask for a code on the link page and type it in, as the party would."""
    client.post(url, {"step": "send"})
    code = re.search(r"\d{6}", outbox[-1][1]).group()
    return client.post(url, {"step": "verify", "code": code})


def test_a_leaked_link_without_the_code_shows_nothing_personal(demo, outbox):
    case, token = file_case()
    response = Client().get(f"/p/{token}/")

    assert response.status_code == 200
    assert case.number not in response.text
    for secret in PERSONAL:
        assert secret not in response.text, secret
    assert 'name="code"' in response.text


def test_an_unknown_or_replaced_link_is_404(demo):
    case, token = file_case()
    assert_not_found_for(Client(), "/p/not-a-token/")
    do_open_access(case.parties.get(role="applicant"))  # re-invited: the old link stops working
    assert_not_found_for(Client(), f"/p/{token}/")


def test_the_code_goes_to_the_mobile_on_the_case_and_opens_the_progress(demo, outbox):
    case, token = file_case()
    client = Client()
    url = f"/p/{token}/"

    client.post(url, {"step": "send"})
    assert outbox[-1][0] == "13905751234"
    response = prove(client, url, outbox)
    assert response.status_code == 302

    page = client.get(url)
    assert case.number in page.text
    assert "陈海燕" in page.text and "墙面开裂" in page.text
    assert "已登记" in page.text or "Registered" in page.text


def test_a_wrong_code_keeps_the_case_closed(demo, outbox):
    case, token = file_case()
    client = Client()
    url = f"/p/{token}/"
    client.post(url, {"step": "send"})
    code = re.search(r"\d{6}", outbox[-1][1]).group()
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    response = client.post(url, {"step": "verify", "code": wrong})

    assert response.status_code == 200 and 'class="errorlist"' in response.text
    assert case.number not in client.get(url).text


def test_the_progress_shows_status_mediator_deadlines_and_a_citizen_subset_of_the_timeline(demo, outbox):
    case, token = file_case()
    staff = demo.putuo_staff
    case = case_actions.do_accept(case, by=staff)
    case = case_actions.do_assign(case, by=staff, mediators=[demo.mediator_wang], reason="内部备注：申请人情绪激动")
    case = case_actions.do_start_mediation(case, by=demo.mediator_wang)
    client = Client()
    url = f"/p/{token}/"
    prove(client, url, outbox)

    page = client.get(url).text

    assert (demo.mediator_wang.display_name or "mediator_wang") in page
    assert case.mediation_deadline.strftime("%Y-%m-%d") in page
    assert "调解中" in page or "Mediating" in page
    assert "内部备注" not in page  # notes for the file stay inside
    assert "putuo_staff" not in page and str(demo.putuo_staff) not in page


def test_a_proven_party_sees_only_their_own_case(demo, outbox):
    mine, my_token = file_case()
    theirs, their_token = file_case(applicant={"name": "王小明", "phone": "13600001111"},
                                    facts="另一宗纠纷的事实。")
    client = Client()
    prove(client, f"/p/{my_token}/", outbox)

    other = client.get(f"/p/{their_token}/")  # the session proves me, not them

    assert mine.number in client.get(f"/p/{my_token}/").text
    assert theirs.number not in other.text and "王小明" not in other.text and "另一宗" not in other.text
    assert theirs.number not in client.get(f"/p/{my_token}/").text


def test_the_code_of_one_party_does_not_open_anothers_link(demo, outbox):
    case, applicant_token = file_case()
    _, respondent_token = do_open_access(case.parties.get(role="respondent"))
    client = Client()
    client.post(f"/p/{applicant_token}/", {"step": "send"})
    code = re.search(r"\d{6}", outbox[-1][1]).group()

    response = client.post(f"/p/{respondent_token}/", {"step": "verify", "code": code})

    assert response.status_code == 200
    assert case.number not in client.get(f"/p/{respondent_token}/").text


def test_staff_invite_the_respondent_by_sms(demo, outbox):
    case, _ = file_case()
    respondent = case.parties.get(role="respondent")
    client = demo.client("putuo_staff")

    response = client.post(f"/online/cases/{case.pk}/parties/{respondent.pk}/invite/")

    assert response.status_code == 302
    phone, text = outbox[-1]
    assert phone == "13857001234" and case.number in text
    link = re.search(r"http://testserver(/p/[^/\s]+/)", text).group(1)
    assert Client().get(link).status_code == 200
    assert respondent.online_access.created_by == demo.putuo_staff


def test_staff_out_of_scope_cannot_invite(demo, outbox):
    case, _ = file_case(centre="PT01", area="330903001")
    respondent = case.parties.get(role="respondent")
    client = demo.client("liuheng_clerk")  # 六横镇 clerk, case in 沈家门

    response = client.post(f"/online/cases/{case.pk}/parties/{respondent.pk}/invite/")

    assert response.status_code == 404
    assert outbox[-1][0] != "13857001234"
