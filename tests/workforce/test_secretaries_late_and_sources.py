"""When a secretary project is late (a milestone past due and not done, or its planned end passed
while 进行中), the overview per level (secretaries without a project this year, projects late), the
steps (完成 asks for the evidence and every milestone done), and the assessment's sources on a small
fixture: 述职评议好评率 for the year of the period's end — in an annual period's breakdown — and
书记项目按期推进率, each level in one query."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessment.choices import PeriodKind
from assessment.models import Indicator, IndicatorSet, Period, Value
from assessment.queries import breakdown
from assessment.rollup import rollup
from core.registry import registry
from workforce import indicators_secretaries as sources
from workforce.models_secretaries import SecretaryMilestone, SecretaryProject, SecretaryProjectStatus, late_condition
from workforce.secretaries_flow import PROJECTS

from .secretaries_cast import (  # noqa: F401  (fixtures)
    A1,
    A2,
    B1,
    STREET_A,
    STREET_B,
    community_a1_fixture,
    project,
    secretaries_fixture,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)


def late_titles():
    return set(SecretaryProject.objects.filter(late_condition()).values_list("title", flat=True))


def by_code(figures, areas):
    codes = {area.pk: code for code, area in areas.items()}
    return {codes[key]: value for key, value in figures.items()}


def test_a_project_is_late_for_a_milestone_past_due_or_its_end_passed(secretaries, areas):
    a1, street = secretaries["project"], secretaries["street_project"]
    assert late_titles() == set()

    SecretaryMilestone.objects.create(project=street, title="召开动员会", due_on=YESTERDAY)
    ended = project(areas[A2], title="A2楼道微更新", started_on=YESTERDAY.replace(month=1, day=1), ends_on=YESTERDAY)
    assert late_titles() == {street.title, ended.title}
    assert a1.is_late is False and street.is_late is True

    SecretaryMilestone.objects.filter(project=street).update(done_on=YESTERDAY)  # done: no longer late
    SecretaryProject.objects.filter(pk=ended.pk).update(status=SecretaryProjectStatus.COMPLETED)  # finished
    assert late_titles() == set()


def test_the_list_filters_the_late_projects(secretaries, street_a, client_for):
    SecretaryMilestone.objects.create(project=secretaries["street_project"], title="召开动员会", due_on=YESTERDAY)
    client = client_for(street_a)

    page = client.get(reverse("workforce:secretaryproject_list") + "?late=true").content.decode()

    assert "一街一品党建品牌" in page and "楼道微更新" not in page and "滞后" in page


def test_the_overview_lists_the_secretaries_without_a_project_and_the_late_ones(secretaries, street_a, client_for):
    SecretaryMilestone.objects.create(project=secretaries["project"], title="入户走访", due_on=YESTERDAY)
    client = client_for(street_a)

    communities = client.get(reverse("workforce:secretaries_overview")).context
    streets = client.get(reverse("workforce:secretaries_overview") + "?level=street").context

    assert [a.code for a in communities["missing"]] == [A2]  # A1 claimed one; B1 is street B's
    assert [p.title for p in communities["late"]] == ["楼道微更新"]
    assert streets["missing"] == [] and streets["late"] == []
    assert [value for value, _label in communities["levels"]] == ["street", "community"]  # not the district's


def test_the_city_oversees_the_secretaries_of_every_level(secretaries, city_org, client_for):
    levels = client_for(city_org).get(reverse("workforce:secretaries_overview")).context["levels"]

    assert [value for value, _label in levels] == ["district", "street", "community"]


def test_a_project_is_completed_with_its_evidence_and_milestones_done(secretaries, community_a1, street_a):
    street = secretaries["street_project"]  # no evidence
    with pytest.raises(ValidationError, match="佐证材料"):
        PROJECTS.take("complete", {"pk": street.pk}, street_a)
    a1 = secretaries["project"]
    SecretaryMilestone.objects.create(project=a1, title="总结验收", due_on=TODAY + datetime.timedelta(days=30))
    with pytest.raises(ValidationError, match="未完成"):
        PROJECTS.take("complete", {"pk": a1.pk}, community_a1)
    SecretaryMilestone.objects.filter(project=a1).update(done_on=TODAY)

    PROJECTS.take("complete", {"pk": a1.pk}, community_a1)

    a1.refresh_from_db()
    assert a1.status == SecretaryProjectStatus.COMPLETED and a1.refuses("change")


# --- the assessment's sources ------------------------------------------------------------------------


def test_the_review_share_is_the_years_of_the_periods_end_in_one_query(secretaries, areas, django_assert_num_queries):
    year = secretaries["report"].year
    levels = ["district", "street", "community"]
    with django_assert_num_queries(1):
        annual = by_code(
            sources.review_good_share(levels, datetime.date(year, 1, 1), datetime.date(year, 12, 31)), areas
        )
    quarter = by_code(sources.review_good_share(levels, datetime.date(year, 10, 1), datetime.date(year, 12, 31)), areas)
    other = sources.review_good_share(levels, datetime.date(year + 1, 1, 1), datetime.date(year + 1, 12, 31))

    assert annual == {A1: (36, 40)}  # (好 30 + 较好 6) / 40 voters; the secretary's own area only
    assert quarter == annual  # a part of the year reads the review of its year
    assert other == {}


def test_projects_on_track_under_each_area_in_one_query(secretaries, areas, django_assert_num_queries):
    SecretaryMilestone.objects.create(project=secretaries["street_project"], title="召开动员会", due_on=YESTERDAY)
    year = TODAY.year
    with django_assert_num_queries(1):
        figures = by_code(
            sources.projects_on_track(
                ["district", "street", "community"], datetime.date(year, 1, 1), datetime.date(year, 12, 31)
            ),
            areas,
        )

    assert figures[A1] == (1, 1) and figures[B1] == (1, 1)
    assert figures[STREET_A] == (1, 2)  # its own project late, A1's on track
    assert figures["220104"] == (2, 3)
    assert A2 not in figures  # no project: the leaf does not apply


def test_an_annual_periods_breakdown_shows_the_review_share(secretaries, areas):
    assert "workforce.review_good_share" in registry.indicator_sources
    year = secretaries["report"].year
    indicators = IndicatorSet.objects.create(name="述职评议测试指标")
    system = Indicator.objects.create(indicator_set=indicators, name="队伍建设")
    Indicator.objects.create(
        indicator_set=indicators,
        parent=system,
        name="述职评议好评率",
        weight=Decimal(1),
        levels=["community"],
        source="workforce.review_good_share",
    )
    period = Period.objects.create(
        kind=PeriodKind.YEAR, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31), indicator_set=indicators
    )

    rollup(period)

    value = Value.objects.get(period=period, area__code=A1)
    assert (value.numerator, value.denominator, value.points) == (36, 40, Decimal("90.00"))
    lines = [line for _system, groups, _p, _w in breakdown(areas[A1], period) for _g, found in groups for line in found]
    assert [(line.leaf.name, line.value.numerator, line.value.denominator) for line in lines] == [
        ("述职评议好评率", 36, 40)
    ]
    assert not Value.objects.filter(period=period, area__code=A2).exists()  # no review recorded


@pytest.mark.parametrize(
    "key", ["workforce.review_good_share", "workforce.projects_on_track", "workforce.secretary_projects_late"]
)
def test_all_levels_in_one_query_give_what_each_level_gives_alone(key, secretaries, django_assert_num_queries):
    """The rollup asks a source (or a headline figure) for all its levels at once."""
    SecretaryMilestone.objects.create(project=secretaries["street_project"], title="召开动员会", due_on=YESTERDAY)
    found = registry.indicator_sources.get(key) or next(f for f in registry.figures if f.key == key)
    levels = getattr(found, "levels", None) or ("city", "district", "street", "community", "grid")
    year = secretaries["report"].year if key == "workforce.review_good_share" else TODAY.year
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    one_by_one = {}
    for level in levels:
        one_by_one.update(found.compute(level, start, end))

    with django_assert_num_queries(1):
        together = found.compute(list(levels), start, end)

    assert together == one_by_one and together
