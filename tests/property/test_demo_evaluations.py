"""The annual evaluation in the small demo city (property/demo.py `fill_demo_evaluations`): a year
of evaluations for every company × compound it serves, with a clear best and worst company in each
district; totals and grades that agree with the sheets; work left for the community, the street and
the housing department; complaints and 3+X mediations against the worst; the 双随机 inspections;
the mean-grade leaf scored in the running quarter and the grades on the area panel."""

import re
from collections import Counter, defaultdict
from decimal import Decimal

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.calendar import Quarter
from orgs.choices import AreaLevel
from orgs.models import Area, User
from property import evaluation as rules
from property import indicators
from property.models import Compound, PropertyCompany
from property.models_evaluation import (
    CaseKind,
    CompanyCase,
    EvaluationStatus,
    Grade,
    Inspection,
    PropertyEvaluation,
    ScoreSheet,
)
from property.widgets import area_figures
from property.widgets_evaluation import evaluations_due, housing_work

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year


def request_as(username):
    request = RequestFactory().get("/")
    request.user = User.objects.get(username=username)
    return request


def rankings():
    """{department id: the ranking of the companies it registered}."""
    found = {}
    for department in sorted(set(PropertyCompany.objects.values_list("department_id", flat=True))):
        found[department] = rules.ranking(PropertyEvaluation.objects.filter(company__department_id=department), YEAR)
    return found


def test_it_says_what_it_made_and_takes_a_fraction_of_a_second(small_demo):
    line = next(line for line in small_demo.splitlines() if line.startswith(f"已建立 {YEAR} 年物业服务质量评价"))
    assert float(re.search(r"用时 ([\d.]+) 秒", line).group(1)) < 2
    made = int(re.search(r"(\d+) 项评价", line).group(1))
    assert made == PropertyEvaluation.objects.filter(year=YEAR).count()
    # every compound a company serves, once, for the year
    served = Compound.objects.filter(company__isnull=False)
    assert made == served.count() > 100
    pairs = set(PropertyEvaluation.objects.values_list("company_id", "compound_id"))
    assert pairs == set(served.values_list("company_id", "pk"))


def test_each_district_has_a_clear_best_and_worst_company(small_demo):
    found = rankings()
    assert len(found) == Area.objects.filter(level=AreaLevel.DISTRICT, pk__in=PropertyCompany.objects.values(
        "department__area")).count() >= 2  # fmt: skip
    for department, rows in found.items():
        assert len(rows) >= 3, department
        best, second, second_last, worst = rows[0], rows[1], rows[-2], rows[-1]
        assert best["rank"] == 1 and best["grade"] == Grade.A
        assert best["mean"] - second["mean"] >= 5  # clear
        assert worst["grade"] == Grade.D
        assert second_last["mean"] - worst["mean"] >= 15
        assert all(row["compounds"] >= 1 for row in rows)


def test_totals_and_grades_agree_with_the_sheets(small_demo):
    scheme = rules.scheme_for(YEAR)
    evaluations = PropertyEvaluation.objects.filter(year=YEAR).select_related("scheme").prefetch_related(
        "sheets__scores", "scheme__items"
    )  # fmt: skip
    statuses = Counter()
    for evaluation in evaluations:
        statuses[evaluation.status] += 1
        sheets = list(evaluation.sheets.all())
        for sheet in sheets:
            scores = list(sheet.scores.all())
            assert len(scores) == len(scheme.items.all())
            assert all(0 <= s.score <= s.item.max_score for s in scores)
            assert sheet.total == sum((s.score for s in scores), Decimal(0))
        if len(sheets) == len(rules.KINDS):
            totals = {sheet.kind: sheet.total for sheet in sheets}
            assert evaluation.total == rules.weighted_total(evaluation.scheme, totals)
            assert evaluation.grade == rules.grade_for(evaluation.scheme, evaluation.total)
        else:
            assert evaluation.status == EvaluationStatus.DRAFT
            assert evaluation.total is None and evaluation.grade == ""
    # submitted, street-approved, most confirmed by the housing department; a few still in progress
    total = sum(statuses.values())
    assert statuses[EvaluationStatus.CONFIRMED] > total / 2
    assert statuses[EvaluationStatus.REVIEWED] > 0
    assert 0 < statuses[EvaluationStatus.DRAFT] + statuses[EvaluationStatus.SUBMITTED] < total / 4
    # the rules' own computation changes nothing (no history row)
    evaluation = PropertyEvaluation.objects.filter(status=EvaluationStatus.CONFIRMED).first()
    before = (evaluation.total, evaluation.grade)
    assert (rules.compute(evaluation).total, evaluation.grade) == before
    # the street's opinion of an approved one is in its history
    assert rules.street_opinion(PropertyEvaluation.objects.filter(status=EvaluationStatus.REVIEWED).first())
    # a scorer sees only its own sheet until all three are in
    draft = PropertyEvaluation.objects.filter(status=EvaluationStatus.DRAFT).first()
    assert ScoreSheet.objects.filter(evaluation=draft).count() < 3


def test_work_is_left_in_the_widgets(small_demo):
    community = evaluations_due(request_as("shequ"))
    assert community and community["kind"] == "to_submit" and community["rows"]
    street = evaluations_due(request_as("jiedao"))
    assert street and street["kind"] == "to_review" and street["rows"]
    housing = housing_work(request_as("zhujian"))
    assert housing["year"] == YEAR and housing["top"] and housing["to_confirm"] > 0
    assert housing["inspections"]  # drawn, awaiting its result


def test_the_worst_companies_have_complaints_and_3x_mediations_and_inspections_are_drawn(small_demo):
    worst = {rows[-1]["company_id"] for rows in rankings().values()}
    cases = defaultdict(Counter)
    for company, kind, mediator in CompanyCase.objects.values_list("company_id", "kind", "mediator"):
        cases[company][(kind, mediator)] += 1
    assert set(cases) == worst
    for counted in cases.values():
        assert counted[(CaseKind.COMPLAINT, "")] >= 1
        assert {m for (k, m) in counted if k == CaseKind.MEDIATION} == {"housing", "justice", "court"}
    inspections = Inspection.objects.all()
    assert inspections.count() >= 2
    published = inspections.filter(published_at__isnull=False)
    assert published.count() >= 1 and all(i.conclusion for i in published)
    assert inspections.filter(published_at__isnull=True).exists()
    for inspection in inspections:
        assert inspection.company.department == inspection.department


def test_the_mean_grade_is_scored_and_shown_on_the_area_panel(small_demo, client):
    from assessment.models import Period, Value

    period = Period.objects.filter(start=Quarter.current().start).get()
    values = Value.objects.filter(period=period, indicator__source="property.company_grade")
    figures = indicators.company_grade([AreaLevel.STREET, AreaLevel.COMMUNITY], period.start, period.end)
    assert values.count() == len(figures) > 10
    for value in values.filter(area__level=AreaLevel.STREET):
        assert (value.numerator, value.denominator) == figures[value.area_id]
    counts = []
    for username, code in (("zuzhibu", "2201"), ("chaoyang_zzb", "220104"), ("shequ", "220104001001")):
        request = request_as(username)
        area = Area.objects.get(code=code)
        area_figures(request, area)
        with CaptureQueriesContext(connection) as captured:
            panel = area_figures(request, area)
        counts.append(len(captured))
        assert panel["graded"] == sum(n for _v, _l, n in panel["grades"]) > 0
        assert panel["mean_grade"] in Grade.values
    assert counts == [3, 3, 3]
    client.force_login(User.objects.get(username="chaoyang_zzb"))
    page = client.get(reverse("orgs:area_detail", args=["220104"])).content.decode()
    summary = reverse("property:area_summary", args=["220104"])
    assert summary in page  # the panel's figures come after the page (htmx)
    assert f"{YEAR}年服务企业平均等级" in client.get(summary).content.decode()
