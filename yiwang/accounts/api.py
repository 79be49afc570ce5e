"""The token endpoint for machine clients."""

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from yiwang.accounts import actions, twofactor
from yiwang.core.fields import TextField


class TokenRequest(serializers.Serializer):
    username = TextField(max_length=150)
    password = TextField(max_length=128, trim_whitespace=False)
    name = TextField(max_length=60, required=False, default="api",
                                 help_text="The token's name, e.g. the system using it. Asking again for the "
                                           "same name replaces that token.")
    otp = TextField(max_length=20, required=False, default="",
                                help_text="A one-time code, for users who must sign in with a second factor.")


@extend_schema(
    request=TokenRequest,
    responses={200: inline_serializer("TokenResponse", {
        "token": TextField(), "name": TextField(), "expires_at": serializers.DateTimeField()})},
    description="Exchange a user name and password (and, where two-factor sign-in applies, a one-time code) "
                "for an API token, sent as `Authorization: Token …`. The token is shown once, expires after "
                "YIWANG_TOKEN_DAYS days and ends when the password changes.",
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def obtain_token(request):
    data = TokenRequest(data=request.data)
    data.is_valid(raise_exception=True)
    fields = data.validated_data
    try:
        user = authenticate(request._request, username=fields["username"], password=fields["password"])
    except AxesBackendPermissionDenied:
        user = None
    if getattr(request._request, "axes_locked_out", False):
        return Response(
            {"detail": str(_("Too many failed sign-ins. Try again later."))},
            status=status.HTTP_429_TOO_MANY_REQUESTS,
        )
    if user is None or not user.is_active:
        return Response(
            {"detail": str(_("Wrong user name or password."))}, status=status.HTTP_400_BAD_REQUEST
        )
    if (twofactor.needs_two_factor(user) or twofactor.has_device(user)) and twofactor.verify_code(
            user, fields["otp"]) is None:
        from yiwang.audit.actions import record

        record(user, "auth.two_factor_failed", user)
        return Response({"otp": [str(_("A valid one-time code is required for this user."))]},
                        status=status.HTTP_400_BAD_REQUEST)
    for old in user.api_tokens.live().filter(name=fields["name"].strip()):
        actions.do_revoke_token(old, by=user)
    token, key = actions.do_issue_token(user, fields["name"])
    return Response({"token": key, "name": token.name, "expires_at": token.expires_at})
