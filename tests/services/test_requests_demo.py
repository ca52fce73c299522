"""seed_demo's requests (services/demo_requests.py): a quarter of them in the small demo city at
plausible proportions — most closed, about 95 % of the visited satisfied or basically satisfied,
some overdue, a few reopened — each with its steps' rows on their days."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.models import StateChange
from services.models_requests import OPEN_STATES, ResidentRequest

pytestmark = pytest.mark.django_db


def test_a_quarter_of_requests_at_plausible_proportions(small_demo):
    requests = ResidentRequest.objects.all()
    total = requests.count()
    closed = requests.filter(status="closed")
    content = closed.filter(satisfaction__in=["satisfied", "basic"]).count()
    today = timezone.localdate()

    assert total >= 100 and "诉求：" in small_demo
    assert closed.count() / total > 0.7
    assert 0.88 <= content / closed.count() <= 0.99
    assert requests.filter(status__in=OPEN_STATES, due_on__lt=today).exists()
    assert 0 < requests.filter(reopened__gt=0).count() < total * 0.1
    assert requests.filter(received_at__lt=timezone.now() - datetime.timedelta(days=80)).exists()
    assert set(requests.values_list("status", flat=True)) >= {"closed", "handling"}


def test_each_request_has_its_steps_on_their_days(small_demo):
    steps = StateChange.objects.filter(content_type=ContentType.objects.get_for_model(ResidentRequest))
    closed = ResidentRequest.objects.filter(status="closed").first()
    own = list(steps.filter(object_id=closed.pk).order_by("at"))

    assert [s.to_state for s in own][-1] == "closed"
    assert own[0].at >= closed.received_at and own[-1].at <= timezone.now()
    assert steps.dates("at", "day").count() > 30  # spread over the quarter, not the seed's instant


def test_every_grid_worker_has_requests_to_handle_on_the_phone(small_demo):
    """小事不出网格: what no rule sends up is routed to the grid, so each grid worker's 我的诉求 has
    work — one received these last days, and in every other grid one past its limit."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from orgs.choices import AreaLevel
    from orgs.models import Area

    grids = Area.objects.filter(level=AreaLevel.GRID)
    routed = ResidentRequest.objects.filter(status__in=OPEN_STATES, responsible_area__level=AreaLevel.GRID)
    assert set(routed.values_list("responsible_area", flat=True)) == set(grids.values_list("pk", flat=True))
    overdue = routed.filter(due_on__lt=timezone.localdate()).values("responsible_area").distinct().count()
    assert grids.count() / 2 - 1 <= overdue < grids.count()

    worker = Client()
    worker.force_login(get_user_model().objects.get(username="wangge"))
    page = worker.get(reverse("services:my_requests"))
    assert page.status_code == 200 and len(page.context["rows"]) >= 1 and "没有待办的诉求" not in page.content.decode()


def test_the_running_quarter_scores_with_the_requests_leaves(small_demo):
    from assessment.choices import PeriodKind
    from assessment.models import Period, Value
    from core.calendar import Quarter

    period = Period.objects.get(kind=PeriodKind.QUARTER, start=Quarter.current().start)
    values = Value.objects.filter(period=period, indicator__source__startswith="services.requests_")

    assert period.indicator_set.name == "党建引领基层治理考核指标（含红色物业、为民服务）"
    assert set(values.values_list("indicator__source", flat=True)) == {
        "services.requests_on_time",
        "services.requests_closed",
        "services.requests_satisfied",
    }
    assert values.filter(denominator__gt=0, points__gt=0).exists()
