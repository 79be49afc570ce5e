"""The 腾讯云 SMS adapter against a fake server on loopback (API 3.0 SendSms, signed TC3-HMAC-SHA256 as
Tencent documents it), the choice of SMS provider and of the e-mail server from the environment, and
e-mail through Django's mailers (the test run's locmem backend)."""

import datetime as dt
import hashlib
import hmac
import json
import os
import subprocess
import sys

import pytest
from django.core import mail

from yiwang.notifications.adapters import tencent
from yiwang.notifications.models import SmsTemplate
from yiwang.notifications.tests.fakes import FakeServer
from yiwang.online.sms import SmsError

OK = {"Response": {"SendStatusSet": [{"SerialNo": "5000:1", "PhoneNumber": "+8613800000001", "Fee": 1,
                                      "Code": "Ok", "Message": "send success", "IsoCode": "CN"}],
                   "RequestId": "a0aabda6-cf91-4f3e-a81f-9198114a2279"}}


@pytest.fixture
def tencent_settings(settings):
    settings.TENCENT_SMS_SECRET_ID, settings.TENCENT_SMS_SECRET_KEY = "AKIDtest", "testkey"
    settings.TENCENT_SMS_APP_ID, settings.TENCENT_SMS_SIGN_NAME = "1400006666", "普陀社会治理"
    settings.TENCENT_SMS_REGION, settings.TENCENT_SMS_FALLBACK_TEMPLATE = "ap-guangzhou", ""
    return settings


def expected_authorization(secret_id, secret_key, host, payload: bytes, timestamp: int, date: str) -> str:
    """The documented steps, written out once more: canonical request, string to sign, derived key."""
    canonical = (f"POST\n/\n\ncontent-type:application/json; charset=utf-8\nhost:{host}\n\ncontent-type;host\n"
                 + hashlib.sha256(payload).hexdigest())
    to_sign = (f"TC3-HMAC-SHA256\n{timestamp}\n{date}/sms/tc3_request\n"
               + hashlib.sha256(canonical.encode()).hexdigest())
    key = ("TC3" + secret_key).encode()
    for part in (date, "sms", "tc3_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return (f"TC3-HMAC-SHA256 Credential={secret_id}/{date}/sms/tc3_request, SignedHeaders=content-type;host, "
            f"Signature={signature}")


def test_the_signature_follows_tc3_hmac_sha256_with_the_utc_date_of_the_timestamp():
    payload = b'{"PhoneNumberSet":["+8613800000001"]}'
    # 2026-03-03 23:30 UTC is already the 4th in Beijing: the scope's date is UTC's.
    got = tencent.authorization("AKIDtest", "testkey", host="sms.tencentcloudapi.com", payload=payload,
                                timestamp=1772580600)
    assert got == expected_authorization("AKIDtest", "testkey", "sms.tencentcloudapi.com", payload, 1772580600,
                                         "2026-03-03")


def test_a_templated_text_goes_as_its_template_id_and_numbered_values_correctly_signed(db, tencent_settings):
    SmsTemplate.objects.create(code="case_accepted", name="受理", provider_code="1234567",
                               body="${centre}已受理您的纠纷（案号${number}），将尽快指派调解员。")
    with FakeServer(lambda r: (200, OK)) as server:
        tencent.TencentSmsBackend(endpoint=server.url + "/").send(
            "13800000001", "六横镇社会治理中心已受理您的纠纷（案号普陀调〔2026〕1号），将尽快指派调解员。")
    [request] = server.requests
    headers, body = request["headers"], json.loads(request["body"])
    assert body == {"PhoneNumberSet": ["+8613800000001"], "SmsSdkAppId": "1400006666", "SignName": "普陀社会治理",
                    "TemplateId": "1234567", "TemplateParamSet": ["六横镇社会治理中心", "普陀调〔2026〕1号"]}
    assert (headers["x-tc-action"], headers["x-tc-version"], headers["x-tc-region"]) == (
        "SendSms", "2021-01-11", "ap-guangzhou")
    timestamp = int(headers["x-tc-timestamp"])
    date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    assert headers["authorization"] == expected_authorization(
        "AKIDtest", "testkey", headers["host"], request["body"].encode(), timestamp, date)


@pytest.mark.parametrize("answer, code", [
    ({"Response": {"Error": {"Code": "AuthFailure.SignatureFailure", "Message": "签名错误"}, "RequestId": "r"}},
     "AuthFailure.SignatureFailure"),
    ({"Response": {"SendStatusSet": [{"Code": "LimitExceeded.PhoneNumberDailyLimit", "Message": "单日超限"}],
                   "RequestId": "r"}}, "LimitExceeded.PhoneNumberDailyLimit"),
])
def test_a_refused_call_or_message_raises_with_tencents_code(db, tencent_settings, answer, code):
    tencent_settings.TENCENT_SMS_FALLBACK_TEMPLATE = "900000"
    with FakeServer(lambda r: (200, answer)) as server, pytest.raises(SmsError, match=code):
        tencent.TencentSmsBackend(endpoint=server.url + "/").send("13800000001", "您的验证码是123456")
    assert json.loads(server.requests[0]["body"])["TemplateParamSet"] == ["您的验证码是123456"]


def test_a_text_from_no_template_without_a_fallback_is_refused_before_any_call(db, tencent_settings):
    with pytest.raises(SmsError, match="FALLBACK"):
        tencent.TencentSmsBackend(endpoint="http://127.0.0.1:9/").send("13800000001", "您的验证码是123456")


def test_e_mail_goes_through_the_configured_mailer_with_the_sender_and_prefix(settings):
    from yiwang.notifications.transports import EmailTransport

    settings.DEFAULT_FROM_EMAIL, settings.EMAIL_SUBJECT_PREFIX = "yiwang@putuo.gov.cn", "【普陀】"
    backend = settings.MAILERS["default"]["BACKEND"] if hasattr(mail, "mailers") else settings.EMAIL_BACKEND
    assert backend == "django.core.mail.backends.locmem.EmailBackend"
    EmailTransport().send("wang@example.org", "案件即将到期\n详情 http://127.0.0.1:8000/cases/1/")
    [message] = mail.outbox
    assert (message.from_email, message.to, message.subject) == ("yiwang@putuo.gov.cn", ["wang@example.org"],
                                                                "【普陀】案件即将到期")
    assert "/cases/1/" in message.body


def _settings_from(env: dict) -> subprocess.CompletedProcess:
    code = "import json, yiwang.settings as s; print(json.dumps([s.SMS_BACKEND, s.MAILERS, s.DEFAULT_FROM_EMAIL]))"
    clean = {k: v for k, v in os.environ.items() if not k.startswith("YIWANG_EMAIL") and k != "YIWANG_SMS_BACKEND"}
    return subprocess.run([sys.executable, "-c", code], env={**clean, "DEBUG": "1", **env}, capture_output=True,
                          text=True, timeout=60)


def test_the_environment_chooses_the_sms_provider_and_the_mail_server():
    done = _settings_from({"YIWANG_SMS_BACKEND": "tencent", "YIWANG_EMAIL_HOST": "smtp.putuo.gov.cn",
                           "YIWANG_EMAIL_USE_TLS": "1", "YIWANG_EMAIL_USER": "yiwang",
                           "YIWANG_EMAIL_FROM": "yiwang@putuo.gov.cn"})
    assert done.returncode == 0, done.stderr
    backend, mailers, sender = json.loads(done.stdout)
    assert backend == "yiwang.notifications.adapters.tencent.TencentSmsBackend"
    assert mailers["default"]["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    options = mailers["default"]["OPTIONS"]
    assert (options["host"], options["port"], options["use_tls"], options["username"]) == (
        "smtp.putuo.gov.cn", 587, True, "yiwang")
    assert sender == "yiwang@putuo.gov.cn"
    refused = _settings_from({"YIWANG_SMS_BACKEND": "tencnet"})
    assert refused.returncode != 0 and "YIWANG_SMS_BACKEND" in refused.stderr
