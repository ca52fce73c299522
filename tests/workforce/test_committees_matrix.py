"""The permission matrix (core/testing.py) of every 社区两委 and mentoring page and endpoint:
anonymous → login, in scope → served, outside → 404 and nothing written. Street A keeps A1's
committees (and community A1 its own); street B is the outsider; the city's organisation department
reads them all but keeps none; a grid worker reads none."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.models import ImportJob
from core.testing import Page, PermissionMatrix
from workforce.models_committees import CommitteeMember
from workforce.views_committees import (
    CommitteeMemberPages,
    CommitteeTermPages,
    MentorPairPages,
    MentorStudioPages,
    StudioSessionPages,
)

from .committees_cast import (  # noqa: F401  (fixtures)
    A1,
    STREET_A,
    committees_fixture,
    community_a1_fixture,
)

STREET = {"insider": "street_a", "outsider": "street_b"}
COMMUNITY = {"insider": "community_a1", "outsider": "street_b"}


@pytest.fixture
def objects(committees, grid_a1):
    return committees


def term_form(o):
    term = o["party"]
    return {"area": term.area_id, "committee": "party", "number": 10, "elected_on": "2021-06-01", "note": "改"}


def member_form(o):
    member = o["ding"]
    return {"term": member.term_id, "name": "丁改", "id_number": member.id_number, "post": "member"}


def importing(kind):
    return lambda o: reverse("core:import_new", args=[kind])


MEMBERS_CSV = "社区代码,班子,届次号,姓名,身份证号,职务\r\n220104001001,居民委员会,10,丙,{id},委员\r\n"


class TestCommitteesMatrix(PermissionMatrix):
    pages = [
        *PermissionMatrix.for_pages(CommitteeTermPages, record="party", max_queries=20, data=term_form, **STREET),
        *PermissionMatrix.for_pages(CommitteeMemberPages, record="ding", max_queries=20, data=member_form, **COMMUNITY),
        *PermissionMatrix.for_pages(MentorStudioPages, record="studio", max_queries=20, **STREET),
        *PermissionMatrix.for_pages(StudioSessionPages, record="session", max_queries=20, **STREET),
        *PermissionMatrix.for_pages(MentorPairPages, record="pair", max_queries=20, **STREET),
        *PermissionMatrix.for_api(CommitteeTermPages.viewset, record="party", max_queries=15, **STREET),
        *PermissionMatrix.for_api(
            CommitteeMemberPages.viewset, record="ding", max_queries=15, data=lambda o: {"name": "丁改"}, **COMMUNITY
        ),
        *PermissionMatrix.for_api(MentorStudioPages.viewset, record="studio", max_queries=15, **STREET),
        *PermissionMatrix.for_api(StudioSessionPages.viewset, record="session", max_queries=15, **STREET),
        *PermissionMatrix.for_api(MentorPairPages.viewset, record="pair", max_queries=15, **STREET),
        # the organisation department reads (the list and a record)
        Page("workforce:committeemember_list", lambda o: reverse("workforce:committeemember_list"), insider="city_org"),
        Page("workforce:committeeterm_detail", lambda o: o["party"].get_absolute_url(), insider="city_org"),
        # a grid worker reads none of it
        Page("workforce:committeeterm_detail", lambda o: o["party"].get_absolute_url(), outsider="grid_a1"),
        Page(
            "workforce:area_committees",
            lambda o: reverse("workforce:area_committees", args=[A1]),
            **COMMUNITY,
            max_queries=20,
        ),
        Page(
            "workforce:area_committees",
            lambda o: reverse("workforce:area_committees", args=[STREET_A]),
            **STREET,
            max_queries=20,
        ),
        Page(
            "workforce:area_committees",
            lambda o: reverse("workforce:area_committees", args=["2201"]),
            insider="city_org",
            outsider="street_a",
            max_queries=20,
        ),
        Page(
            "workforce:committees_area_panel",
            lambda o: reverse("workforce:committees_area_panel", args=[A1]),
            **COMMUNITY,
            max_queries=15,
        ),
        Page(
            "workforce:committees_area_panel",
            lambda o: reverse("workforce:committees_area_panel", args=[STREET_A]),
            **STREET,
            max_queries=15,
        ),
        Page("core:import_new", importing("workforce_committee_members"), insider="street_a", outsider="city_org"),
        Page(
            "core:import_template",
            importing("workforce_committee_members"),
            insider="community_a1",
            outsider="city_org",
        ),
        Page(
            "core:import_new",
            importing("workforce_committee_members"),
            method="post",
            data=lambda o: {
                "file": SimpleUploadedFile("两委.csv", MEMBERS_CSV.format(id=o["bing"].id_number).encode())
            },
            insider="street_a",
            outsider="city_org",  # reads, keeps none: no job
            ok=302,
            state=lambda o: (ImportJob.objects.count(), CommitteeMember.objects.count()),
        ),
    ]
