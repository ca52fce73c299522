"""The permission matrix (core/testing.py) of every party page and endpoint: anonymous → login,
in scope → served, out of scope → 404 and nothing written; a reporting unit's own account
reaches its members and nothing else."""

import pytest
from django.urls import reverse

from core.testing import Page, PermissionMatrix
from party.models import InServiceMember, Meeting, PartyMember, PartyOrganisation, ServiceRecord, UnitRegistration

from .conftest import GRID_A1, STREET_A


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


LISTS = ["partyorganisation", "partymember", "meeting", "reportingunit", "inservicemember", "servicerecord"]
DETAILS = {
    "partyorganisation": "grid_a1",
    "partymember": "zhang",
    "meeting": "meeting",
    "reportingunit": "unit",
    "unitregistration": "registration",
    "inservicemember": "zhao",
    "servicerecord": "service",
}
EDITS = {
    "partyorganisation": lambda o: {"name": "越权", "kind": "branch", "area": GRID_A1},
    "partymember": lambda o: {
        "name": "越权",
        "organisation": o["grid_a1"].pk,
        "status": "full",
        "households_linked": 0,
    },
    "meeting": lambda o: {
        "organisation": o["grid_a1"].pk,
        "kind": "party_day",
        "held_on": "2026-11-01",
        "topic": "越权",
    },
    "reportingunit": lambda o: {"name": "越权", "kind": "agency", "area": STREET_A},
    "unitregistration": lambda o: {"unit": o["unit"].pk, "community": "220104001001", "registered_on": "2026-11-01"},
    "inservicemember": lambda o: {
        "name": "越权",
        "unit": o["unit"].pk,
        "community": "220104001001",
        "reported_on": "2026-11-01",
    },
    "servicerecord": lambda o: {"member": o["zhao"].pk, "served_on": "2026-11-01", "hours": "2", "description": "越权"},
}


def model_pages(model, key):
    return [
        Page(f"party:{model}_list", url(f"party:{model}_list"), insider="street_a", max_queries=20),
        Page(f"party:{model}_add", url(f"party:{model}_add"), insider="street_a"),
        Page(f"party:{model}_detail", url(f"party:{model}_detail", pk(key)), insider="street_a", outsider="street_b"),
        Page(f"party:{model}_edit", url(f"party:{model}_edit", pk(key)), insider="street_a", outsider="street_b"),
        Page(
            f"party:{model}_edit",
            url(f"party:{model}_edit", pk(key)),
            method="post",
            data=EDITS[model],
            outsider="street_b",
            state=party_state,
        ),
        Page(f"party:{model}_delete", url(f"party:{model}_delete", pk(key)), insider="street_a", outsider="street_b"),
        Page(
            f"party:{model}_delete",
            url(f"party:{model}_delete", pk(key)),
            method="post",
            outsider="street_b",
            state=party_state,
        ),
    ]


API = {
    "partyorganisation": ("party-organisation", "grid_a1"),
    "partymember": ("party-member", "zhang"),
    "meeting": ("meeting", "meeting"),
    "reportingunit": ("reporting-unit", "unit"),
    "unitregistration": ("unit-registration", "registration"),
    "inservicemember": ("in-service-member", "zhao"),
    "servicerecord": ("service-record", "service"),
}


def api_pages(basename, key):
    return [
        Page(
            f"{basename}-list", lambda o, b=basename: reverse(f"{b}-list"), insider="street_a", api=True, max_queries=20
        ),
        Page(
            f"{basename}-detail",
            lambda o, b=basename, k=key: reverse(f"{b}-detail", args=[o[k].pk]),
            insider="street_a",
            outsider="street_b",
            api=True,
        ),
        Page(
            f"{basename}-detail",
            lambda o, b=basename, k=key: reverse(f"{b}-detail", args=[o[k].pk]),
            method="delete",
            outsider="street_b",
            api=True,
            state=party_state,
        ),
    ]


class TestPartyMatrix(PermissionMatrix):
    pages = [
        *(page for model, key in DETAILS.items() for page in model_pages(model, key)),
        *(page for basename, key in API.values() for page in api_pages(basename, key)),
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
