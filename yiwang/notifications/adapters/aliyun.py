"""阿里云短信 (Aliyun SMS, dysmsapi 2017-05-25) as an SMS backend (settings.SMS_BACKEND =
"yiwang.notifications.adapters.aliyun.AliyunSmsBackend").

The gateway sends approved templates, not free text: `SendSms` takes the signature (SignName), the
template's code (TemplateCode, e.g. SMS_123456) and its variables as JSON (TemplateParam). The outbox
hands a backend only (phone, text), so the backend finds which saved SmsTemplate the text was rendered
from and recovers its variables (possible because no two variables stand side by side, see
models.check_template_body). A text from no template (a one-time code, the citizen side's own messages)
goes through the generic template settings.ALIYUN_SMS_FALLBACK_TEMPLATE with its whole text as
${content}, or is refused when none is configured.

The request is the RPC style documented for dysmsapi: the common parameters (AccessKeyId, Action,
Format=JSON, RegionId, SignatureMethod=HMAC-SHA1, SignatureNonce, SignatureVersion=1.0, Timestamp in UTC
ISO 8601, Version) and the action's, sorted, percent-encoded (RFC 3986, space as %20), signed as
HMAC-SHA1(AccessKeySecret + "&", "POST&%2F&" + encode(canonical query)) in base64, and POSTed as a form.
The answer is JSON: {"Code": "OK", "BizId": …} or an error code and message.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from yiwang.notifications.adapters.templates import match_template
from yiwang.online.sms import SmsError

__all__ = ["AliyunSmsBackend", "match_template", "percent_encode", "sign"]

TIMEOUT_SECONDS = 10


def percent_encode(value: str) -> str:
    return urllib.parse.quote(str(value), safe="~")


def sign(parameters: dict, secret: str, method: str = "POST") -> str:
    """The Signature of an RPC request with these parameters (Signature itself excluded)."""
    canonical = "&".join(f"{percent_encode(k)}={percent_encode(v)}" for k, v in sorted(parameters.items()))
    to_sign = f"{method}&{percent_encode('/')}&{percent_encode(canonical)}"
    digest = hmac.new(f"{secret}&".encode(), to_sign.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


class AliyunSmsBackend:
    """Sends one SMS through dysmsapi's SendSms; raises SmsError on any refusal (the outbox retries)."""

    def __init__(self, endpoint: str | None = None):
        self.endpoint = endpoint or settings.ALIYUN_SMS_ENDPOINT
        self.key_id = settings.ALIYUN_SMS_ACCESS_KEY_ID
        self.secret = settings.ALIYUN_SMS_ACCESS_KEY_SECRET
        self.sign_name = settings.ALIYUN_SMS_SIGN_NAME
        if not (self.key_id and self.secret and self.sign_name):
            raise SmsError("Aliyun SMS is not configured (ALIYUN_SMS_ACCESS_KEY_ID, _SECRET, _SIGN_NAME)")

    def parameters(self, phone: str, text: str, *, now: dt.datetime | None = None, nonce: str | None = None) -> dict:
        matched = match_template(text)
        if matched is not None:
            template, variables = matched
            code = template.provider_code
        elif settings.ALIYUN_SMS_FALLBACK_TEMPLATE:
            code, variables = settings.ALIYUN_SMS_FALLBACK_TEMPLATE, {"content": text}
        else:
            raise SmsError("no approved template matches the text and ALIYUN_SMS_FALLBACK_TEMPLATE is unset")
        now = now or dt.datetime.now(dt.UTC)
        parameters = {
            "AccessKeyId": self.key_id, "Action": "SendSms", "Format": "JSON", "RegionId": "cn-hangzhou",
            "SignatureMethod": "HMAC-SHA1", "SignatureNonce": nonce or secrets.token_hex(16),
            "SignatureVersion": "1.0", "Timestamp": now.strftime("%Y-%m-%dT%H:%M:%SZ"), "Version": "2017-05-25",
            "PhoneNumbers": phone, "SignName": self.sign_name, "TemplateCode": code,
            "TemplateParam": json.dumps(variables, ensure_ascii=False, separators=(",", ":")),
        }
        parameters["Signature"] = sign(parameters, self.secret)
        return parameters

    def send(self, phone: str, text: str) -> None:
        body = urllib.parse.urlencode(self.parameters(phone, text), quote_via=urllib.parse.quote).encode()
        request = urllib.request.Request(self.endpoint, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - configured URL
                answer = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as error:
            try:
                answer = json.loads(error.read().decode() or "{}")
            except ValueError:
                raise SmsError(f"HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise SmsError(f"gateway unreachable: {error}") from None
        if answer.get("Code") != "OK":
            raise SmsError(f"{answer.get('Code', '?')}: {answer.get('Message', '')}")
