"""The token endpoint for machine clients."""

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from yiwang.audit.actions import record


class TokenRequest(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)


@extend_schema(
    request=TokenRequest,
    responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField()})},
    description="Exchange a user name and password for an API token, sent as `Authorization: Token …`.",
)
@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def obtain_token(request):
    data = TokenRequest(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        user = authenticate(request._request, **data.validated_data)
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
    token, _created = Token.objects.get_or_create(user=user)
    record(user, "auth.token_issued")
    return Response({"token": token.key})
