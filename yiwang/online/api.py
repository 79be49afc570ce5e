"""/api/v1/signed-agreements/: agreements signed remotely, scoped like their cases, each with the URL of
its signed PDF (`agreement_pdf`) and the record of every signature (order, role, signer, time, hash)."""

from django.http import Http404, HttpResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action

from yiwang.core.fields import TextField
from yiwang.core.scope import user_can
from yiwang.online.models import Signature, SignedAgreement
from yiwang.pii import mask_name


def get_agreement_pdf_url(case, request=None) -> str | None:
    """The URL of the case's signed agreement PDF once it is sealed, else None (for the case API): an API
    URL, so that a client holding only its API token downloads it (GET …/signed-agreements/{id}/pdf/)."""
    signed = getattr(case, "signed_agreement", None)
    if signed is None or signed.completed_at is None:
        return None
    url = reverse("signed-agreement-pdf", args=[signed.pk])
    return request.build_absolute_uri(url) if request is not None else url


class SignatureSerializer(serializers.ModelSerializer):
    """A signature; a party's name in its label is masked unless the reader holds pii.view on the case."""

    class Meta:
        model = Signature
        fields = ["order", "role", "label", "signed_at", "sha256"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if (instance.party_id and instance.party.kind == "person"
                and not user_can(user, "pii.view", instance.agreement.case.area_id)):
            role, _, name = instance.label.partition(" ")
            data["label"] = f"{role} {mask_name(name)}" if name else mask_name(role)
        return data


class SignedAgreementSerializer(serializers.ModelSerializer):
    case_number = TextField(source="case.number", read_only=True)
    agreement_pdf = serializers.SerializerMethodField()
    signatures = SignatureSerializer(many=True, read_only=True)

    class Meta:
        model = SignedAgreement
        fields = ["id", "case", "case_number", "sha256", "created_at", "completed_at", "agreement_pdf", "signatures"]

    def get_agreement_pdf(self, signed) -> str | None:
        return get_agreement_pdf_url(signed.case, self.context.get("request"))


class SignedAgreementViewSet(viewsets.ReadOnlyModelViewSet):
    """Agreements put up for remote signing in the caller's scope; `completed_at` is set once sealed."""

    serializer_class = SignedAgreementSerializer

    def get_queryset(self):
        return (
            SignedAgreement.objects.visible_to(self.request.user, "case.view")
            .select_related("case").prefetch_related("signatures").order_by("-created_at", "-id")
        )

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="The signed agreement PDF")
    @action(detail=True, methods=["get"], url_path="pdf", url_name="pdf")
    def pdf(self, request, pk=None, format=None):
        """The sealed file for a reader with pii.view who works the case, else the agreement masked
        (online.views.get_agreement_download, as the staff page serves it)."""
        from yiwang.online.views import get_agreement_download

        signed = self.get_object()
        if signed.completed_at is None:
            raise Http404
        content, filename = get_agreement_download(signed.case, request.user)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}"'
        return response


def register(router) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("signed-agreements", SignedAgreementViewSet, basename="signed-agreement")
