"""Machine API keys of the banks' core systems, as a DRF authentication class.

    Authorization: Bank-Key yw_…

The key acts as its bank's service account (finance.actions.get_service_user), so it reaches exactly the
bank's own batches and cases. A revoked or unknown key answers 401; every use is audited.
"""

from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from yiwang.core import audit
from yiwang.finance.models import ApiKey, hash_key

KEYWORD = "Bank-Key"


class BankKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bank-Key <key>`: the bank's service user, with the ApiKey as request.auth."""

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1").split()
        if not header or header[0] != KEYWORD:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send the key as: Authorization: Bank-Key <key>."))
        key = ApiKey.objects.select_related("user", "bank__organisation").filter(hashed=hash_key(header[1])).first()
        if key is None or not key.is_active or not key.user.is_active:
            raise exceptions.AuthenticationFailed(_("This key is unknown or revoked."))
        now = timezone.now()
        ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        audit.record(key.user, "finance.key_used", key, area_code=key.bank.organisation.area_id,
                     method=request.method, path=request.path[:200], prefix=key.prefix)
        return key.user, key

    def authenticate_header(self, request):
        return KEYWORD  # a 401 (not a 403) for a missing or refused key
