"""The permission matrix (core/testing.py) of every page and endpoint of the annual evaluation:
anonymous → login, in scope → served, out of scope → 404 and nothing written. Evaluations are
community A1's (community B1 the outsider of scoring, street B of reviewing); their confirmation,
the cases and the inspections are 朝阳区's housing bureau's (南关区's the outsider)."""

import pytest
from django.urls import reverse

from core.testing import Case, Page, PermissionMatrix, model_state, transition_pages
from orgs.choices import Role
from property import api_evaluation as api
from property import evaluation as rules
from property import inspections
from property.models import (
    CompanyCase,
    EvaluationScheme,
    Inspection,
    PropertyEvaluation,
    SchemeItem,
    ScoreSheet,
)
from property.models_evaluation import EvaluationStatus
from property.views_evaluation import CompanyCasePages, PropertyEvaluationPages
from tests.conftest import make_user

from .test_evaluation import restore_default_scheme, scaled

SCORERS = {"insider": "community_a1", "outsider": "community_b1"}
HOUSING = {"insider": "zhujian", "outsider": "nanguan_housing"}


def url(name, key):
    return lambda o: reverse(name, args=[o[key].pk])


def fixed(name):
    return lambda o: reverse(name)


@pytest.fixture
def community_b1(areas):
    return make_user("community_b1", Role.COMMUNITY_CADRE, areas["220104002001"])


def evaluations_state(objects):
    return (
        model_state(PropertyEvaluation)(objects),
        model_state(ScoreSheet)(objects),
    )


def scheme_state(objects):
    return model_state(EvaluationScheme)(objects), model_state(SchemeItem)(objects)


class TestEvaluationMatrix(PermissionMatrix):
    pages = [
        *PermissionMatrix.for_pages(PropertyEvaluationPages, record="draft", max_queries=25, **SCORERS),
        *PermissionMatrix.for_api(
            api.PropertyEvaluationViewSet, record="draft", max_queries=20, data=lambda o: {"year": 2031}, **SCORERS
        ),
        *PermissionMatrix.for_api(
            api.ScoreSheetViewSet, record="sheet", max_queries=20, data=lambda o: {"scorer": "越权"}, **SCORERS
        ),
        *PermissionMatrix.for_pages(CompanyCasePages, record="case", max_queries=25, **HOUSING),
        *PermissionMatrix.for_api(
            api.CompanyCaseViewSet, record="case", max_queries=20, data=lambda o: {"result": "越权"}, **HOUSING
        ),
        *PermissionMatrix.for_api(
            api.InspectionViewSet, record="inspection", max_queries=20, data=lambda o: {"result": "越权"}, **HOUSING
        ),
        # Inspections: the list, the page and the result's edit; added by the draw.
        Page("property:inspection_list", fixed("property:inspection_list"), insider="zhujian", max_queries=25),
        Page("property:inspection_detail", url("property:inspection_detail", "inspection"), **HOUSING),
        Page("property:inspection_edit", url("property:inspection_edit", "inspection"), **HOUSING),
        Page(
            "property:inspection_edit",
            url("property:inspection_edit", "inspection"),
            method="post",
            data=lambda o: {"conclusion": "failed", "result": "越权"},
            outsider="nanguan_housing",
            state=model_state(Inspection),
        ),
        Page("property:inspection_delete", url("property:inspection_delete", "inspection"), **HOUSING),
        Page(
            "property:inspection_delete",
            url("property:inspection_delete", "inspection"),
            method="post",
            outsider="nanguan_housing",
            state=model_state(Inspection),
        ),
        Page("property:inspection_add", fixed("property:inspection_add"), insider="zhujian", outsider="street_b"),
        Page("property:inspection_draw", fixed("property:inspection_draw"), insider="zhujian", outsider="street_b"),
        Page(
            "property:inspection_draw",
            fixed("property:inspection_draw"),
            method="post",
            data=lambda o: {"department": o["company"].department_id},
            outsider="nanguan_housing",
            refused=200,  # the form offers only its own department
            state=model_state(Inspection),
        ),
        Page(
            "property:inspection_publish",
            url("property:inspection_publish", "inspection"),
            method="post",
            ok=302,
            state=model_state(Inspection),
            **HOUSING,
        ),
        Page(
            "inspection-draw",
            lambda o: "/api/inspections/draw/",
            method="post",
            data=lambda o: {"department": o["company"].department_id},
            api=True,
            ok=201,
            state=model_state(Inspection),
            **HOUSING,
        ),
        Page(
            "inspection-publish",
            lambda o: f"/api/inspections/{o['inspection'].pk}/publish/",
            method="post",
            api=True,
            ok=400,  # no conclusion yet: refused in Chinese
            state=model_state(Inspection),
            **HOUSING,
        ),
        # Score sheets: entered by the community, read by who entered them.
        Page("property:scoresheet_add", url("property:scoresheet_add", "open"), **SCORERS),
        Page(
            "property:scoresheet_add",
            url("property:scoresheet_add", "open"),
            method="post",
            data=lambda o: {"kind": "party"} | {f"item_{i.pk}": "1" for i in o["open"].scheme.items.all()},
            outsider="community_b1",
            state=evaluations_state,
        ),
        Page("property:scoresheet_detail", url("property:scoresheet_detail", "sheet"), **SCORERS),
        # The housing bureau's ranking, breakdown and grade page.
        Page(
            "property:evaluation_ranking",
            fixed("property:evaluation_ranking"),
            insider="zhujian",
            outsider="street_b",
            max_queries=20,
        ),
        Page("property:evaluation_breakdown", url("property:evaluation_breakdown", "company"), **HOUSING),
        Page("property:evaluation_grade", url("property:evaluation_grade", "company"), **HOUSING),
        # The schemes: read by every office, kept by the housing departments.
        Page("property:evaluationscheme_list", fixed("property:evaluationscheme_list"), insider="street_b"),
        Page("property:evaluationscheme_detail", url("property:evaluationscheme_detail", "scheme"), insider="zhujian"),
        Page(
            "property:evaluationscheme_add",
            fixed("property:evaluationscheme_add"),
            insider="zhujian",
            outsider="street_b",
        ),
        Page(
            "property:evaluationscheme_edit",
            url("property:evaluationscheme_edit", "scheme"),
            insider="zhujian",
            outsider="street_b",
        ),
        Page(
            "property:evaluationscheme_edit",
            url("property:evaluationscheme_edit", "scheme"),
            method="post",
            data=lambda o: {
                "year": 2026,
                "name": "越权",
                "weight_party": 40,
                "weight_committee": 30,
                "weight_owners": 30,
                "grade_a": 90,
                "grade_b": 80,
                "grade_c": 60,
            },  # fmt: skip
            outsider="street_b",
            state=scheme_state,
        ),
        Page(
            "property:evaluationscheme_delete",
            url("property:evaluationscheme_delete", "scheme"),
            insider="zhujian",
            outsider="street_b",
        ),
        Page(
            "property:evaluationscheme_delete",
            url("property:evaluationscheme_delete", "scheme"),
            method="post",
            outsider="street_b",
            state=scheme_state,
        ),
        Page("property:schemeitem_list", fixed("property:schemeitem_list"), insider="street_b"),
        Page("property:schemeitem_detail", url("property:schemeitem_detail", "item"), insider="street_b"),
        Page("property:schemeitem_add", fixed("property:schemeitem_add"), insider="zhujian", outsider="street_b"),
        Page(
            "property:schemeitem_edit", url("property:schemeitem_edit", "item"), insider="zhujian", outsider="street_b"
        ),
        Page(
            "property:schemeitem_edit",
            url("property:schemeitem_edit", "item"),
            method="post",
            data=lambda o: {"scheme": o["scheme"].pk, "name": "越权", "max_score": 99, "order": 1},
            outsider="street_b",
            state=scheme_state,
        ),
        Page(
            "property:schemeitem_delete",
            url("property:schemeitem_delete", "item"),
            insider="zhujian",
            outsider="street_b",
        ),
        Page(
            "property:schemeitem_delete",
            url("property:schemeitem_delete", "item"),
            method="post",
            outsider="street_b",
            state=scheme_state,
        ),
        # The approval chain's declared steps.
        *transition_pages(
            rules.EVALUATION,
            page_name="property:propertyevaluation_{name}",
            cases={
                "submit": Case(
                    url("property:propertyevaluation_submit", "draft"),
                    "community_a1",
                    "community_b1",
                    api_data=lambda o: {"evaluation": o["draft"].pk},
                ),
                "approve": Case(
                    url("property:propertyevaluation_approve", "submitted"),
                    "street_a",
                    "street_b",
                    data=lambda o: {"reason": "同意"},
                    api_data=lambda o: {"evaluation": o["submitted"].pk, "reason": "同意"},
                ),
                "return": Case(
                    url("property:propertyevaluation_return", "submitted"),
                    "street_a",
                    "street_b",
                    data=lambda o: {"reason": "缺少业主代表签字"},
                    api_data=lambda o: {"evaluation": o["submitted"].pk, "reason": "缺少业主代表签字"},
                ),
                "confirm": Case(
                    url("property:propertyevaluation_confirm", "reviewed"),
                    "zhujian",
                    "nanguan_housing",
                    api_data=lambda o: {"evaluation": o["reviewed"].pk},
                ),
                "send_back": Case(
                    url("property:propertyevaluation_send_back", "reviewed"),
                    "zhujian",
                    "nanguan_housing",
                    data=lambda o: {"reason": "分数与投诉记录不符"},
                    api_data=lambda o: {"evaluation": o["reviewed"].pk, "reason": "分数与投诉记录不符"},
                ),
            },
            state=evaluations_state,
            api_name="evaluationstep-{name}",
            api_url=lambda t: f"/api/evaluation-steps/{t.name}/",
        ),
    ]

    @pytest.fixture
    def objects(self, estate, housing, community_a1, zhujian):
        o = dict(estate)
        scheme = restore_default_scheme()
        o["scheme"], o["item"] = scheme, scheme.items.first()

        def evaluation(year, status, sheets=True):
            made = PropertyEvaluation.objects.create(
                company=o["company"], compound=o["compound"], year=year, scheme=scheme
            )
            if sheets:
                for kind in rules.KINDS:
                    rules.enter_sheet(made, kind, scaled(1), community_a1)
            PropertyEvaluation.objects.filter(pk=made.pk).update(status=status)
            made.refresh_from_db()
            return made

        o["draft"] = evaluation(2026, EvaluationStatus.DRAFT)
        o["sheet"] = o["draft"].sheets.get(kind="party")
        o["open"] = evaluation(2029, EvaluationStatus.DRAFT, sheets=False)
        o["submitted"] = evaluation(2027, EvaluationStatus.SUBMITTED)
        o["reviewed"] = evaluation(2028, EvaluationStatus.REVIEWED)
        o["case"] = CompanyCase.objects.create(
            company=o["company"], compound=o["compound"], kind="mediation", mediator="housing", summary="漏水纠纷"
        )
        o["inspection"] = inspections.draw(housing["chaoyang"], zhujian, seed=7)
        return o
