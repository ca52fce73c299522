"""seed_demo's services, in one module so that the demo city is seeded once for them (the
small_demo fixture seeds a module's): the lists (services/demo.py — every filled street's power
list, ~100 items as Liupanshui's 103, and public-service list; every community's admission list, 14
自治 + 30 协助, and public-service list, 37 as Jilin's; a superseded version before some, a draft in the
demo community, a task at its gate in each state), the whistles (services/demo_whistles.py — two
departments a whistle on average, every step, a few overdue and escalated or signed late, 城管执法
clearly better than 市场监管) and the requests (services/demo_requests.py — most closed, about 95 %
of the visited satisfied or basically, some overdue, a few reopened, work on every grid worker's
phone, the running quarter scored with their leaves)."""

import datetime
from collections import Counter

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count
from django.utils import timezone
from django.utils.timezone import localdate

from core.calendar import Quarter
from core.models import Notice, StateChange
from orgs.choices import AreaLevel
from orgs.models import Area, User
from services import whistles
from services.choices import AdmissionCategory, ListKind, TaskStatus, VersionStatus
from services.demo import DEMO_COMMUNITY
from services.models import GateTask, ListItem, ListVersion, ServiceList
from services.models_requests import OPEN_STATES, ResidentRequest
from services.models_whistles import ResponseStatus, Whistle, WhistleResponse

pytestmark = pytest.mark.django_db


# --- demo lists ----------------------------------------
def test_every_filled_area_has_its_current_lists(small_demo):
    communities = Area.objects.filter(level=AreaLevel.COMMUNITY, children__level=AreaLevel.GRID).distinct()
    published = ListVersion.objects.filter(status=VersionStatus.PUBLISHED).annotate(n=Count("items"))

    power = [v.n for v in published.filter(service_list__kind=ListKind.POWER)]
    admission = published.filter(service_list__kind=ListKind.ADMISSION)
    assert admission.count() == communities.count()
    assert power and all(90 <= n <= 120 for n in power)
    assert {v.n for v in admission} == {44}
    categories = Counter(ListItem.objects.filter(version=admission.first()).values_list("category", flat=True))
    assert categories == {AdmissionCategory.SELF_GOVERNING: 14, AdmissionCategory.ASSISTING: 30}
    services = published.filter(service_list__kind=ListKind.PUBLIC_SERVICE, service_list__area__level="community")
    assert {v.n for v in services} == {37}
    assert "已建立清单" in small_demo


def test_some_lists_keep_a_superseded_version_and_the_demo_community_a_draft(small_demo):
    assert ListVersion.objects.filter(status=VersionStatus.SUPERSEDED).exists()
    draft = ListVersion.objects.get(status=VersionStatus.DRAFT)
    assert draft.service_list.area.code == DEMO_COMMUNITY
    assert ServiceList.objects.filter(versions__status=VersionStatus.PUBLISHED).count() == ServiceList.objects.count()


def test_the_demo_gate_has_a_task_in_every_state(small_demo):
    tasks = {task.status: task for task in GateTask.objects.all()}

    assert set(tasks) == set(TaskStatus.values)
    assert tasks[TaskStatus.ADMITTED].matched_item is not None
    assert tasks[TaskStatus.REFUSED].reason
    assert Notice.objects.filter(recipient__username="jiedao", title__contains=tasks[TaskStatus.STOPPED].name).exists()


# --- whistle demo ----------------------------------------
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


# --- requests demo ----------------------------------------
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
    from assessment.models import IndicatorSet, Period, Value
    from core.calendar import Quarter

    period = Period.objects.get(kind=PeriodKind.QUARTER, start=Quarter.current().start)
    values = Value.objects.filter(period=period, indicator__source__startswith="services.requests_")

    # the newest copy of the default set: the services' copy (services 0006) or one made from it (funds 0004)
    with_requests = IndicatorSet.objects.get(name="党建引领基层治理考核指标（含红色物业、为民服务）")
    names = lambda s: set(s.indicators.values_list("name", flat=True))  # noqa: E731
    assert names(with_requests) <= names(period.indicator_set)
    assert set(values.values_list("indicator__source", flat=True)) == {
        "services.requests_on_time",
        "services.requests_closed",
        "services.requests_satisfied",
    }
    assert values.filter(denominator__gt=0, points__gt=0).exists()
