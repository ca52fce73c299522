"""The housing department's side of the evaluation: the ranking of its companies (the grade across
their compounds, ties sharing a rank), its export, the breakdown and the printable grade page;
complaints and 3+X mediations against a company; the 双随机一公开 draw (seeded, replayable) and
the publication that shows a result to every area the company serves; the home widgets."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.identity import with_credit_check_character
from property import evaluation as rules
from property import inspections
from property.models import CompanyCase, Compound, Inspection, PropertyCompany, PropertyEvaluation
from property.models_evaluation import EvaluationStatus
from tests.helpers import with_lazy_parts

from .conftest import COMMUNITY_A1, COMMUNITY_A2
from .test_evaluation import YEAR, restore_default_scheme, scaled


def rated(company, compound, user, share, status=EvaluationStatus.REVIEWED):
    evaluation = PropertyEvaluation.objects.create(
        company=company, compound=compound, year=YEAR, scheme=rules.scheme_for(YEAR)
    )
    for kind in rules.KINDS:
        rules.enter_sheet(evaluation, kind, scaled(share), user)
    PropertyEvaluation.objects.filter(pk=evaluation.pk).update(status=status)
    evaluation.refresh_from_db()
    return evaluation


@pytest.fixture
def scheme(db):
    return restore_default_scheme()


@pytest.fixture
def field(areas, estate, housing, community_a1, scheme):
    """Three companies of 朝阳区: 红心 (100 in street A, 80 in street B: mean 90, A), 绿城 (70, C),
    and 启航 whose only evaluation the street has not reviewed yet (not ranked)."""
    green = PropertyCompany.objects.create(
        name="绿城物业有限公司",
        credit_code=with_credit_check_character("91220104MA0000003"),
        department=housing["chaoyang"],
    )
    start = PropertyCompany.objects.create(
        name="启航物业有限公司",
        credit_code=with_credit_check_character("91220104MA0000004"),
        department=housing["chaoyang"],
    )
    green_compound = Compound.objects.create(name="绿城花园", community=areas[COMMUNITY_A2], company=green)
    start_compound = Compound.objects.create(name="启航小区", community=areas[COMMUNITY_A1], company=start)
    from orgs.choices import Role
    from tests.conftest import make_user

    community_b1 = make_user("community_b1", Role.COMMUNITY_CADRE, areas["220104002001"])
    community_a2 = make_user("community_a2", Role.COMMUNITY_CADRE, areas[COMMUNITY_A2])
    return {
        "red": estate["company"],
        "green": green,
        "start": start,
        "red_a": rated(estate["company"], estate["compound"], community_a1, "1", EvaluationStatus.CONFIRMED),
        "red_b": rated(estate["company"], estate["compound_b"], community_b1, "0.8"),
        "green_a": rated(green, green_compound, community_a2, "0.7"),
        "start_a": rated(start, start_compound, community_a1, "1", EvaluationStatus.SUBMITTED),
    }


def test_the_ranking_orders_companies_by_their_mean_across_compounds(field, zhujian, client_for):
    rows = rules.ranking(PropertyEvaluation.objects.scoped(zhujian), YEAR)

    assert [(r["company__name"], r["mean"], r["grade"], r["rank"], r["compounds"]) for r in rows] == [
        ("长春红心物业服务有限公司", Decimal("90.00"), "A", 1, 2),
        ("绿城物业有限公司", Decimal("70.00"), "C", 2, 1),
    ]
    page = client_for(zhujian).get(reverse("property:evaluation_ranking"), {"year": YEAR}).content.decode()
    assert page.index("长春红心物业服务有限公司") < page.index("绿城物业有限公司")
    assert "启航物业有限公司" not in page  # its evaluation awaits the street


def test_the_ranking_page_filters_by_grade_and_sorts(field, zhujian, client_for):
    client = client_for(zhujian)
    only_c = client.get(reverse("property:evaluation_ranking"), {"year": YEAR, "grade": "C"}).content.decode()
    assert "绿城物业有限公司" in only_c and "长春红心物业服务有限公司" not in only_c
    ascending = client.get(reverse("property:evaluation_ranking"), {"year": YEAR, "sort": "mean"}).content.decode()
    assert ascending.index("绿城物业有限公司") < ascending.index("长春红心物业服务有限公司")


def test_the_ranking_is_drawn_as_every_list_of_the_kit(field, zhujian, client_for):
    """The year's table keeps the kit's table (classes, template, sort links), not django-tables2's bare one."""
    page = client_for(zhujian).get(reverse("property:evaluation_ranking"), {"year": YEAR}).content.decode()
    assert 'class="table table-sm table-hover table-compact align-middle table-cards"' in page
    assert f"?year={YEAR}" in page  # the breakdown's link carries the year


def test_the_ranking_exports_as_xlsx_and_csv_in_its_order(field, zhujian, client_for):
    client = client_for(zhujian)

    response = client.get(reverse("property:evaluation_ranking"), {"year": YEAR, "export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("名次", "企业名称", "统一社会信用代码", "参评小区数", "综合得分（平均）", "信用等级")
    assert [(row[0], row[1], row[5]) for row in rows[1:]] == [
        (1, "长春红心物业服务有限公司", "A"),
        (2, "绿城物业有限公司", "C"),
    ]

    text = client.get(reverse("property:evaluation_ranking"), {"year": YEAR, "export": "csv"}).content.decode(
        "utf-8-sig"
    )
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[1][1] == "长春红心物业服务有限公司" and lines[1][4] == "90.00"


def test_a_street_sees_its_own_part_and_no_ranking(field, street_a, client_for):
    assert client_for(street_a).get(reverse("property:evaluation_ranking")).status_code == 404
    seen = set(PropertyEvaluation.objects.scoped(street_a).values_list("compound__name", flat=True))
    assert seen == {"幸福家园", "绿城花园", "启航小区"}  # not 桂林小区 of street B


def test_another_districts_housing_user_ranks_none_of_them(field, nanguan_housing, client_for):
    page = client_for(nanguan_housing).get(reverse("property:evaluation_ranking"), {"year": YEAR})
    assert page.status_code == 200
    assert "长春红心物业服务有限公司" not in page.content.decode()
    assert client_for(nanguan_housing).get(field["red_a"].get_absolute_url()).status_code == 404


def test_the_breakdown_shows_compounds_scorers_and_items(field, zhujian, client_for):
    page = (
        client_for(zhujian)
        .get(reverse("property:evaluation_breakdown", args=[field["red"].pk]), {"year": YEAR})
        .content.decode()
    )
    assert "幸福家园" in page and "桂林小区" in page
    detail = rules.breakdown(PropertyEvaluation.objects.filter(company=field["red"]))
    service = next(item for item in detail["items"] if item["name"] == "服务质量")
    assert service["cells"] == [Decimal("22.5")] * 3  # (25 + 20) / 2 for each scorer
    assert [row["sheets"] for row in detail["compounds"]] == [[Decimal("100.0")] * 3, [Decimal("80.0")] * 3]


def test_the_grade_page_prints_the_result_as_the_bureau_files_it(field, zhujian, client_for):
    response = client_for(zhujian).get(reverse("property:evaluation_grade", args=[field["red"].pk]), {"year": YEAR})
    page = response.content.decode()
    assert f"{YEAR}年度物业服务企业信用评价结果" in page
    assert "property-grade.css" in page and "data-print" in page
    assert field["red"].credit_code in page and "评价单位（盖章）" in page


# --- complaints and 3+X mediation ------------------------------------------------------------------


def test_a_mediation_needs_its_mediator_and_shows_in_the_ranking(field, zhujian, client_for):
    client = client_for(zhujian)
    data = {
        "company": field["red"].pk,
        "kind": "mediation",
        "received_on": f"{YEAR}-05-01",
        "summary": "物业费纠纷",
        "status": "open",
    }
    refused = client.post(reverse("property:companycase_add"), data)
    assert "须选择调解部门" in refused.content.decode() and not CompanyCase.objects.exists()

    assert client.post(reverse("property:companycase_add"), data | {"mediator": "court"}).status_code == 302
    page = client.get(reverse("property:evaluation_ranking"), {"year": YEAR, "export": "csv"})
    lines = list(csv.reader(io.StringIO(page.content.decode("utf-8-sig"))))
    assert lines[0][-1] == "投诉与纠纷" and lines[1][-1] == "1"


def test_another_housing_department_cannot_record_a_case_against_the_company(field, nanguan_housing, client_for):
    response = client_for(nanguan_housing).post(
        reverse("property:companycase_add"),
        {"company": field["red"].pk, "kind": "complaint", "received_on": "2026-05-01", "summary": "x"},
    )
    assert response.status_code == 200 and not CompanyCase.objects.exists()


# --- 双随机一公开 ----------------------------------------------------------------------------------


def test_the_draw_is_random_but_replayable_from_its_seed(field, housing, zhujian):
    first = inspections.draw(housing["chaoyang"], zhujian, seed=20261206)
    again = inspections.draw(housing["chaoyang"], zhujian, seed=20261206)

    assert (first.company, first.inspector) == (again.company, again.inspector)
    assert first.company.department == housing["chaoyang"] and first.inspector == zhujian
    assert (first.company_pool, first.inspector_pool, first.seed) == (3, 1, 20261206)
    companies = {inspections.draw(housing["chaoyang"], zhujian, seed=seed).company.name for seed in range(30)}
    assert companies == {"长春红心物业服务有限公司", "绿城物业有限公司", "启航物业有限公司"}


def test_a_draw_from_an_empty_register_is_refused(housing, nanguan_housing, areas):
    PropertyCompany.objects.filter(department=housing["nanguan"]).delete()
    with pytest.raises(ValidationError) as refused:
        inspections.draw(housing["nanguan"], nanguan_housing)
    assert "没有登记的物业服务企业" in str(refused.value)


def test_the_draw_page_and_publication_show_the_result_to_the_served_areas(
    field, housing, zhujian, street_b, client_for
):
    client = client_for(zhujian)
    response = client.post(reverse("property:inspection_draw"), {"department": housing["chaoyang"].pk})
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and inspection.drawn_by == zhujian and inspection.seed is not None
    Inspection.objects.filter(pk=inspection.pk).update(company=field["red"])  # 红心 serves street B too
    url = inspection.get_absolute_url()
    assert client_for(street_b).get(url).status_code == 404  # not published yet

    refused = client.post(reverse("property:inspection_publish", args=[inspection.pk]), follow=True)
    assert "请先填写检查结论" in refused.content.decode()
    client.post(
        reverse("property:inspection_edit", args=[inspection.pk]),
        {"inspected_on": "2026-06-01", "conclusion": "improve", "result": "消防通道堵塞，限期整改。"},
    )
    client.post(reverse("property:inspection_publish", args=[inspection.pk]))

    inspection.refresh_from_db()
    assert inspection.published
    assert client_for(street_b).get(url).status_code == 200
    assert client_for(street_b).post(reverse("property:inspection_edit", args=[inspection.pk]), {}).status_code == 404


def test_the_api_draws_and_publishes(field, housing, zhujian, nanguan_housing, client_for):
    client = client_for(zhujian)
    drawn = client.post(
        "/api/inspections/draw/", {"department": housing["chaoyang"].pk}, content_type="application/json"
    )
    assert drawn.status_code == 201, drawn.content
    pk = drawn.json()["id"]
    other = client_for(nanguan_housing).post(
        "/api/inspections/draw/", {"department": housing["chaoyang"].pk}, content_type="application/json"
    )
    assert other.status_code == 404
    patched = client.patch(f"/api/inspections/{pk}/", {"conclusion": "passed"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["conclusion"] == "passed"
    assert client.post(f"/api/inspections/{pk}/publish/").json()["published_at"]


# --- home widgets and the schema --------------------------------------------------------------------


def test_the_home_pages_show_each_its_work(field, community_a1, street_a, zhujian, client_for):
    PropertyEvaluation.objects.filter(pk=field["start_a"].pk).update(status=EvaluationStatus.DRAFT)
    street_eval = field["green_a"]
    PropertyEvaluation.objects.filter(pk=street_eval.pk).update(status=EvaluationStatus.SUBMITTED)

    community = with_lazy_parts(client_for(community_a1), "/")
    assert "待评分或上报" in community and "启航小区" in community
    street = with_lazy_parts(client_for(street_a), "/")
    assert "待街道审核" in street and "绿城花园" in street
    housing = with_lazy_parts(client_for(zhujian), "/")
    assert f"{YEAR}年物业企业信用评价" in housing and "长春红心物业服务有限公司" in housing
    assert "双随机一公开" in housing


def test_the_schema_lists_the_evaluation_endpoints(field, city_org, client_for):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.create_superuser("root", password="x")
    schema = client_for(admin).get("/api/schema/").content.decode()
    for path in ("/api/property-evaluations/", "/api/score-sheets/", "/api/evaluation-steps/confirm/",
                 "/api/company-cases/", "/api/inspections/draw/"):  # fmt: skip
        assert path in schema


def test_the_schema_of_the_evaluation_api_is_chinese(areas, city_org, client_for):
    from tests.core.test_api_schema_in_chinese import english_in, texts

    document = client_for(city_org).get(reverse("api-schema"), {"format": "json"}).json()
    ours = {
        path: operations
        for path, operations in document["paths"].items()
        if any(
            part in path
            for part in ("property-evaluations", "score-sheets", "evaluation-steps", "company-cases", "/inspections")
        )  # fmt: skip
    }

    mixed = {where: english_in(text) for where, text in texts(ours) if english_in(text)}

    assert len(ours) == 15  # evaluations 2, sheets 2, steps 5, cases 2, inspections 4 (draw, publish)
    assert mixed == {}
    assert all(operation.get("description") for operations in ours.values() for operation in operations.values())


def test_the_company_page_links_its_grade_for_the_housing_department_only(field, zhujian, street_a, client_for):
    link = reverse("property:evaluation_breakdown", args=[field["red"].pk])
    assert link in client_for(zhujian).get(field["red"].get_absolute_url()).content.decode()
    assert link not in client_for(street_a).get(field["red"].get_absolute_url()).content.decode()
