"""The permission matrix (core/testing.py) of every page and endpoint of the roster: anonymous →
login, in scope → served, out of scope → 404 and nothing written. The stories behind each page
are in the other test modules of tests/grids."""

import pytest
from django.urls import reverse

from core.testing import Page, PermissionMatrix
from grids.choices import Post
from grids.models import HeadAssignment, Person

STREET_A, GRID_A1, GRID_B1 = "220104001", "220104001001001", "220104002001001"


def roster_state(objects):
    return {
        "people": list(Person.objects.order_by("pk").values_list("pk", "name", "phone", "id_number")),
        "posts": list(
            HeadAssignment.objects.order_by("pk").values_list("pk", "person_id", "area_id", "post", "end_date")
        ),
    }


def url(name, *args):
    return lambda o: reverse(name, args=[a(o) if callable(a) else a for a in args])


def post_of(objects, name, post=Post.GRID_HEAD):
    return HeadAssignment.objects.get(person=objects[name], post=post)


class TestRosterMatrix(PermissionMatrix):
    pages = [
        Page("grids:my_grids", url("grids:my_grids"), insider="grid_a1", max_queries=15),
        Page(
            "grids:coverage", url("grids:coverage", STREET_A), insider="street_a", outsider="street_b", max_queries=15
        ),
        Page(
            "grids:coverage_summary", url("grids:coverage_summary", STREET_A), insider="street_a", outsider="street_b"
        ),
        Page("grids:roster", url("grids:roster", STREET_A), insider="street_a", outsider="street_b", max_queries=15),
        Page(
            "grids:person_detail",
            url("grids:person_detail", lambda o: o["张伟"].pk),
            insider="street_a",
            outsider="street_b",
        ),
        Page("grids:appoint", url("grids:appoint", GRID_A1), insider="street_a", outsider="street_b"),
        Page(
            "grids:appoint",
            url("grids:appoint", GRID_A1),
            method="post",
            data=lambda o: {"post": Post.GRID_HEAD, "name": "越权", "phone": "13600000000"},
            outsider="street_b",
            state=roster_state,
        ),
        Page(
            "grids:relieve",
            url("grids:relieve", lambda o: post_of(o, "张伟").pk),
            insider="street_a",
            outsider="street_b",
        ),
        Page(
            "grids:relieve",
            url("grids:relieve", lambda o: post_of(o, "张伟").pk),
            method="post",
            outsider="street_b",
            state=roster_state,
        ),
        Page("api-coverage", lambda o: f"/api/coverage/{STREET_A}/", insider="street_a", outsider="street_b", api=True),
        Page("person-list", lambda o: "/api/people/", insider="street_a", api=True, max_queries=8),
        Page(
            "person-detail",
            lambda o: f"/api/people/{o['张伟'].pk}/",
            insider="street_a",
            outsider="street_b",
            api=True,
        ),
        Page("headassignment-list", lambda o: "/api/head-assignments/", insider="street_a", api=True, max_queries=8),
        Page(
            "headassignment-detail",
            lambda o: f"/api/head-assignments/{post_of(o, '张伟').pk}/",
            insider="street_a",
            outsider="street_b",
            api=True,
        ),
        Page(
            "headassignment-detail",
            lambda o: f"/api/head-assignments/{post_of(o, '张伟').pk}/",
            method="delete",
            outsider="street_b",
            api=True,
            state=roster_state,
        ),
        Page(
            "headassignment-list",
            lambda o: "/api/head-assignments/",
            method="post",
            data=lambda o: {"area": GRID_A1, "post": Post.GRID_HEAD, "name": "越权", "phone_number": "13600000000"},
            outsider="street_b",
            api=True,
            state=roster_state,
        ),
    ]

    @pytest.fixture
    def objects(self, cast_roster):
        return cast_roster
