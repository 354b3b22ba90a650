from rest_framework import mixins, serializers, status, viewsets
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from rutan.core.api import ConcurrencyMixin, ReadAuditMixin
from rutan.core.filters import SelectorFilterBackend, list_params
from rutan.core.roles import Perm
from rutan.inmates.models import Inmate

from . import selectors, services
from .models import (
    Agreement,
    Contribution,
    Guarantee,
    Partner,
    PartnerContact,
    ScopeItem,
    Signatory,
)


class PartnerContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerContact
        fields = ["name", "role", "phone", "email"]


class PartnerSerializer(serializers.ModelSerializer):
    contacts = PartnerContactSerializer(many=True, read_only=True)
    active_agreements = serializers.IntegerField(read_only=True)

    class Meta:
        model = Partner
        fields = [
            "id",
            "facility",
            "name",
            "partner_type",
            "address",
            "city",
            "phone",
            "email",
            "website",
            "is_active",
            "active_agreements",
            "contacts",
        ]


class ScopeItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScopeItem
        fields = ["position", "description", "owner", "due_on", "done_on"]


class SignatorySerializer(serializers.ModelSerializer):
    class Meta:
        model = Signatory
        fields = ["side", "role", "name", "title"]


class AgreementSerializer(serializers.ModelSerializer):
    partner_name = serializers.CharField(source="partner.name", read_only=True)
    scope_items = ScopeItemSerializer(many=True, read_only=True)
    signatories = SignatorySerializer(many=True, read_only=True)
    has_document = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id",
            "facility",
            "partner",
            "partner_name",
            "kind",
            "number",
            "partner_number",
            "title",
            "signed_on",
            "valid_from",
            "valid_to",
            "status",
            "activated_on",
            "ended_on",
            "termination_reason",
            "renewed_from",
            "has_document",
            "scope_items",
            "signatories",
        ]

    def get_has_document(self, obj) -> bool:
        return bool(obj.document)


class ContributionSerializer(serializers.ModelSerializer):
    partner = serializers.IntegerField(source="agreement.partner_id", read_only=True)
    facility = serializers.IntegerField(source="agreement.facility_id", read_only=True)

    class Meta:
        model = Contribution
        fields = [
            "id",
            "agreement",
            "partner",
            "facility",
            "given_on",
            "kind",
            "description",
            "quantity",
            "unit",
            "hours",
            "value_idr",
            "state_budget_idr",
        ]


class PartnerViewSet(ReadAuditMixin, ConcurrencyMixin, viewsets.ReadOnlyModelViewSet):
    """Partners of the caller's facilities, with their contacts."""

    serializer_class = PartnerSerializer
    filterset_class = selectors.PartnerFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        return selectors.partner_list(
            user=self.request.user, filters=list_params(self)
        ).prefetch_related("contacts")


class AgreementViewSet(ConcurrencyMixin, viewsets.ReadOnlyModelViewSet):
    """MoU and PKS of the caller's facilities with scope and signatories."""

    serializer_class = AgreementSerializer
    filterset_class = selectors.AgreementFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        return selectors.agreement_list(
            user=self.request.user, filters=list_params(self)
        ).prefetch_related("scope_items", "signatories")


class ContributionViewSet(ConcurrencyMixin, viewsets.ReadOnlyModelViewSet):
    """What partners gave (trainers, material, hours, value) in the caller's facilities."""

    serializer_class = ContributionSerializer
    filterset_class = selectors.ContributionFilter
    filter_backends = [SelectorFilterBackend]

    def get_queryset(self):
        return selectors.contribution_list(user=self.request.user, filters=list_params(self))


class GuaranteeSerializer(serializers.ModelSerializer):
    """A guarantee; the NIK goes in (`nik`) but only comes out masked (`nik_masked`)."""

    guarantor_name = serializers.CharField(read_only=True)
    nik = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=24)
    nik_masked = serializers.CharField(read_only=True)
    has_letter = serializers.SerializerMethodField()
    letter = serializers.FileField(write_only=True, required=False)
    inmate = serializers.PrimaryKeyRelatedField(queryset=Inmate.objects.none())
    partner = serializers.PrimaryKeyRelatedField(
        queryset=Partner.objects.none(), required=False, allow_null=True
    )
    agreement = serializers.PrimaryKeyRelatedField(
        queryset=Agreement.objects.none(), required=False, allow_null=True
    )

    class Meta:
        model = Guarantee
        fields = [
            "id",
            "inmate",
            "guarantor_kind",
            "guarantor_name",
            "partner",
            "agreement",
            "name",
            "relationship",
            "nik",
            "nik_masked",
            "address",
            "phone",
            "letter_number",
            "letter",
            "has_letter",
            "valid_from",
            "valid_until",
            "status",
        ]
        read_only_fields = ["status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            user = request.user
            self.fields["inmate"].queryset = Inmate.objects.for_user(user, Perm.PARTNER_MANAGE)
            self.fields["partner"].queryset = Partner.objects.for_user(user, Perm.PARTNER_MANAGE)
            self.fields["agreement"].queryset = Agreement.objects.for_user(
                user, Perm.PARTNER_MANAGE
            )

    def get_has_letter(self, obj) -> bool:
        return bool(obj.letter)


class GuaranteeViewSet(
    ReadAuditMixin,
    ConcurrencyMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Guarantors of the caller's inmates (family, other people, partners). POST records one
    through `partners.services.guarantee_create` (JSON, or multipart with the letter PDF)."""

    serializer_class = GuaranteeSerializer
    filterset_class = selectors.GuaranteeFilter
    filter_backends = [SelectorFilterBackend]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.guarantee_list(user=self.request.user, filters=list_params(self))

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        inmate = data.pop("inmate")
        # A service's ValidationError becomes a 400 in `rutan.core.api.exception_handler`.
        guarantee = services.guarantee_create(inmate=inmate, by=request.user, **data)
        output = self.get_serializer(guarantee)
        return Response(output.data, status=status.HTTP_201_CREATED)
