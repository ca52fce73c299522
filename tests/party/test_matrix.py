"""The permission matrix (core/testing.py) of every party page and endpoint: anonymous → login,
in scope → served, out of scope → 404 and nothing written. The seven models' pages and API rows
are generated from their declarations (PermissionMatrix.for_pages, .for_api); the pages of their
own (transfer, confirm, the chart, …) are listed by hand."""

import pytest
from django.urls import reverse

from core.testing import Page, PermissionMatrix
from party import api
from party.models import InServiceMember, Meeting, PartyMember, PartyOrganisation, ServiceRecord, UnitRegistration
from party.views import (
    InServiceMemberPages,
    MeetingPages,
    PartyMemberPages,
    PartyOrganisationPages,
    ReportingUnitPages,
    ServiceRecordPages,
    UnitRegistrationPages,
)

from .conftest import STREET_A


def url(name, *args):
    return lambda o: reverse(name, args=[a(o) if callable(a) else a for a in args])


def pk(key):
    return lambda o: o[key].pk


def party_state(objects):
    return {
        "organisations": list(
            PartyOrganisation.objects.order_by("pk").values_list("pk", "name", "area_id", "parent_id")
        ),
        "members": list(PartyMember.objects.order_by("pk").values_list("pk", "name", "organisation_id", "phone")),
        "meetings": list(Meeting.objects.order_by("pk").values_list("pk", "topic", "organisation_id")),
        "in_service": list(InServiceMember.objects.order_by("pk").values_list("pk", "name", "community_id")),
        "services": list(ServiceRecord.objects.order_by("pk").values_list("pk", "description", "confirmed_at")),
        "registrations": list(UnitRegistration.objects.order_by("pk").values_list("pk", "unit_id", "community_id")),
    }


# Each ModelPages declaration (party/views.py) and API viewset (party/api.py) with the record its
# detail, edit and delete rows open: street A's, which street B may not reach.
PAGES = {
    PartyOrganisationPages: "grid_a1",
    PartyMemberPages: "zhang",
    MeetingPages: "meeting",
    ReportingUnitPages: "unit",
    UnitRegistrationPages: "registration",
    InServiceMemberPages: "zhao",
    ServiceRecordPages: "service",
}
VIEWSETS = {
    api.PartyOrganisationViewSet: "grid_a1",
    api.PartyMemberViewSet: "zhang",
    api.MeetingViewSet: "meeting",
    api.ReportingUnitViewSet: "unit",
    api.UnitRegistrationViewSet: "registration",
    api.InServiceMemberViewSet: "zhao",
    api.ServiceRecordViewSet: "service",
}
STREETS = {"insider": "street_a", "outsider": "street_b"}


class TestPartyMatrix(PermissionMatrix):
    pages = [
        *(
            page
            for pages, record in PAGES.items()
            for page in PermissionMatrix.for_pages(pages, record=record, max_queries=20, **STREETS)
        ),
        *(
            page
            for viewset, record in VIEWSETS.items()
            for page in PermissionMatrix.for_api(viewset, record=record, max_queries=20, **STREETS)
        ),
        Page(
            "party:partymember_transfer",
            url("party:partymember_transfer", pk("zhang")),
            insider="street_a",
            outsider="street_b",
        ),
        Page(
            "party:partymember_transfer",
            url("party:partymember_transfer", pk("zhang")),
            method="post",
            data=lambda o: {"to_organisation": o["grid_b1"].pk, "transferred_on": "2026-11-01"},
            outsider="street_b",
            state=party_state,
        ),
        Page(
            "party:servicerecord_confirm",
            url("party:servicerecord_confirm", pk("service")),
            method="post",
            insider="street_a",
            outsider="street_b",
            ok=302,
            state=party_state,
        ),
        Page(
            "party:servicerecord_reopen",
            url("party:servicerecord_reopen", pk("service")),
            insider="street_a",
            outsider="street_b",
            ok=302,  # an unconfirmed record: back to its page
            state=party_state,
        ),
        Page(
            "party:party_summary",
            url("party:party_summary", STREET_A),
            insider="street_a",
            outsider="street_b",
            max_queries=12,
        ),
        Page(
            "party:party_chart",
            url("party:party_chart", STREET_A),
            insider="street_a",
            outsider="street_b",
            max_queries=20,
        ),
        Page(
            "party:meeting_schedule",
            url("party:meeting_schedule", STREET_A),
            insider="street_a",
            outsider="street_b",
            max_queries=20,
        ),
        Page(
            "party:meetingphoto_download",
            url("party:meetingphoto_download", pk("photo")),
            insider="street_a",
            outsider="street_b",
        ),
    ]

    @pytest.fixture
    def objects(self, party, settings, tmp_path):
        from django.core.files.base import ContentFile

        from party.models import MeetingPhoto

        settings.MEDIA_ROOT = tmp_path
        party["photo"] = MeetingPhoto.objects.create(
            meeting=party["meeting"], file=ContentFile(b"\x89PNG\r\n\x1a\n", name="p.png"), name="合影.png"
        )
        return party
