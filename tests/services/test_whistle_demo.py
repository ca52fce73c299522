"""seed_demo's whistles (services/demo_whistles.py): a quarter of whistles in the small demo city,
two departments a whistle on average, every step represented, a few overdue and escalated, and
departments that differ clearly in their scores (城管执法 good, 市场监管 bad) — on the ranking too."""

import pytest
from django.db.models import Avg, Count
from django.utils.timezone import localdate

from core.calendar import Quarter
from orgs.models import User
from services import whistles
from services.models_whistles import ResponseStatus, Whistle, WhistleResponse

pytestmark = pytest.mark.django_db


def test_a_quarter_of_whistles_at_every_step(small_demo):
    assert "已建立吹哨" in small_demo
    assert Whistle.objects.count() >= 24
    per_whistle = WhistleResponse.objects.count() / Whistle.objects.count()
    assert 1.5 <= per_whistle <= 2.5
    states = set(WhistleResponse.objects.values_list("status", flat=True))
    assert states == set(ResponseStatus.values)
    assert WhistleResponse.objects.filter(escalated_on__isnull=False).exists()
    assert Whistle.objects.filter(kind__name="物业纠纷").exists()
    late = WhistleResponse.objects.filter(signed_late=True)
    assert 0 < late.count() < WhistleResponse.objects.count() * 0.15  # a few signed after the deadline
    assert not late.filter(on_time=True).exists()
    assert all(localdate(r.signed_at) > r.whistle.deadline for r in late.select_related("whistle"))


def test_the_departments_differ_clearly_in_their_scores(small_demo):
    means = dict(
        WhistleResponse.objects.filter(status=ResponseStatus.VERIFIED)
        .values("department__kind__name")
        .annotate(mean=Avg("score"), n=Count("pk"))
        .values_list("department__kind__name", "mean")
    )
    assert means["城管执法"] - means["市场监管"] >= 25
    superuser = User.objects.create_superuser("whistle_admin", password="x-x-x-x-x-x")
    ranked = list(whistles.ranked_departments(superuser, Quarter.of(Whistle.objects.latest("deadline").deadline)))
    assert ranked  # the latest quarter has scored departments
