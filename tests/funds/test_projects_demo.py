"""seed_demo's 双向认领 (funds/demo_projects.py): a year of demands, resources, claims and projects
in the small demo city at plausible proportions, and the demo unit account `danwei` with demands
open to it, one waiting past FUNDS_UNCLAIMED_DAYS, and a running project of its own whose hours are
its members' service records."""

import pytest
from django.db.models import Count
from django.utils import timezone

from funds.models import Project, ProjectStatus
from funds.models_projects import Demand, DemandStatus, ProjectService, Resource, project_hours, unclaimed
from orgs.models import User

pytestmark = pytest.mark.django_db


def test_a_year_of_demands_claims_and_projects(small_demo):
    assert "需求与项目：需求" in small_demo
    statuses = dict(Demand.objects.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    total = sum(statuses.values())
    assert total >= 100
    assert 0.55 <= statuses[DemandStatus.CLAIMED] / total <= 0.85
    assert statuses[DemandStatus.OPEN] and statuses[DemandStatus.CLOSED]
    assert unclaimed(Demand.objects.all()).exists()
    oldest = Demand.objects.filter(status=DemandStatus.OPEN).order_by("posted_at").first()
    assert (timezone.now() - oldest.posted_at).days <= 61  # none left waiting for months
    assert Project.objects.filter(demand__isnull=False).count() == statuses[DemandStatus.CLAIMED]
    assert Project.objects.filter(resource__isnull=False).exists()
    projects = dict(Project.objects.values("status").annotate(n=Count("pk")).values_list("status", "n"))
    assert projects[ProjectStatus.CLOSED] > projects.get(ProjectStatus.STOPPED, 0) > 0
    assert all(r.remaining() >= 0 for r in Resource.objects.all())
    assert {p.provider_kind for p in Project.objects.all()} >= {"unit", "team"}


def test_the_units_projects_count_their_members_services_while_they_ran(small_demo):
    counted = ProjectService.objects.select_related("project__area", "record__member")
    by_unit = Project.objects.filter(unit__isnull=False)

    assert counted.count() >= by_unit.count()  # a few records a project, not one project's dozen
    assert counted.values("project").distinct().count() >= by_unit.count() // 2
    for link in counted:
        project, record = link.project, link.record
        assert record.member.unit_id == project.unit_id
        assert record.member.community_id == project.community.pk
        assert project.started_on <= record.served_on <= (project.closed_on or timezone.localdate())


def test_the_demo_unit_account_has_demands_open_to_it_and_a_project_it_owns(small_demo):
    danwei = User.objects.get(username="danwei")

    open_to_it = Demand.objects.scoped(danwei).filter(status=DemandStatus.OPEN)
    owned = Project.objects.scoped(danwei).get(status=ProjectStatus.RUNNING, unit__users=danwei)

    assert owned.claimed_by == danwei  # who clicked 认领
    assert open_to_it.count() >= 2
    assert unclaimed(open_to_it).exists()
    assert ProjectService.objects.filter(project=owned).count() > 0
    assert project_hours(owned) > 0
    assert not Resource.objects.scoped(danwei).exists()


FUNDS_SOURCES = {
    "funds.demands_claimed",
    "funds.claimed_in_time",
    "funds.projects_closed",
    "funds.execution",
    "funds.notices_published",
}


def test_the_running_quarter_scores_with_the_funds_leaves(small_demo):
    """The running quarter is scored with the copy of funds migration 0004 (remade by the funds'
    demo): each of its five funds leaves has values for the communities with funds, not all zero."""
    from assessment.choices import PeriodKind
    from assessment.models import Period, Score, Value
    from core.calendar import Quarter
    from funds.models_funding import Allocation

    period = Period.objects.get(kind=PeriodKind.QUARTER, start=Quarter.current().start)
    values = Value.objects.filter(period=period, indicator__source__startswith="funds.", area__level="community")
    funded = set(Allocation.objects.values_list("area_id", flat=True))

    assert period.indicator_set.name.startswith(
        "党建引领基层治理考核指标（含红色物业、为民服务、双向认领、经费保障"
    )  # or a later copy of it
    assert set(values.values_list("indicator__source", flat=True)) == FUNDS_SOURCES
    for source in FUNDS_SOURCES:
        mine = values.filter(indicator__source=source)
        assert mine.filter(denominator__gt=0, numerator__gt=0, points__gt=0).exists(), source
    assert set(values.filter(indicator__source="funds.execution").values_list("area_id", flat=True)) == funded
    assert Score.objects.filter(period=period, area__in=funded).count() == len(funded)
