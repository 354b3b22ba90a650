from rest_framework import serializers, viewsets

from rutan.core.api import ConcurrencyMixin

from .models import Block, Facility
from .selectors import facility_list


class BlockSerializer(serializers.ModelSerializer):
    class Meta:
        model = Block
        fields = ["id", "name", "sex", "capacity"]


class FacilitySerializer(serializers.ModelSerializer):
    regional_office = serializers.StringRelatedField()
    blocks = BlockSerializer(many=True, read_only=True)

    class Meta:
        model = Facility
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "facility_class",
            "regional_office",
            "city",
            "address",
            "capacity",
            "timezone",
            "blocks",
        ]


class FacilityViewSet(ConcurrencyMixin, viewsets.ReadOnlyModelViewSet):
    """Facilities in the caller's scope, with their blocks."""

    serializer_class = FacilitySerializer

    def get_queryset(self):
        return facility_list(user=self.request.user).prefetch_related("blocks").order_by("name")
