"""浙政钉 work notices (工作通知) through the 政务钉钉 open platform's HTTP API: a small signed client,
since no SDK is on the package registries.

Every call carries the open platform's HMAC headers: apiKey, X-Hmac-Auth-Timestamp (local time with its
offset), X-Hmac-Auth-Version "1.0", X-Hmac-Auth-Nonce, X-Hmac-Auth-IP, X-Hmac-Auth-MAC and
X-Hmac-Auth-Signature = base64(HMAC-SHA256(secret, method\\ntimestamp\\nnonce\\nuri[\\nparams])), where
params are the request's parameters sorted by name as k=v joined by &. A call first takes an access token
(GET /gettoken.json with appkey and appsecret; kept until shortly before it expires), then POSTs
/message/workNotification with organizationId, receiverIds (comma-separated accountIds, at most 1,000 a
call), bizMsgId (our idempotency key) and msg (a JSON text message). The answer is JSON
{"success": true, "content": {...}} or success false with errorCode and errorMsg.

The platform's other limits are kept where the information is: the same content to the same person once
a day and 100 a day per person by the delivering app (delivery.zzd_key, ZZD_PER_USER_PER_DAY); a
message's content at most 2,048 bytes here (cut on a character boundary).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings

MAX_RECEIVERS = 1000
MAX_CONTENT_BYTES = 2048
TIMEOUT_SECONDS = 10


class ZzdError(Exception):
    """The open platform refused the call or could not be reached."""


def cut_to_bytes(text: str, limit: int = MAX_CONTENT_BYTES) -> str:
    """`text`, cut so its UTF-8 form is at most `limit` bytes (never inside a character), "…" marking a cut."""
    data = text.encode()
    if len(data) <= limit:
        return text
    return data[:limit - len("…".encode())].decode(errors="ignore") + "…"


def signature(secret: str, method: str, timestamp: str, nonce: str, uri: str, params: dict) -> str:
    text = f"{method}\n{timestamp}\n{nonce}\n{uri}"
    if params:
        text += "\n" + "&".join(f"{k}={v}" for k, v in sorted(params.items()))
    return base64.b64encode(hmac.new(secret.encode(), text.encode(), hashlib.sha256).digest()).decode()


class ZzdClient:
    """The open platform client of one app (app key and secret, the organisation, settings.ZZD_*)."""

    _token_lock = threading.Lock()
    _token: tuple[str, float] | None = None

    def __init__(self, endpoint: str | None = None):
        self.endpoint = (endpoint or settings.ZZD_ENDPOINT).rstrip("/")
        self.app_key, self.app_secret = settings.ZZD_APP_KEY, settings.ZZD_APP_SECRET
        self.organisation_id = settings.ZZD_ORGANISATION_ID
        if not (self.endpoint and self.app_key and self.app_secret and self.organisation_id):
            raise ZzdError("浙政钉 is not configured (ZZD_ENDPOINT, ZZD_APP_KEY, ZZD_APP_SECRET, ZZD_ORGANISATION_ID)")

    def _call(self, method: str, uri: str, params: dict) -> dict:
        timestamp = dt.datetime.now().astimezone().isoformat(timespec="milliseconds")
        nonce = f"{int(time.time() * 1000)}{secrets.randbelow(10_000):04d}"
        headers = {
            "apiKey": self.app_key, "X-Hmac-Auth-Timestamp": timestamp, "X-Hmac-Auth-Version": "1.0",
            "X-Hmac-Auth-Nonce": nonce, "X-Hmac-Auth-IP": settings.ZZD_CLIENT_IP, "X-Hmac-Auth-MAC": settings.ZZD_CLIENT_MAC,
            "X-Hmac-Auth-Signature": signature(self.app_secret, method, timestamp, nonce, uri, params),
        }
        query = urllib.parse.urlencode(params)
        if method == "GET":
            request = urllib.request.Request(f"{self.endpoint}{uri}?{query}", headers=headers, method="GET")
        else:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            request = urllib.request.Request(f"{self.endpoint}{uri}", data=query.encode(), headers=headers,
                                             method="POST")
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 - configured URL
                answer = json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as error:
            raise ZzdError(f"HTTP {error.code} from {uri}") from None
        except (urllib.error.URLError, TimeoutError, ValueError) as error:
            raise ZzdError(f"{uri} unreachable: {error}") from None
        if not answer.get("success"):
            raise ZzdError(f"{answer.get('errorCode', '?')}: {answer.get('errorMsg', '')}")
        return answer.get("content") or {}

    def access_token(self) -> str:
        with self._token_lock:
            cached = ZzdClient._token
            if cached and cached[1] > time.monotonic():
                return cached[0]
            data = self._call("GET", "/gettoken.json", {"appkey": self.app_key, "appsecret": self.app_secret})
            data = data.get("data") or data
            token, expires = data.get("accessToken"), int(data.get("expiresIn", 7200))
            if not token:
                raise ZzdError("no access token in the answer")
            ZzdClient._token = (token, time.monotonic() + max(60, expires - 300))
            return token

    def send_work_notice(self, account_ids, text: str, *, biz_msg_id: str) -> list[dict]:
        """One work notice to each account, in calls of at most 1,000 receivers; returns each call's content."""
        accounts = list(dict.fromkeys(account_ids))
        msg = json.dumps({"msgtype": "text", "text": {"content": cut_to_bytes(text)}}, ensure_ascii=False)
        results = []
        for start in range(0, len(accounts), MAX_RECEIVERS):
            chunk = accounts[start:start + MAX_RECEIVERS]
            results.append(self._call("POST", "/message/workNotification", {
                "access_token": self.access_token(), "organizationId": self.organisation_id,
                "receiverIds": ",".join(chunk), "bizMsgId": f"{biz_msg_id}-{start // MAX_RECEIVERS}"[:64],
                "msg": msg, "tenantId": self.organisation_id,
            }))
        return results
