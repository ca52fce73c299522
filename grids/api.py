"""REST API of the roster: people, posts and coverage, scoped like the pages. Phone and ID
numbers come masked unless the user holds the permission to see them whole (then logged)."""

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from orgs.api import ScopedViewSet
from orgs.models import Area
from orgs.personal_data import can_reveal, log_access_if_whole, mask
from orgs.scoping import Action

from . import coverage, normalise, roster
from .choices import Employment, PoliticalStatus, Post
from .models import HeadAssignment, Holder, Person


class PersonalDataMixin:
    """Masks `phone` and `id_number` unless the request's user may see them whole."""

    def whole(self):
        request = self.context.get("request")
        return request is not None and can_reveal(request.user)

    def personal(self, value):
        return value if self.whole() else mask(value)


class PersonSerializer(PersonalDataMixin, serializers.ModelSerializer):
    """人员 as the user is shown them (`Person.objects.as_shown_to`)."""

    name = serializers.CharField(source="holder.name")
    gender = serializers.CharField(source="holder.gender")
    phone = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()
    political_status = serializers.CharField(source="holder.political_status")

    class Meta:
        model = Person
        fields = ["id", "name", "gender", "phone", "id_number", "political_status"]

    def get_phone(self, person) -> str:
        return self.personal(person.holder.phone)

    def get_id_number(self, person) -> str:
        return self.personal(person.holder.id_number)


class PersonFilterSet(django_filters.FilterSet):
    political_status = django_filters.ChoiceFilter(
        field_name="shown_political_status", choices=PoliticalStatus.choices, label="政治面貌"
    )


class HolderSerializer(PersonalDataMixin, serializers.Serializer):
    """人员 as a post shows them: what the appointing office typed when the person's record is
    kept by another office, else the record (see grids/roster.py)."""

    id = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="holder.name")
    gender = serializers.CharField(source="holder.gender")
    phone = serializers.SerializerMethodField()
    id_number = serializers.SerializerMethodField()
    political_status = serializers.CharField(source="holder.political_status")

    def get_phone(self, post) -> str:
        return self.personal(post.holder.phone)

    def get_id_number(self, post) -> str:
        return self.personal(post.holder.id_number)


class PersonViewSet(viewsets.ReadOnlyModelViewSet):
    """人员: people holding or having held a post in the user's scope, as the user is shown them —
    the registered record when every post of theirs lies in the scope, otherwise what was typed
    for the user's own post of theirs."""

    serializer_class = PersonSerializer
    filterset_class = PersonFilterSet

    def get_queryset(self):
        return Person.objects.as_shown_to(self.request.user).order_by("pk")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        log_whole_view(request, "people", [row["id"] for row in response.data["results"]])
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        log_whole_view(request, response.data["id"], [response.data["id"]])
        return response


def log_whole_view(request, object_id, person_ids):
    """Log an API answer that shows whole numbers, with the people whose numbers it shows."""
    log_access_if_whole(request, Person, f"api:{object_id}", object_ids=person_ids, query=request.GET.urlencode())


class ChangeableAreaField(serializers.SlugRelatedField):
    """An area by code among those the caller may change: any other one, out of scope or
    missing, is not found (404) alike, so the answer does not leak which codes exist."""

    def get_queryset(self):
        request = self.context.get("request")
        queryset = super().get_queryset()
        return queryset.scoped(request.user, Action.CHANGE) if request is not None else queryset.none()

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except ValidationError:
            raise NotFound() from None


class HeadAssignmentSerializer(PersonalDataMixin, serializers.ModelSerializer):
    area = ChangeableAreaField(slug_field="code", queryset=Area.objects.all())
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
    """任职: posts of the roster. POST appoints (a head post's current holder is replaced);
    DELETE relieves the holder (the post gets an end date; history is kept)."""

    queryset = HeadAssignment.objects.select_related("person", "area")
    serializer_class = HeadAssignmentSerializer
    write_action = Action.CHANGE
    filterset_fields = ["post"]
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        queryset = super().get_queryset().order_by("area__code", "post", "pk")
        within = self.request.query_params.get("within")
        if within:
            queryset = queryset.filter(area__code__startswith=within)
        if self.request.query_params.get("current") in ("1", "true"):
            queryset = queryset.filter(end_date__isnull=True)
        return queryset

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        log_whole_view(request, "head-assignments", [row["person"]["id"] for row in response.data["results"]])
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        log_whole_view(request, f"head-assignment:{response.data['id']}", [response.data["person"]["id"]])
        return response

    def perform_create(self, serializer):
        data = serializer.validated_data
        area = Area.objects.scoped(self.request.user, Action.CHANGE).filter(pk=data["area"].pk).first()
        if area is None:
            raise NotFound()
        id_number = data["id_card"]
        details = Holder(
            data["name"],
            normalise.gender_from_id(id_number) if id_number else "",
            data["phone_number"],
            id_number,
            data.get("political_status", ""),
        )
        try:
            serializer.instance, self.kept_elsewhere = roster.appoint_holder(
                area,
                data["post"],
                details,
                user=self.request.user,
                employment=data.get("employment", ""),
                start_date=data.get("start_date"),
                note=data.get("note", ""),
            )
        except DjangoValidationError as error:
            raise self.django_errors(error) from None

    def create(self, request, *args, **kwargs):
        response = super().create(request, *args, **kwargs)
        if getattr(self, "kept_elsewhere", False):
            response.data["notice"] = str(roster.KEPT_ELSEWHERE_NOTICE)
        return response

    def perform_destroy(self, instance):
        if instance.end_date is None:
            try:
                roster.relieve(instance)
            except DjangoValidationError as error:  # e.g. a post that starts in the future
                raise self.django_errors(error) from None


@extend_schema(responses={200: dict})
@api_view(["GET"])
def coverage_view(request, code):
    """“三长”覆盖: the coverage of an area and of each of its children."""
    area = get_object_or_404(Area.objects.scoped(request.user), code=code)
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
