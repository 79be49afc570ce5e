"""GET /api/v1/notifications/ (my inbox, newest first; ?unread=true for the unread only),
POST /api/v1/notifications/{id}/read/ and POST /api/v1/notifications/read-all/. Only the caller's own
items exist here: anyone else's is 404."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from yiwang.notifications import actions
from yiwang.notifications.models import InboxItem


class InboxItemSerializer(serializers.ModelSerializer):
    read = serializers.BooleanField(source="is_read", read_only=True)

    class Meta:
        model = InboxItem
        fields = ["id", "kind", "text", "url", "urgent", "created_at", "read_at", "read"]
        read_only_fields = fields


class InboxViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The caller's inbox."""

    serializer_class = InboxItemSerializer

    def get_queryset(self):
        items = InboxItem.objects.visible_to(self.request.user)
        if self.action == "list" and self.request.query_params.get("unread") in ("1", "true", "yes"):
            items = items.unread()
        return items

    @extend_schema(parameters=[OpenApiParameter("unread", bool, description="Only unread items.")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=InboxItemSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None, **kwargs):
        """Mark one item read."""
        item = actions.do_mark_read(self.get_object(), by=request.user)
        return Response(InboxItemSerializer(item, context={"request": request}).data)

    @extend_schema(request=None, responses=inline_serializer("ReadAll", {"marked": serializers.IntegerField()}))
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request, **kwargs):
        """Mark every unread item read."""
        return Response({"marked": actions.do_mark_all_read(by=request.user)})


def register(router) -> None:
    router.register("notifications", InboxViewSet, basename="notification")
