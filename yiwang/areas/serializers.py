from rest_framework import serializers

from yiwang.areas.models import Area, Centre, DisputeType, Organisation, Team, Window
from yiwang.core.fields import TextField


class AreaSerializer(serializers.ModelSerializer):
    parent = TextField(source="parent_id", allow_null=True, read_only=True)

    class Meta:
        model = Area
        fields = ["code", "name", "level", "parent", "official"]


class CentreSerializer(serializers.ModelSerializer):
    area = TextField(source="area_id", read_only=True)
    area_name = TextField(source="area.name", read_only=True)

    class Meta:
        model = Centre
        fields = ["id", "code", "name", "level", "area", "area_name", "address", "phone", "illustrative", "active"]


class WindowSerializer(serializers.ModelSerializer):
    area = TextField(source="area_id", read_only=True)
    dispute_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Window
        fields = ["id", "centre", "area", "number", "name", "kind", "dispute_types", "active"]


class TeamSerializer(serializers.ModelSerializer):
    area = TextField(source="area_id", read_only=True)
    dispute_types = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Team
        fields = ["id", "name", "kind", "area", "centre", "dispute_types", "active"]


class OrganisationSerializer(serializers.ModelSerializer):
    area = TextField(source="area_id", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "area", "illustrative", "active"]


class DisputeTypeSerializer(serializers.ModelSerializer):
    class Meta:
        model = DisputeType
        fields = ["code", "name", "maritime", "litigation_bound"]
