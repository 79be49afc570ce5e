"""The 阿里云 SMS and 浙政钉 adapters against fake servers on loopback: the documented requests, correctly
signed, and their refusals raised so the outbox retries and, in the end, records the failure."""

import base64
import hashlib
import hmac
import json

import pytest
from django.db import transaction

from yiwang.notifications.adapters import aliyun, zzd
from yiwang.notifications.models import SmsTemplate
from yiwang.notifications.tests.fakes import FakeServer
from yiwang.online.sms import SmsError


@pytest.fixture
def aliyun_settings(settings):
    settings.ALIYUN_SMS_ACCESS_KEY_ID = "testid"
    settings.ALIYUN_SMS_ACCESS_KEY_SECRET = "testsecret"
    settings.ALIYUN_SMS_SIGN_NAME = "普陀社会治理"
    settings.ALIYUN_SMS_FALLBACK_TEMPLATE = ""
    return settings


def test_the_aliyun_signature_follows_the_documented_rpc_scheme():
    """StringToSign = POST&%2F&percentEncode(sorted k=v joined by &), keyed with the secret and "&";
    percent-encoding as RFC 3986: space %20, * %2A, ~ kept."""
    parameters = {"Action": "SendSms", "SignName": "普陀 社会*治理~", "AccessKeyId": "testid", "Timestamp": "2026-03-03T02:00:00Z"}
    canonical = ("AccessKeyId=testid&Action=SendSms&SignName=%E6%99%AE%E9%99%80%20%E7%A4%BE%E4%BC%9A%2A%E6%B2%BB%E7%90%86~"
                 "&Timestamp=2026-03-03T02%3A00%3A00Z")
    to_sign = "POST&%2F&" + aliyun.percent_encode(canonical)
    expected = base64.b64encode(hmac.new(b"testsecret&", to_sign.encode(), hashlib.sha1).digest()).decode()
    assert aliyun.sign(parameters, "testsecret") == expected


def test_a_templated_text_is_sent_as_its_template_code_and_variables(db, aliyun_settings):
    SmsTemplate.objects.create(code="case_accepted", name="受理", provider_code="SMS_100001",
                               body="${centre}已受理您的纠纷（案号${number}），将尽快指派调解员。")
    with FakeServer(lambda r: (200, {"Code": "OK", "Message": "OK", "BizId": "9", "RequestId": "r"})) as server:
        aliyun.AliyunSmsBackend(endpoint=server.url + "/").send(
            "13800000001", "六横镇社会治理中心已受理您的纠纷（案号普陀调〔2026〕1号），将尽快指派调解员。")
    [request] = server.requests
    params = request["params"]
    assert request["method"] == "POST" and params["Action"] == "SendSms" and params["TemplateCode"] == "SMS_100001"
    assert json.loads(params["TemplateParam"]) == {"centre": "六横镇社会治理中心", "number": "普陀调〔2026〕1号"}
    assert params["SignName"] == "普陀社会治理" and params["PhoneNumbers"] == "13800000001"
    signature = params.pop("Signature")
    assert signature == aliyun.sign(params, "testsecret")


def test_a_text_from_no_template_is_refused_without_a_fallback_and_sent_through_it_with_one(db, aliyun_settings):
    with FakeServer(lambda r: (200, {"Code": "OK"})) as server:
        backend = aliyun.AliyunSmsBackend(endpoint=server.url + "/")
        with pytest.raises(SmsError):
            backend.send("13800000001", "您的验证码是123456")
        aliyun_settings.ALIYUN_SMS_FALLBACK_TEMPLATE = "SMS_900000"
        backend.send("13800000001", "您的验证码是123456")
    [request] = server.requests
    assert request["params"]["TemplateCode"] == "SMS_900000"
    assert json.loads(request["params"]["TemplateParam"]) == {"content": "您的验证码是123456"}


def test_the_gateways_refusal_is_retried_by_the_outbox_then_recorded_as_failed(db, aliyun_settings, settings,
                                                                                monkeypatch):
    from yiwang.core import outbox
    from yiwang.core.models import Notification

    settings.ALIYUN_SMS_FALLBACK_TEMPLATE = "SMS_900000"
    settings.OUTBOX_MAX_ATTEMPTS = 3
    settings.OUTBOX_RETRY_SECONDS = 1
    monkeypatch.setattr("yiwang.core.outbox._after_commit", lambda enqueue: None)
    answers = iter([(200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"}), (500, {}),
                    (200, {"Code": "isv.BUSINESS_LIMIT_CONTROL", "Message": "触发流控"})])
    with FakeServer(lambda r: next(answers)) as server:
        settings.ALIYUN_SMS_ENDPOINT = server.url + "/"
        settings.SMS_BACKEND = "yiwang.notifications.adapters.aliyun.AliyunSmsBackend"
        with transaction.atomic():
            row = outbox.notify("sms", "13800000001", "测试消息", key="aliyun:retry")
        import datetime as dt

        from django.utils import timezone

        moment = timezone.now()
        for _attempt in range(3):
            outbox.deliver_due(moment)
            moment += dt.timedelta(minutes=10)
    row.refresh_from_db()
    assert len(server.requests) == 3 and row.status == "failed" and row.attempts == 3
    assert "BUSINESS_LIMIT_CONTROL" in row.last_error
    assert row.status == Notification.objects.get(pk=row.pk).status


@pytest.fixture
def zzd_settings(settings):
    settings.ZZD_APP_KEY, settings.ZZD_APP_SECRET, settings.ZZD_ORGANISATION_ID = "ak", "sk", "50001"
    zzd.ZzdClient._token = None
    yield settings
    zzd.ZzdClient._token = None


def _zzd_answer(request):
    if request["path"] == "/gettoken.json":
        return 200, {"success": True, "content": {"data": {"accessToken": "tok", "expiresIn": 7200}}}
    receivers = request["params"]["receiverIds"].split(",")
    if len(receivers) > zzd.MAX_RECEIVERS:
        return 200, {"success": False, "errorCode": "TOO_MANY", "errorMsg": "too many receivers"}
    return 200, {"success": True, "content": {"data": request["params"]["bizMsgId"]}}


def _expected_signature(request):
    h = request["headers"]
    params = dict(request["params"])
    text = "\n".join([request["method"], h["x-hmac-auth-timestamp"], h["x-hmac-auth-nonce"], request["path"]])
    text += "\n" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    return base64.b64encode(hmac.new(b"sk", text.encode(), hashlib.sha256).digest()).decode()


def test_a_work_notice_to_2500_people_goes_in_three_signed_calls(db, zzd_settings):
    with FakeServer(_zzd_answer) as server:
        client = zzd.ZzdClient(endpoint=server.url)
        client.send_work_notice([f"acc{n}" for n in range(2500)], "案件即将到期", biz_msg_id="m1")
    token, *sends = server.requests
    assert token["path"] == "/gettoken.json" and len(sends) == 3  # the token is taken once
    assert [len(s["params"]["receiverIds"].split(",")) for s in sends] == [1000, 1000, 500]
    for request in server.requests:
        assert request["headers"]["apikey"] == "ak"
        assert request["headers"]["x-hmac-auth-signature"] == _expected_signature(request)
    msg = json.loads(sends[0]["params"]["msg"])
    assert msg == {"msgtype": "text", "text": {"content": "案件即将到期"}} and sends[0]["params"]["organizationId"] == "50001"


def test_a_long_text_is_cut_to_2048_bytes_on_a_character_boundary():
    text = "督" * 1000  # 3,000 bytes in UTF-8
    cut = zzd.cut_to_bytes(text)
    assert len(cut.encode()) <= 2048 and cut.endswith("…") and cut[:-1] == "督" * len(cut[:-1])
    assert zzd.cut_to_bytes("短") == "短"


def test_a_refusal_from_the_platform_raises(db, zzd_settings):
    def refuse(request):
        if request["path"] == "/gettoken.json":
            return _zzd_answer(request)
        return 200, {"success": False, "errorCode": "USER_NOT_EXIST", "errorMsg": "用户不存在"}

    with FakeServer(refuse) as server, pytest.raises(zzd.ZzdError, match="USER_NOT_EXIST"):
        zzd.ZzdClient(endpoint=server.url).send_work_notice(["nobody"], "测试", biz_msg_id="m2")
