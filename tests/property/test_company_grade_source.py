"""The mean grade of the companies serving an area (property/indicators.py `company_grade`, on the
evaluation's models) on a hand-built case: each company's grade as the ranking gives it (its mean
over the results the street approved or 住建 confirmed in the year, by the year's scheme), counted
once per area where it serves, in one query for every street and community — and the area
panel's grades, within its three queries."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from assessment.models import Indicator
from core.identity import with_credit_check_character
from core.registry import registry
from orgs.choices import AreaLevel, Role
from orgs.models import Area
from orgs.scoping import within
from property import evaluation as rules
from property import indicators
from property.choices import ManagementMode
from property.demo import scored_copy
from property.models import Compound, PropertyCompany, PropertyEvaluation
from property.models_evaluation import EvaluationScheme, EvaluationStatus
from property.widgets import area_figures
from tests.conftest import make_user, restore_default_set

from .conftest import COMMUNITY_A1, COMMUNITY_A2, COMMUNITY_B1, DISTRICT, STREET_A, STREET_B

pytestmark = pytest.mark.django_db
YEAR = 2031
START, END = datetime.date(YEAR, 10, 1), datetime.date(YEAR, 12, 31)
POINTS = dict(indicators.GRADE_POINTS)


def evaluate(company, compound, total, status=EvaluationStatus.CONFIRMED, year=YEAR, scheme=None):
    return PropertyEvaluation.objects.create(
        company=company, compound=compound, year=year, scheme=scheme, total=Decimal(total), status=status
    )


@pytest.fixture
def graded(areas, estate, housing):
    """X (estate's company) in A1 (92, confirmed) and B1 (86, reviewed): mean 89 → B by this
    year's scheme (A ≥ 90, B ≥ 85 here, C ≥ 70). Y in A2: 95 confirmed and a draft 10 (not counted)
    → A. Z in A1: only submitted → no grade. W in A2: 69.99 → D; 100 in the year before (not counted)."""
    scheme = EvaluationScheme.objects.create(
        year=YEAR, name="测试方案", grade_a=Decimal(90), grade_b=Decimal(85), grade_c=Decimal(70)
    )
    x = estate["company"]

    def company(name, serial):
        return PropertyCompany.objects.create(
            name=name,
            credit_code=with_credit_check_character(f"91220104MA00001{serial:02d}"),
            department=housing["chaoyang"],
        )

    y, z, w = company("乙物业", 1), company("丙物业", 2), company("丁物业", 3)

    def compound(name, code, owner):
        return Compound.objects.create(
            name=name, community=areas[code], mode=ManagementMode.PROFESSIONAL, company=owner
        )

    evaluate(x, estate["compound"], "92", scheme=scheme)
    evaluate(x, estate["compound_b"], "86", EvaluationStatus.REVIEWED, scheme=scheme)
    y1, y2 = compound("乙一院", COMMUNITY_A2, y), compound("乙二院", COMMUNITY_A2, y)
    evaluate(y, y1, "95", scheme=scheme)
    evaluate(y, y2, "10", EvaluationStatus.DRAFT, scheme=scheme)
    evaluate(z, compound("丙院", COMMUNITY_A1, z), "55", EvaluationStatus.SUBMITTED, scheme=scheme)
    w1 = compound("丁院", COMMUNITY_A2, w)
    evaluate(w, w1, "69.99", scheme=scheme)
    evaluate(w, w1, "100", year=YEAR - 1, scheme=scheme)
    return {"x": x, "y": y, "z": z, "w": w}


def direct(area):
    """The figure by hand: the ranking's grade of each company serving a compound under `area`."""
    grades = {row["company_id"]: row["grade"] for row in rules.ranking(PropertyEvaluation.objects.all(), YEAR)}
    serving = set(Compound.objects.filter(within("community__code", area.code)).values_list("company_id", flat=True))
    points = [POINTS[grades[pk]] for pk in serving if pk in grades]
    return (sum(points), 4 * len(points)) if points else None


def test_the_source_matches_a_direct_computation_in_one_query(graded, django_assert_num_queries):
    levels = [AreaLevel.STREET, AreaLevel.COMMUNITY]
    with django_assert_num_queries(1):
        figures = indicators.company_grade(levels, START, END)
    areas = Area.objects.filter(level__in=levels, code__startswith=DISTRICT)
    for area in areas:
        assert figures.get(area.pk) == direct(area), area.code
    by_code = {area.code: figures.get(area.pk) for area in areas}
    assert by_code[COMMUNITY_A1] == (3, 4)  # X's B; Z has no grade
    assert by_code[COMMUNITY_A2] == (4 + 1, 8)  # Y's A, W's D (69.99 < C级线 70)
    assert by_code[COMMUNITY_B1] == (3, 4)  # X again, its grade across all its compounds
    assert by_code[STREET_A] == (3 + 4 + 1, 12)  # X counted once in the street
    assert by_code[STREET_B] == (3, 4)
    district = Area.objects.get(code=DISTRICT)
    assert indicators.company_grade(AreaLevel.DISTRICT, START, END)[district.pk] == (8, 12)
    # another year: nothing ranked, no figure (the leaf does not apply)
    assert indicators.company_grade(levels, START.replace(year=YEAR + 1), END.replace(year=YEAR + 1)) == {}


def test_it_is_registered_with_its_records_and_in_the_default_sets_copy(graded):
    source = registry.indicator_sources["property.company_grade"]
    assert source.compute is indicators.company_grade
    assert "服务质量平均等级" in str(source.label)
    area = Area.objects.get(code=STREET_A)
    assert source.records_url(area).endswith(f"?within={STREET_A}")
    restore_default_set()
    scored_copy()
    leaf = Indicator.objects.get(indicator_set__name="党建引领基层治理考核指标（含红色物业）", source=source.key)
    assert leaf.parent.name == "红色物业" and leaf.weight == 4


def test_the_area_panel_shows_the_grades_in_three_queries_at_every_level(graded, areas):
    user = make_user("zzb_grades", Role.ORG_DEPARTMENT, areas[DISTRICT])
    request = RequestFactory().get("/")
    request.user = user
    counts = {}
    for code in (DISTRICT, STREET_A, COMMUNITY_A2):
        area = Area.objects.get(code=code)

        area_figures(request, area)  # the user's scopes cached, as on a page
        with CaptureQueriesContext(connection) as captured:
            panel = area_figures(request, area)
        counts[code] = len(captured)
        if code == COMMUNITY_A2:
            assert panel["graded"] == 0  # the panel counts this year's grades: none in the hand-built year
    assert set(counts.values()) == {3}, counts
    grades = indicators.grades_under(Area.objects.get(code=STREET_A), YEAR)
    assert grades == {"A": 1, "B": 1, "D": 1}
    assert indicators.grades_under(Area.objects.get(code=COMMUNITY_B1), YEAR) == {"B": 1}
