"""The party side's REST API, declared on the kit's ScopedViewSet (core/api.py): the same scope,
filters and masking as the pages."""

from rest_framework import serializers

from core.api import (
    DeclaredSerializer,
    ModelRulesSerializerMixin,
    PersonalDataSerializerMixin,
    ScopedPrimaryKeyField,
    ScopedRelatedField,
    ScopedViewSet,
)
from orgs.models import Area
from orgs.scoping import Action

from . import filters
from .models import (
    MEMBER_FIELDS,
    InServiceMember,
    Meeting,
    PartyMember,
    PartyOrganisation,
    ReportingUnit,
    ServiceRecord,
    UnitRegistration,
    counted_members,
    member_on_record,
    registered_message,
)
from .permissions import CHANGE_PARTY, CHANGE_REPORTING, LOG_SERVICE, RECORD_MEETING


def area_field(action, **kwargs):
    return ScopedRelatedField(
        slug_field="code", queryset=Area.objects.all(), action=action, help_text="区划代码", **kwargs
    )


def organisation_field(action, **kwargs):
    return ScopedRelatedField(
        slug_field="name", queryset=PartyOrganisation.objects.all(), action=action, help_text="党组织名称", **kwargs
    )


class PartyOrganisationSerializer(ModelRulesSerializerMixin, serializers.ModelSerializer):
    area = area_field(CHANGE_PARTY)
    parent = organisation_field(Action.VIEW, required=False, allow_null=True)
    covered_areas = area_field(Action.VIEW, many=True, required=False)
    secretary = ScopedPrimaryKeyField(queryset=PartyMember.objects.all(), required=False, allow_null=True)
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = PartyOrganisation
        fields = [
            "id",
            "name",
            "kind",
            "area",
            "parent",
            "covered_areas",
            "secretary",
            "founded_on",
            "term_started_on",
            "next_election_on",
            "member_count",
            "note",
        ]


class PartyOrganisationViewSet(ScopedViewSet):
    """党组织."""

    queryset = (
        PartyOrganisation.objects.select_related("area", "parent")
        .prefetch_related("covered_areas")
        .annotate(member_count=counted_members())
        .order_by("area__code", "name")
    )
    serializer_class = PartyOrganisationSerializer
    filterset_class = filters.PartyOrganisationFilterSet
    write_action = CHANGE_PARTY


class PartyMemberSerializer(DeclaredSerializer):
    """The model's rules, its phone and ID number cleaned and masked as their fields declare."""

    organisation = organisation_field(CHANGE_PARTY)
    residence = area_field(Action.VIEW, required=False, allow_null=True)

    class Meta:
        model = PartyMember
        fields = ["id", *MEMBER_FIELDS]
        validators = []  # a number registered twice is answered below, as the form answers it

    def validate_id_number(self, number):
        registered = member_on_record(number, self.context["request"].user, getattr(self.instance, "pk", None))
        if registered is not None:
            raise serializers.ValidationError(str(registered_message(registered)))
        return number


class PartyMemberViewSet(ScopedViewSet):
    """党员. Phone and ID numbers masked unless the caller may see them whole."""

    queryset = PartyMember.objects.select_related("organisation", "residence").order_by("pk")
    serializer_class = PartyMemberSerializer
    filterset_class = filters.PartyMemberFilterSet
    write_action = CHANGE_PARTY


class MeetingSerializer(serializers.ModelSerializer):
    organisation = organisation_field(RECORD_MEETING)
    attendees = ScopedPrimaryKeyField(many=True, queryset=PartyMember.objects.all(), required=False)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organisation",
            "kind",
            "held_on",
            "place",
            "host",
            "recorder",
            "topic",
            "minutes",
            "attendees",
            "expected",
        ]
        read_only_fields = ["expected"]

    def validate(self, attrs):
        organisation = attrs.get("organisation") or getattr(self.instance, "organisation", None)
        if any(member.organisation_id != organisation.pk for member in attrs.get("attendees", ())):
            raise serializers.ValidationError({"attendees": ["出席党员须是该党组织的党员。"]})
        return attrs

    def create(self, validated_data):
        """应到: the organisation's members of the meeting's day (the committee for a 支委会);
        those not among the attendees are recorded absent."""
        attendees = validated_data.pop("attendees", [])
        meeting = Meeting(**validated_data)
        meeting.take_attendance(attendees)
        return meeting

    def update(self, instance, validated_data):
        attendees = validated_data.pop("attendees", None)
        reasons = {a.member_id: a.reason for a in instance.absences.all()}
        meeting = super().update(instance, validated_data)
        meeting.take_attendance(list(meeting.attendees.all()) if attendees is None else attendees, reasons)
        return meeting


class MeetingViewSet(ScopedViewSet):
    """组织生活 (三会一课, 主题党日, 第一议题)."""

    queryset = Meeting.objects.select_related("organisation").prefetch_related("attendees").order_by("-held_on", "-pk")
    serializer_class = MeetingSerializer
    filterset_class = filters.MeetingFilterSet
    write_action = RECORD_MEETING


class ReportingUnitSerializer(PersonalDataSerializerMixin, serializers.ModelSerializer):
    area = area_field(CHANGE_REPORTING)
    communities = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = ReportingUnit
        fields = [
            "id",
            "name",
            "kind",
            "party_organisation_name",
            "area",
            "communities",
            "contact_name",
            "contact_phone",
        ]
        personal_fields = ("contact_phone",)


class ReportingUnitViewSet(ScopedViewSet):
    """报到单位 (双报到)."""

    queryset = ReportingUnit.objects.select_related("area").prefetch_related("communities").order_by("name")
    serializer_class = ReportingUnitSerializer
    filterset_class = filters.ReportingUnitFilterSet
    write_action = CHANGE_REPORTING


class UnitRegistrationSerializer(serializers.ModelSerializer):
    unit = ScopedRelatedField(slug_field="name", queryset=ReportingUnit.objects.all(), help_text="单位名称")
    community = area_field(CHANGE_REPORTING)

    class Meta:
        model = UnitRegistration
        fields = ["id", "unit", "community", "registered_on", "agreement", "resources"]


class UnitRegistrationViewSet(ScopedViewSet):
    """单位报到: a reporting unit registered with a community."""

    queryset = UnitRegistration.objects.select_related("unit", "community").order_by("pk")
    serializer_class = UnitRegistrationSerializer
    filterset_class = filters.UnitRegistrationFilterSet
    write_action = CHANGE_REPORTING


class InServiceMemberSerializer(DeclaredSerializer):
    unit = ScopedRelatedField(slug_field="name", queryset=ReportingUnit.objects.all(), help_text="单位名称")
    community = area_field(CHANGE_REPORTING)
    grid = area_field(Action.VIEW, required=False, allow_null=True)

    class Meta:
        model = InServiceMember
        fields = ["id", "name", "gender", "phone", "id_number", "unit", "community", "grid", "team", "reported_on"]


class InServiceMemberViewSet(ScopedViewSet):
    """在职党员 (双报到): the community it reports to, or its unit's own account."""

    queryset = InServiceMember.objects.select_related("unit", "community", "grid").order_by("pk")
    serializer_class = InServiceMemberSerializer
    filterset_class = filters.InServiceMemberFilterSet
    write_action = CHANGE_REPORTING


class ServiceRecordSerializer(serializers.ModelSerializer):
    member = ScopedPrimaryKeyField(queryset=InServiceMember.objects.all(), action=LOG_SERVICE)
    confirmed = serializers.BooleanField(read_only=True)

    class Meta:
        model = ServiceRecord
        fields = ["id", "member", "served_on", "hours", "description", "confirmed", "confirmed_at"]
        read_only_fields = ["confirmed_at"]


class ServiceRecordViewSet(ScopedViewSet):
    """服务记录: logged by the community or by the member's unit."""

    queryset = ServiceRecord.objects.select_related("member").order_by("-served_on", "-pk")
    serializer_class = ServiceRecordSerializer
    filterset_class = filters.ServiceRecordFilterSet
    write_action = LOG_SERVICE


ROUTES = (
    ("party-organisations", PartyOrganisationViewSet, "party-organisation"),
    ("party-members", PartyMemberViewSet, "party-member"),
    ("meetings", MeetingViewSet, "meeting"),
    ("reporting-units", ReportingUnitViewSet, "reporting-unit"),
    ("unit-registrations", UnitRegistrationViewSet, "unit-registration"),
    ("in-service-members", InServiceMemberViewSet, "in-service-member"),
    ("service-records", ServiceRecordViewSet, "service-record"),
)
