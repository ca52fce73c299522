"""The demo city's secretary projects, 述职评议 and roads at the seeds' proportions (seed_demo's
filler, order 280): every district, street and community secretary has 1–2 projects this year with
3–5 milestones and a review of last year; about one project in eight is late; 5–15 roads a street,
a few vacant, each with the areas along it under its street."""

import pytest
from django.db.models import Count
from django.utils import timezone

from orgs.models import Area
from workforce.models_secretaries import (
    SECRETARY_LEVELS,
    Road,
    SecretaryProject,
    SecretaryProjectStatus,
    SecretaryReport,
    late_condition,
)

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_secretaries_and_roads(small_demo):
    year = timezone.localdate().year
    assert "书记项目" in small_demo and "街路巷" in small_demo
    secretaries = Area.objects.filter(level__in=SECRETARY_LEVELS).count()
    counts = list(
        SecretaryProject.objects.filter(year=year).values("area").annotate(n=Count("pk")).values_list("n", flat=True)
    )
    assert len(counts) == secretaries and set(counts) <= {1, 2}
    steps = SecretaryProject.objects.filter(year=year).annotate(n=Count("milestones")).values_list("n", flat=True)
    assert set(steps) <= {3, 4, 5}
    this_year = SecretaryProject.objects.filter(year=year)
    late = this_year.filter(late_condition()).count() / this_year.count()
    assert 0.03 <= late <= 0.25
    assert SecretaryProject.objects.filter(year=year - 1, status=SecretaryProjectStatus.COMPLETED).exists()
    assert SecretaryReport.objects.filter(year=year - 1).count() == secretaries
    report = SecretaryReport.objects.order_by("pk").first()
    assert 30 <= report.voters <= 80 and report.good_share > 0.6

    streets = Road.objects.values("area").annotate(n=Count("pk")).values_list("n", flat=True)
    assert len(streets) == Area.objects.filter(level="street").count() and min(streets) >= 5 and max(streets) <= 15
    vacant = Road.objects.filter(chief_name="").count() / Road.objects.count()
    assert 0 < vacant < 0.2
    for road in Road.objects.select_related("area").prefetch_related("along")[:50]:
        assert all(area.code.startswith(road.area.code) for area in road.along.all())
