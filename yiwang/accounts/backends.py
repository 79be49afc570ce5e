from django.conf import settings
from django.contrib.auth.backends import ModelBackend


class ScopedModelBackend(ModelBackend):
    """Django's password check, refusing the public demo password unless DEBUG is on, and refusing every
    name from an address past its failure budget (accounts.signin: password spraying)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if password == settings.DEMO_PASSWORD and not settings.DEBUG:
            return None
        if request is not None:
            from yiwang.accounts.signin import is_address_locked

            if is_address_locked(request):
                request.axes_locked_out = True
                return None
        return super().authenticate(request, username=username, password=password, **kwargs)
