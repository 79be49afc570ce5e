"""腾讯云短信 (Tencent Cloud SMS, API 3.0, version 2021-01-11) as an SMS backend
(YIWANG_SMS_BACKEND=tencent, i.e. "yiwang.notifications.adapters.tencent.TencentSmsBackend").

Like every Chinese gateway it sends approved templates, not free text: `SendSms` takes the SMS app
(SmsSdkAppId), the signature (SignName), the approved template's id (TemplateId) and the values of its
numbered variables {1}, {2}… (TemplateParamSet, in order). The outbox hands a backend only (phone, text),
so the backend finds the saved SmsTemplate the text was rendered from (adapters.templates) and passes its
${variables}' values in the order they appear; the template approved at Tencent must number them in that
order. A text from no template goes through settings.TENCENT_SMS_FALLBACK_TEMPLATE (one variable: the
whole text), or is refused when none is configured.

The request is API 3.0's: a POST of the JSON parameters with the headers X-TC-Action, X-TC-Version,
X-TC-Timestamp (Unix seconds), X-TC-Region, signed TC3-HMAC-SHA256:
    CanonicalRequest = POST \n / \n (empty query) \n content-type:…\nhost:…\n \n content-type;host \n
                       hex(SHA256(payload))
    StringToSign     = TC3-HMAC-SHA256 \n timestamp \n <UTC date>/sms/tc3_request \n hex(SHA256(CanonicalRequest))
    key              = HMAC(HMAC(HMAC("TC3" + SecretKey, date), "sms"), "tc3_request")
    Authorization    = TC3-HMAC-SHA256 Credential=<SecretId>/<date>/sms/tc3_request, SignedHeaders=content-type;host,
                       Signature=hex(HMAC(key, StringToSign))
The answer is {"Response": {"SendStatusSet": [{"Code": "Ok", …}], "RequestId": …}}, or
{"Response": {"Error": {"Code": …, "Message": …}}} when the call itself is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

from yiwang.notifications.adapters.templates import get_variable_names, match_template
from yiwang.online.sms import SmsError

SERVICE, VERSION, ACTION = "sms", "2021-01-11", "SendSms"
ALGORITHM = "TC3-HMAC-SHA256"
CONTENT_TYPE = "application/json; charset=utf-8"
SIGNED_HEADERS = "content-type;host"
TIMEOUT_SECONDS = 10


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def authorization(secret_id: str, secret_key: str, *, host: str, payload: bytes, timestamp: int) -> str:
    """The Authorization header of a POST of `payload` to `host` at `timestamp` (TC3-HMAC-SHA256)."""
    date = dt.datetime.fromtimestamp(timestamp, dt.UTC).strftime("%Y-%m-%d")
    canonical = "\n".join(["POST", "/", "", f"content-type:{CONTENT_TYPE}\nhost:{host}\n", SIGNED_HEADERS,
                           hashlib.sha256(payload).hexdigest()])
    scope = f"{date}/{SERVICE}/tc3_request"
    to_sign = "\n".join([ALGORITHM, str(timestamp), scope, hashlib.sha256(canonical.encode()).hexdigest()])
    key = _hmac(_hmac(_hmac(f"TC3{secret_key}".encode(), date), SERVICE), "tc3_request")
    signature = hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()
    return f"{ALGORITHM} Credential={secret_id}/{scope}, SignedHeaders={SIGNED_HEADERS}, Signature={signature}"


def international(phone: str) -> str:
    """E.164 as the API wants it: a mainland mobile gets +86."""
    return phone if phone.startswith("+") else f"+86{phone}"


class TencentSmsBackend:
    """Sends one SMS through SendSms; raises SmsError on any refusal (the outbox retries, then records it)."""

    def __init__(self, endpoint: str | None = None):
        self.endpoint = endpoint or settings.TENCENT_SMS_ENDPOINT
        self.secret_id = settings.TENCENT_SMS_SECRET_ID
        self.secret_key = settings.TENCENT_SMS_SECRET_KEY
        self.app_id = settings.TENCENT_SMS_APP_ID
        self.sign_name = settings.TENCENT_SMS_SIGN_NAME
        if not (self.secret_id and self.secret_key and self.app_id and self.sign_name):
            raise SmsError("Tencent Cloud SMS is not configured (TENCENT_SMS_SECRET_ID, _SECRET_KEY, _APP_ID, "
                           "_SIGN_NAME)")

    def parameters(self, phone: str, text: str) -> dict:
        matched = match_template(text)
        if matched is not None:
            template, variables = matched
            template_id, values = template.provider_code, [variables[n] for n in get_variable_names(template)]
        elif settings.TENCENT_SMS_FALLBACK_TEMPLATE:
            template_id, values = settings.TENCENT_SMS_FALLBACK_TEMPLATE, [text]
        else:
            raise SmsError("no approved template matches the text and TENCENT_SMS_FALLBACK_TEMPLATE is unset")
        return {"PhoneNumberSet": [international(phone)], "SmsSdkAppId": self.app_id, "SignName": self.sign_name,
                "TemplateId": template_id, "TemplateParamSet": values}

    def request(self, phone: str, text: str, *, timestamp: int | None = None) -> urllib.request.Request:
        payload = json.dumps(self.parameters(phone, text), ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(time.time()) if timestamp is None else timestamp
        host = urllib.parse.urlsplit(self.endpoint).netloc
        return urllib.request.Request(self.endpoint, data=payload, method="POST", headers={
            "Authorization": authorization(self.secret_id, self.secret_key, host=host, payload=payload,
                                           timestamp=timestamp),
            "Content-Type": CONTENT_TYPE, "Host": host, "X-TC-Action": ACTION, "X-TC-Version": VERSION,
            "X-TC-Timestamp": str(timestamp), "X-TC-Region": settings.TENCENT_SMS_REGION,
        })

    def send(self, phone: str, text: str) -> None:
        try:
            with urllib.request.urlopen(self.request(phone, text), timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
                answer = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as error:
            raise SmsError(f"HTTP {error.code}") from None
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise SmsError(f"gateway unreachable: {error}") from None
        response = answer.get("Response") or {}
        if "Error" in response:
            error = response["Error"]
            raise SmsError(f"{error.get('Code', '?')}: {error.get('Message', '')}")
        statuses = response.get("SendStatusSet") or [{}]
        status = statuses[0]
        if status.get("Code") != "Ok":
            raise SmsError(f"{status.get('Code', '?')}: {status.get('Message', '')}")
