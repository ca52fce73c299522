"""The home page's latest changes (core.history.latest) find the same events whichever plan they
take — the newest events of the model when the scope holds enough of them, the scope's own events
otherwise — and the post events' area code (grids 0007) follows their area as the join did."""

import datetime

import pytest
from django.apps import apps

import core.history
from core.history import latest
from grids.choices import Post
from grids.models import HeadAssignment, Person
from orgs import tree
from orgs.models import Area

EVENTS = "grids.HeadAssignmentEvent"
GRIDS = ["220104001001001", "220104001001002", "220104002001001"]


@pytest.fixture
def posts(areas):
    """Posts over three grids of two streets, in turns, so that each scope's events interleave."""
    day = datetime.date(2026, 1, 1)
    for n in range(12):
        HeadAssignment.objects.create(
            person=Person.objects.create(name=f"人员{n}"),
            area=areas[GRIDS[n % 3]],
            post=Post.GRID_WORKER,
            start_date=day,
        )


def naive(code, limit=5):
    """The latest events of the subtree of `code` as the widget read them before: through the join."""
    events = apps.get_model(EVENTS).objects.filter(area__code__startswith=code)
    return [event.pk for event in events.order_by("-pgh_created_at", "-pgh_id")[:limit]]


@pytest.mark.parametrize("window", [1, 4, 500])
@pytest.mark.parametrize("code", ["2201", "220104001", "220104001001002", "220104002"])
def test_either_plan_finds_the_events_the_join_found(code, window, posts, monkeypatch):
    monkeypatch.setattr(core.history, "LATEST_WINDOW", window)
    events = apps.get_model(EVENTS).objects.filter(area_code__startswith=code)
    assert [event.pk for event in latest(events, 5)] == naive(code)
    assert [event.pk for event in latest(events, 2)] == naive(code, 2)


def test_the_events_area_code_follows_a_moved_area(posts, monkeypatch):
    monkeypatch.setattr(core.history, "LATEST_WINDOW", 2)
    community = Area.objects.get(code="220104001001")
    tree.move_area(community, Area.objects.get(code="220104002"), "220104002009")
    model = apps.get_model(EVENTS)
    assert not model.objects.filter(area_code__startswith="220104001001").exists()
    for code in ("220104002", "220104002009", "220104001"):
        events = model.objects.filter(area_code__startswith=code)
        assert [event.pk for event in latest(events, 5)] == naive(code)
    assert not model.objects.exclude(area_code__in=Area.objects.values("code")).exists()
