"""The annual evaluation (物业服务质量评价, seed 001): three score sheets, one a scorer, each score
within its item's range, hidden from one another until all three are in; the weighted total and
its grade by the scheme's thresholds; submit → street opinion → housing confirm (or return) as
declared steps with their history rows; and who reaches what (a street-B cadre and another
district's housing user get 404)."""

from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.models import StateChange
from property import evaluation as rules
from property.models import (
    Compound,
    EvaluationScheme,
    PropertyEvaluation,
    ScoreSheet,
)
from property.models_evaluation import EvaluationStatus, Grade
from tests.conftest import make_user

from .conftest import COMMUNITY_A1, COMMUNITY_A2

YEAR = 2026
FULL = {"党建引领": 15, "服务质量": 25, "设施维护": 15, "环境卫生": 15, "安全管理": 15, "业主满意度": 15}


def scaled(share):
    """Every item at `share` of its full marks."""
    return {name: str(Decimal(top) * Decimal(share)) for name, top in FULL.items()}


def restore_default_scheme():
    """The default scheme of the data migration (property 0003), loaded again when missing: a
    transactional test (the browser's) empties every table when it ends, data migrations' rows
    included, and a test that runs after it must still find the scheme."""
    import importlib

    from django.apps import apps

    if not EvaluationScheme.objects.exists():
        importlib.import_module("property.migrations.0004_default_evaluation_scheme").create(apps, None)
    return EvaluationScheme.objects.get(year=YEAR)


@pytest.fixture
def scheme(db):
    return restore_default_scheme()


@pytest.fixture
def evaluation(estate, scheme):
    return PropertyEvaluation.objects.create(
        company=estate["company"], compound=estate["compound"], year=YEAR, scheme=scheme
    )


@pytest.fixture
def committee_clerk(areas):
    """A second cadre of community A1, who enters the owners' committee's sheet."""
    from orgs.choices import Role

    return make_user("community_a1_clerk", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])


def all_in(evaluation, user, party=1, committee=1, owners=1):
    for kind, share in (("party", party), ("committee", committee), ("owners", owners)):
        rules.enter_sheet(evaluation, kind, scaled(share), user)
    evaluation.refresh_from_db()
    return evaluation


def steps_of(evaluation):
    return list(
        StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(PropertyEvaluation), object_id=evaluation.pk
        )
        .order_by("pk")
        .values_list("transition", "from_state", "to_state", "reason")
    )


# --- the default scheme and the grade thresholds --------------------------------------------------


def test_the_default_scheme_is_in_chinese_on_100_points(scheme):
    assert [item.name for item in scheme.items.all()] == list(FULL)
    assert sum(item.max_score for item in scheme.items.all()) == 100
    assert (scheme.weight_party, scheme.weight_committee, scheme.weight_owners) == (40, 30, 30)


@pytest.mark.parametrize(
    ("total", "grade"),
    [("100", "A"), ("90", "A"), ("89.99", "B"), ("80", "B"), ("79.9", "C"), ("60", "C"), ("59.99", "D"), ("0", "D")],
)
def test_the_grade_follows_the_thresholds(scheme, total, grade):
    assert rules.grade_for(rules.scheme_for(YEAR), Decimal(total)) == grade


def test_changed_thresholds_change_the_grade(scheme):
    scheme.grade_a, scheme.grade_b = Decimal(95), Decimal(85)
    assert rules.grade_for(scheme, Decimal(92)) == Grade.B


def test_a_scheme_whose_weights_do_not_make_100_is_refused(db):
    scheme = EvaluationScheme(year=2030, name="x", weight_party=50, weight_committee=30, weight_owners=30)
    with pytest.raises(ValidationError) as refused:
        scheme.full_clean()
    assert "权重之和须为 100，现为 110" in str(refused.value)


# --- sheets: the total, the ranges, one a scorer --------------------------------------------------


def test_the_total_is_weighted_by_scorer_once_all_three_are_in(evaluation, community_a1):
    rules.enter_sheet(evaluation, "party", scaled(1), community_a1)  # 100
    rules.enter_sheet(evaluation, "committee", scaled("0.8"), community_a1)  # 80
    evaluation.refresh_from_db()
    assert evaluation.total is None and evaluation.grade == ""  # not before all three

    rules.enter_sheet(evaluation, "owners", scaled("0.6"), community_a1)  # 60

    evaluation.refresh_from_db()
    assert evaluation.total == Decimal("82.00")  # 0.4×100 + 0.3×80 + 0.3×60
    assert evaluation.grade == Grade.B


def test_a_score_above_the_items_maximum_is_refused_and_nothing_saved(evaluation, community_a1):
    scores = scaled(1) | {"服务质量": "26"}
    with pytest.raises(ValidationError) as refused:
        rules.enter_sheet(evaluation, "party", scores, community_a1)
    assert refused.value.message_dict["服务质量"] == ["“服务质量”的得分须在 0 至 25 分之间，填写的是 26。"]
    assert not ScoreSheet.objects.exists()


@pytest.mark.parametrize(("value", "words"), [("-1", "须在 0 至 15 分之间"), ("abc", "不是数字"), ("", "请填写")])
def test_a_negative_a_text_or_a_missing_score_is_refused(evaluation, community_a1, value, words):
    with pytest.raises(ValidationError) as refused:
        rules.enter_sheet(evaluation, "party", scaled(1) | {"党建引领": value}, community_a1)
    assert words in " ".join(refused.value.message_dict["党建引领"])


def test_a_second_sheet_by_the_same_scorer_is_refused(evaluation, community_a1):
    rules.enter_sheet(evaluation, "committee", scaled(1), community_a1)
    with pytest.raises(ValidationError) as refused:
        rules.enter_sheet(evaluation, "committee", scaled("0.5"), community_a1)
    assert "已有业主委员会的评分表，每类评分主体只能提交一份" in str(refused.value)
    assert ScoreSheet.objects.get().total == Decimal(100)


def test_the_form_refuses_an_out_of_range_score_in_chinese(evaluation, community_a1, client_for):
    data = {"kind": "party", "scorer": "社区书记"}
    data |= {f"item_{item.pk}": "10" for item in evaluation.scheme.items.all()}
    data[f"item_{evaluation.scheme.items.get(name='党建引领').pk}"] = "16"

    response = client_for(community_a1).post(reverse("property:scoresheet_add", args=[evaluation.pk]), data)

    assert response.status_code == 200
    assert "“党建引领”的得分须在 0 至 15 分之间，填写的是 16。" in response.content.decode()
    assert not ScoreSheet.objects.exists()


def test_the_form_saves_a_sheet_and_offers_only_the_scorers_still_missing(evaluation, community_a1, client_for):
    client = client_for(community_a1)
    data = {"kind": "owners", "scorer": "业主代表 李某"} | {
        f"item_{item.pk}": "10" for item in evaluation.scheme.items.all()
    }

    assert client.post(reverse("property:scoresheet_add", args=[evaluation.pk]), data).status_code == 302

    sheet = ScoreSheet.objects.get()
    assert (sheet.kind, sheet.total, sheet.entered_by) == ("owners", Decimal(60), community_a1)
    page = client.get(reverse("property:scoresheet_add", args=[evaluation.pk])).content.decode()
    assert 'value="owners"' not in page and 'value="party"' in page


def test_the_api_refuses_an_out_of_range_score_and_a_second_sheet(evaluation, community_a1, client_for):
    client = client_for(community_a1)
    url = "/api/score-sheets/"
    body = {"evaluation": evaluation.pk, "kind": "party", "scores": scaled(1) | {"环境卫生": "15.5"}}

    refused = client.post(url, body, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["环境卫生"] == ["“环境卫生”的得分须在 0 至 15 分之间，填写的是 15.5。"]

    body["scores"] = scaled(1)
    assert client.post(url, body, content_type="application/json").status_code == 201
    second = client.post(url, body, content_type="application/json")
    assert second.status_code == 400
    assert "每类评分主体只能提交一份" in second.content.decode()
    assert ScoreSheet.objects.count() == 1


def test_an_evaluation_of_a_company_that_does_not_serve_the_compound_is_refused(
    areas, estate, scheme, community_a1, client_for
):
    other = Compound.objects.create(name="自管小区", community=areas[COMMUNITY_A1], mode="owners")
    form = client_for(community_a1).post(
        reverse("property:propertyevaluation_add"),
        {"compound": other.pk, "company": estate["company"].pk, "year": YEAR},
    )
    assert "不是“自管小区”的物业服务企业，不能评价该小区" in form.content.decode()

    api = client_for(community_a1).post(
        "/api/property-evaluations/",
        {"compound": other.pk, "company": estate["company"].pk, "year": YEAR},
        content_type="application/json",
    )
    assert api.status_code == 400 and "不能评价该小区" in api.json()["company"][0]
    assert not PropertyEvaluation.objects.exists()


def test_the_community_records_an_evaluation_with_the_years_scheme(estate, scheme, community_a1, client_for):
    response = client_for(community_a1).post(
        reverse("property:propertyevaluation_add"),
        {"compound": estate["compound"].pk, "company": estate["company"].pk, "year": YEAR},
    )
    assert response.status_code == 302
    assert PropertyEvaluation.objects.get().scheme == rules.scheme_for(YEAR)


# --- hidden until all three are in ----------------------------------------------------------------


def test_a_scorer_sees_only_its_own_sheet_until_all_three_are_in(evaluation, community_a1, committee_clerk, client_for):
    own = rules.enter_sheet(evaluation, "party", scaled(1), community_a1)
    other = rules.enter_sheet(evaluation, "committee", scaled("0.5"), committee_clerk)
    clerk = client_for(committee_clerk)

    assert clerk.get(reverse("property:scoresheet_detail", args=[own.pk])).status_code == 404
    assert clerk.get(reverse("property:scoresheet_detail", args=[other.pk])).status_code == 200
    listed = clerk.get("/api/score-sheets/").json()["results"]
    assert [row["id"] for row in listed] == [other.pk]
    page = clerk.get(evaluation.get_absolute_url()).content.decode()
    assert "合计 50.0 分" in page and "合计 100.0 分" not in page
    assert "三份评分表都提交后可查看" in page

    rules.enter_sheet(evaluation, "owners", scaled(1), community_a1)

    assert clerk.get(reverse("property:scoresheet_detail", args=[own.pk])).status_code == 200
    assert len(clerk.get("/api/score-sheets/").json()["results"]) == 3


# --- the approval chain ---------------------------------------------------------------------------


def test_submitting_before_all_three_sheets_are_in_is_refused(evaluation, community_a1, client_for):
    rules.enter_sheet(evaluation, "party", scaled(1), community_a1)

    response = client_for(community_a1).post(
        reverse("property:propertyevaluation_submit", args=[evaluation.pk]), {"state": "draft"}, follow=True
    )

    assert "还缺业主委员会、业主代表的评分表" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.DRAFT and steps_of(evaluation) == []


def test_submit_street_opinion_and_housing_confirm(evaluation, community_a1, street_a, zhujian, client_for):
    all_in(evaluation, community_a1, 1, "0.9", "0.8")

    assert (
        client_for(community_a1)
        .post(reverse("property:propertyevaluation_submit", args=[evaluation.pk]), {"state": "draft"})
        .status_code
        == 302
    )
    # The street approves with its opinion (required).
    street = client_for(street_a)
    blank = street.post(reverse("property:propertyevaluation_approve", args=[evaluation.pk]), {"state": "submitted"})
    assert blank.status_code == 200 and "该字段是必填项" in blank.content.decode()
    street.post(
        reverse("property:propertyevaluation_approve", args=[evaluation.pk]),
        {"state": "submitted", "reason": "评分规范，同意上报。"},
    )
    # 住建 confirms through the API.
    confirmed = client_for(zhujian).post(
        "/api/evaluation-steps/confirm/", {"evaluation": evaluation.pk, "state": "reviewed"}
    )

    assert confirmed.status_code == 200, confirmed.content
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.CONFIRMED
    assert steps_of(evaluation) == [
        ("submit", "draft", "submitted", ""),
        ("approve", "submitted", "reviewed", "评分规范，同意上报。"),
        ("confirm", "reviewed", "confirmed", ""),
    ]
    assert rules.street_opinion(evaluation) == "评分规范，同意上报。"
    # Confirmed, it is kept as it was: its page offers the community no 编辑 or 删除 (core/guard.py).
    page = client_for(community_a1).get(evaluation.get_absolute_url()).content.decode()
    assert reverse("property:propertyevaluation_edit", args=[evaluation.pk]) not in page
    assert reverse("property:propertyevaluation_delete", args=[evaluation.pk]) not in page


def test_the_street_returns_with_a_reason_and_the_community_may_submit_again(
    evaluation, community_a1, street_a, client_for
):
    all_in(evaluation, community_a1)
    rules.EVALUATION.take("submit", {"pk": evaluation.pk}, community_a1)

    client_for(street_a).post(
        reverse("property:propertyevaluation_return", args=[evaluation.pk]),
        {"state": "submitted", "reason": "业主代表评分人数不足。"},
    )

    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.RETURNED and evaluation.reason == "业主代表评分人数不足。"
    rules.EVALUATION.take("submit", {"pk": evaluation.pk}, community_a1)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED


def test_the_housing_department_confirms_only_after_the_street(evaluation, community_a1, zhujian, client_for):
    all_in(evaluation, community_a1)
    rules.EVALUATION.take("submit", {"pk": evaluation.pk}, community_a1)

    early = client_for(zhujian).post(
        "/api/evaluation-steps/confirm/", {"evaluation": evaluation.pk, "state": "submitted"}
    )

    assert early.status_code == 400 and "须街道审核后才能确认" in early.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED


def test_buttons_only_for_who_may_act(evaluation, community_a1, street_a, zhujian, client_for):
    all_in(evaluation, community_a1)
    rules.EVALUATION.take("submit", {"pk": evaluation.pk}, community_a1)
    url = evaluation.get_absolute_url()
    approve = reverse("property:propertyevaluation_approve", args=[evaluation.pk])
    confirm = reverse("property:propertyevaluation_confirm", args=[evaluation.pk])

    assert approve in client_for(street_a).get(url).content.decode()
    community_page = client_for(community_a1).get(url).content.decode()
    assert approve not in community_page and confirm not in community_page
    assert approve not in client_for(zhujian).get(url).content.decode()
    assert client_for(community_a1).post(approve, {"state": "submitted", "reason": "x"}).status_code == 404

    rules.EVALUATION.take("approve", {"pk": evaluation.pk}, street_a, reason="同意")
    assert confirm in client_for(zhujian).get(url).content.decode()
    assert confirm not in client_for(street_a).get(url).content.decode()


def test_no_sheet_is_entered_after_submission(evaluation, community_a1):
    all_in(evaluation, community_a1)
    ScoreSheet.objects.filter(kind="owners").delete()
    evaluation.status = EvaluationStatus.SUBMITTED
    evaluation.save()
    with pytest.raises(ValidationError) as refused:
        rules.enter_sheet(evaluation, "owners", scaled(1), community_a1)
    assert "该评价已上报街道，不能再录入评分表" in str(refused.value)


# --- scope ----------------------------------------------------------------------------------------


def test_a_street_b_cadre_and_another_districts_housing_user_get_404(
    evaluation, community_a1, street_b, nanguan_housing, client_for
):
    sheet = rules.enter_sheet(evaluation, "party", scaled(1), community_a1)
    all_in_rest = [rules.enter_sheet(evaluation, k, scaled(1), community_a1) for k in ("committee", "owners")]
    assert all_in_rest
    pages = [
        evaluation.get_absolute_url(),
        reverse("property:scoresheet_detail", args=[sheet.pk]),
        f"/api/property-evaluations/{evaluation.pk}/",
        f"/api/score-sheets/{sheet.pk}/",
        reverse("property:evaluation_breakdown", args=[evaluation.company.pk]),
        reverse("property:evaluation_grade", args=[evaluation.company.pk]),
    ]
    for outsider in (street_b, nanguan_housing):
        client = client_for(outsider)
        for url in pages:
            assert client.get(url).status_code == 404, (outsider, url)
    assert client_for(street_b).get(reverse("property:evaluation_ranking")).status_code == 404


def test_a_street_b_cadre_cannot_take_a_step(evaluation, community_a1, street_b, client_for):
    all_in(evaluation, community_a1)
    rules.EVALUATION.take("submit", {"pk": evaluation.pk}, community_a1)

    response = client_for(street_b).post(
        "/api/evaluation-steps/approve/", {"evaluation": evaluation.pk, "reason": "x", "state": "submitted"}
    )

    assert response.status_code == 404
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED


def test_a_community_cadre_cannot_evaluate_a_compound_of_another_community(areas, estate, scheme, client_for):
    from orgs.choices import Role

    a2 = make_user("community_a2", Role.COMMUNITY_CADRE, areas[COMMUNITY_A2])
    response = client_for(a2).post(
        reverse("property:propertyevaluation_add"),
        {"compound": estate["compound"].pk, "company": estate["company"].pk, "year": YEAR},
    )
    assert response.status_code == 200 and not PropertyEvaluation.objects.exists()


def test_the_sheet_page_says_when_all_three_are_in(evaluation, community_a1, client_for):
    all_in(evaluation, community_a1)

    response = client_for(community_a1).get(reverse("property:scoresheet_add", args=[evaluation.pk]), follow=True)

    assert "三类评分主体都已提交评分表" in response.content.decode()
    assert response.redirect_chain[-1][0] == evaluation.get_absolute_url()


def test_a_scheme_already_scored_on_is_not_changed(evaluation, community_a1, zhujian, client_for):
    rules.enter_sheet(evaluation, "party", scaled(1), community_a1)
    scheme, item = evaluation.scheme, evaluation.scheme.items.get(name="服务质量")
    client = client_for(zhujian)

    refused = client.post(
        reverse("property:schemeitem_edit", args=[item.pk]),
        {"scheme": scheme.pk, "name": "服务质量", "max_score": "30", "order": item.order},
    )

    assert "该方案已有评分表，不能再修改其评价项目" in refused.content.decode()
    item.refresh_from_db()
    assert item.max_score == 25
    new = client.post(
        reverse("property:evaluationscheme_add"),
        {"year": 2027, "name": "2027年方案", "weight_party": 50, "weight_committee": 25, "weight_owners": 25,
         "grade_a": 90, "grade_b": 75, "grade_c": 60},
    )  # fmt: skip
    assert new.status_code == 302 and rules.scheme_for(2027).name == "2027年方案"
