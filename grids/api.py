"""REST API of the roster: people, posts and coverage, scoped like the pages. Phone and ID
numbers come masked unless the user holds the permission to see them whole (then logged)."""

import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from core.api import PersonalDataSerializerMixin, ScopedRelatedField, ScopedViewSet
from orgs.models import Area
from orgs.scoping import scoped_area

from . import coverage, normalise, roster
from .choices import Employment, PoliticalStatus, Post
from .filters import HeadAssignmentFilterSet
from .models import HeadAssignment, Holder, Person
from .permissions import CHANGE_ROSTER, VIEW_ROSTER


class PersonFilterSet(django_filters.FilterSet):
    political_status = django_filters.ChoiceFilter(
        field_name="shown_political_status", choices=PoliticalStatus.choices, label="政治面貌"
    )


class HolderSerializer(PersonalDataSerializerMixin, serializers.Serializer):
    """人员 as a post shows them: what the appointing office typed when the person's record is
    kept by another office, else the record (see grids/roster.py). A Person and a HeadAssignment
    both answer `holder`."""

    id = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="holder.name")
    gender = serializers.CharField(source="holder.gender")
    phone = serializers.CharField(source="holder.phone")
    id_number = serializers.CharField(source="holder.id_number")
    political_status = serializers.CharField(source="holder.political_status")

    class Meta:
        personal_fields = ("phone", "id_number")


class PersonSerializer(HolderSerializer):
    """人员 as the user is shown them (`Person.objects.as_shown_to`)."""

    id = serializers.IntegerField(source="pk")


class PersonViewSet(ScopedViewSet):
    """人员: people holding or having held a post in the user's scope, as the user is shown them —
    the registered record when every post of theirs lies in the scope, otherwise what was typed
    for the user's own post of theirs."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet
    http_method_names = ["get", "head", "options"]

    def get_queryset(self):
        return Person.objects.as_shown_to(self.request.user).order_by("pk")


class ChangeableAreaField(ScopedRelatedField):
    """An area by code among those the caller may change the roster of: any other one, out of
    scope or missing, is not found (404) alike, so the answer does not leak which codes exist."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", queryset=Area.objects.all(), action=CHANGE_ROSTER, **kwargs)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except ValidationError:
            raise NotFound() from None


class HeadAssignmentSerializer(serializers.ModelSerializer):
    area = ChangeableAreaField()
    person = HolderSerializer(source="*", read_only=True)
    # Writing: the person's details; an existing person is found by ID number or name + phone.
    name = serializers.CharField(write_only=True, max_length=50)
    phone_number = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=20)
    id_card = serializers.CharField(write_only=True, required=False, allow_blank=True, max_length=18)
    political_status = serializers.ChoiceField(
        choices=PoliticalStatus.choices, write_only=True, required=False, allow_blank=True
    )
    employment = serializers.ChoiceField(choices=Employment.choices, required=False, allow_blank=True)
    post = serializers.ChoiceField(choices=Post.choices)

    class Meta:
        model = HeadAssignment
        fields = [
            "id",
            "area",
            "post",
            "employment",
            "person",
            "start_date",
            "end_date",
            "note",
            "name",
            "phone_number",
            "id_card",
            "political_status",
        ]
        read_only_fields = ["end_date"]
        extra_kwargs = {"start_date": {"required": False}}

    def validate(self, attrs):
        try:
            attrs["phone_number"] = normalise.phone(attrs.get("phone_number", ""))
            attrs["id_card"] = normalise.id_number(attrs.get("id_card", ""))
        except ValueError as error:
            raise ValidationError(str(error)) from None
        if not attrs["phone_number"] and not attrs["id_card"]:
            raise ValidationError("请至少填写联系电话或身份证号，以便识别人员。")
        return attrs


class HeadAssignmentViewSet(ScopedViewSet):
    """任职: posts of the roster, filtered with the roster page's words (within, post, party,
    state, q). POST appoints (a head post's current holder is replaced); DELETE relieves the
    holder (the post gets an end date; history is kept)."""

    queryset = HeadAssignment.objects.select_related("person", "area").order_by("area__code", "post", "pk")
    serializer_class = HeadAssignmentSerializer
    filterset_class = HeadAssignmentFilterSet
    write_action = CHANGE_ROSTER
    shows_personal_data = True
    http_method_names = ["get", "post", "delete", "head", "options"]

    def person_id(self, row):
        return row["person"]["id"]

    def save_object(self, serializer):
        data = serializer.validated_data
        id_number = data["id_card"]
        details = Holder(
            data["name"],
            normalise.gender_from_id(id_number) if id_number else "",
            data["phone_number"],
            id_number,
            data.get("political_status", ""),
        )
        serializer.instance, self.kept_elsewhere = roster.appoint_holder(
            data["area"],
            data["post"],
            details,
            user=self.request.user,
            employment=data.get("employment", ""),
            start_date=data.get("start_date"),
            note=data.get("note", ""),
        )
        return serializer.instance

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        if getattr(self, "kept_elsewhere", False):
            response.data["notice"] = str(roster.KEPT_ELSEWHERE_NOTICE)
        return response

    def delete_object(self, instance):
        if instance.end_date is None:
            roster.relieve(instance, user=self.request.user)


@extend_schema(responses={200: dict}, tags=["三长覆盖"], summary="区划及其下级的“三长”覆盖情况")
@api_view(["GET"])
def coverage_view(request, code):
    """“三长”覆盖: the coverage of an area and of each of its children."""
    area = scoped_area(request, code, VIEW_ROSTER)
    figures, children = coverage.drill_down(area)
    return Response({"area": area.code, **as_dict(figures), "children": [as_dict(c) for c in children]})


def as_dict(figures):
    return {
        "code": figures.area.code,
        "name": figures.area.name,
        "levels": {
            str(level): {
                "total": figures.level(level).total,
                "covered": figures.level(level).covered,
                "rate": figures.level(level).rate,
            }
            for level in coverage.COVERED_LEVELS
        },
        "heads": figures.heads,
        "party_heads": figures.party_heads,
        "party_rate": figures.party_rate,
    }
