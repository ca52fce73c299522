"""党群服务阵地's and 示范点's API on the kit's ScopedViewSet (core/api.py): the model's rules (a floor
area of zero or absurd size, a level that does not fit its area's, two subjects of one site) are
the form's, refused as Chinese 400s; a site's naming document checked as every upload is."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from core.api import DeclaredSerializer, ScopedPrimaryKeyField, ScopedRelatedField, ScopedViewSet
from orgs.models import Area
from party.models import PartyOrganisation

from . import filters_venues as filters
from .forms_venues import check_document
from .models_venues import DemonstrationSite, Venue
from .permissions import KEEP_VENUES, MARK_SITES

ONE_SUBJECT = "请在区划（area）、党组织（organisation）、阵地（venue）中选择且只选择一项作为示范点。"


class VenueSerializer(DeclaredSerializer):
    area = ScopedRelatedField(
        queryset=Area.objects.all(), slug_field="code", action=KEEP_VENUES, help_text="区划代码，须在调用者管辖范围内"
    )
    lacks = serializers.SerializerMethodField(help_text="不达标原因（达标为空）")

    class Meta:
        model = Venue
        fields = [
            "id",
            "area",
            "level",
            "name",
            "address",
            "floor_area",
            "opening_hours",
            "has_sign",
            "has_fixed_site",
            "has_facilities",
            "has_rules",
            "has_team",
            "compliant",
            "lacks",
        ]
        read_only_fields = ["compliant"]

    def get_lacks(self, venue) -> list[str]:
        return [str(reason) for reason in venue.lacks()]


class VenueViewSet(ScopedViewSet):
    """党群服务阵地：街道党群服务中心、社区党群服务站、网格（小区）驿站，及其规范化达标情况。"""

    queryset = Venue.objects.select_related("area")
    serializer_class = VenueSerializer
    filterset_class = filters.VenueFilterSet
    write_action = KEEP_VENUES


class DemonstrationSiteSerializer(DeclaredSerializer):
    area = ScopedRelatedField(
        queryset=Area.objects.all(),
        slug_field="code",
        action=MARK_SITES,
        required=False,
        allow_null=True,
        help_text="区划代码（区划作为示范点时填写）",
    )
    organisation = ScopedPrimaryKeyField(
        queryset=PartyOrganisation.objects.all(),
        action=MARK_SITES,
        required=False,
        allow_null=True,
        help_text="党组织编号（党组织作为示范点时填写）",
    )
    venue = ScopedPrimaryKeyField(
        queryset=Venue.objects.all(), action=MARK_SITES, required=False, allow_null=True, help_text="阵地编号"
    )
    document = serializers.FileField(required=False, write_only=True, help_text="命名文件：PDF 或图片，不超过 10 MB")

    class Meta:
        model = DemonstrationSite
        fields = [
            "id",
            "area",
            "organisation",
            "venue",
            "kind",
            "level",
            "theme",
            "year",
            "document_number",
            "document",
            "document_name",
        ]
        read_only_fields = ["kind", "document_name"]

    def validate_document(self, upload):
        try:
            return check_document(upload)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None

    def validate(self, attrs):
        merged = {
            name: attrs[name] if name in attrs else getattr(self.instance, name, None)
            for name in ("area", "organisation", "venue")
        }
        if self.instance is not None and self.instance.kind != "area" and "area" not in attrs:
            merged["area"] = None  # the stored area is the subject's, not a subject of its own
        chosen = [name for name, value in merged.items() if value is not None]
        if len(chosen) != 1:
            raise serializers.ValidationError(ONE_SUBJECT)
        if merged["organisation"] is not None:
            attrs["area"] = merged["organisation"].area
        elif merged["venue"] is not None:
            attrs["area"] = merged["venue"].area
        attrs = super().validate(attrs)
        if attrs.get("document") is not None:
            attrs["document_name"] = attrs["document"].name.rsplit("/", 1)[-1][:200]
        return attrs


class DemonstrationSiteViewSet(ScopedViewSet):
    """示范点（1+1+N）：区划、党组织或阵地被命名为示范点，及其级别、主题、年度和命名文号。"""

    queryset = DemonstrationSite.objects.select_related("area", "organisation", "venue")
    serializer_class = DemonstrationSiteSerializer
    filterset_class = filters.DemonstrationSiteFilterSet
    write_action = MARK_SITES


ROUTES = (
    ("venues", VenueViewSet, "venue"),
    ("demonstration-sites", DemonstrationSiteViewSet, "demonstrationsite"),
)
