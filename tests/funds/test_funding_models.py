"""经费's rules: amounts as offices write them, the balance never below zero (the refusal names it),
approval keeps who and when, a returned expenditure frees its money, what an approved expenditure and a
published notice refuse, the minimum per type and per city."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from funds.funding_flow import EXPENDITURES, NOTICES
from funds.models_funding import Allocation, Expenditure, FundType, NoticeStatus, minimums, parse_money
from funds.widgets_funding import below_minimum
from orgs.models import Area

from .funding_cast import A1, A2, B1, community_a1_fixture, funds_fixture, spend  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("written", "wan", "expected"),
    [
        ("1,234.50", False, "1234.50"),
        ("1 234.5 元", False, "1234.50"),
        ("12万", False, "120000.00"),
        ("2.5", True, "25000.00"),
        (Decimal("7"), False, "7.00"),
    ],
)
def test_amounts_are_read_as_offices_write_them(written, wan, expected):
    assert parse_money(written, wan=wan) == Decimal(expected)


@pytest.mark.parametrize(
    ("written", "says"), [("-5", "大于零"), ("0", "大于零"), ("十元", "不是数字"), ("1.234", "分")]
)
def test_a_bad_amount_is_refused_in_chinese(written, says):
    with pytest.raises(ValidationError) as refused:
        parse_money(written)

    assert says in " ".join(refused.value.messages)


def test_spending_beyond_the_balance_is_refused_with_the_balance(funds):
    # 100,000 − 30,000.50 approved − 1,200 waiting = 68,799.50 left
    with pytest.raises(ValidationError) as refused:
        spend(funds["service"], "68799.51")

    assert "68,799.50 元" in " ".join(refused.value.messages)
    assert funds["service"].expenditures.count() == 2
    assert spend(funds["service"], "68799.50").pk  # the last fen may be spent
    assert funds["service"].balance == Decimal("0.00")


def test_approval_keeps_who_and_when_and_a_returned_expenditure_frees_its_money(funds, street_a):
    approved = funds["approved"]
    assert (approved.status, approved.by, approved.at is not None) == ("approved", street_a, True)

    EXPENDITURES.take("reject", {"pk": funds["draft"].pk}, street_a, reason="凭证缺失")

    assert funds["service"].balance == Decimal("100000.00") - Decimal("30000.50")


def test_approval_is_refused_when_the_balance_no_longer_covers_it(funds, street_a):
    from funds.models_funding import Expenditure

    draft = funds["draft"]
    Expenditure.objects.filter(pk=draft.pk).update(amount=Decimal("99999.00"))  # past the checks, as a stale row

    with pytest.raises(ValidationError) as refused:
        EXPENDITURES.take("approve", {"pk": draft.pk}, street_a)

    assert "余额为" in " ".join(refused.value.messages)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_an_approved_expenditure_and_a_published_notice_are_kept(funds):
    with pytest.raises(ValidationError, match="已审批"):
        funds["approved"].delete()
    with pytest.raises(ValidationError, match="已公示"):
        funds["notice"].delete()
    assert funds["notice"].refuses("change")


def test_a_published_notice_keeps_what_it_showed_and_a_correction_says_what_changed(funds, street_a, community_a1):
    before = funds["notice"].snapshot
    EXPENDITURES.take("approve", {"pk": funds["draft"].pk}, street_a)
    funds["notice"].refresh_from_db()
    assert funds["notice"].snapshot == before  # never recomputed
    assert before["projects"][0]["spent"] == "30000.50"

    correction = NOTICES.model.objects.create(area=funds["notice"].area, year=funds["notice"].year, title="更正")
    NOTICES.take("publish", {"pk": correction.pk}, community_a1)
    correction.refresh_from_db()

    assert correction.status == NoticeStatus.PUBLISHED and correction.published_at
    assert correction.snapshot["projects"][0]["spent"] == "31200.50"
    assert "项目“老年助餐点”支出由 30,000.50 元变为 31,200.50 元。" in correction.changes


def test_communities_below_a_minimum_are_flagged(funds, areas):
    flagged = dict(below_minimum(Area.objects.filter(code__in=[A1, A2, B1]), funds["service"].year))

    assert areas[A1] not in flagged  # 运转 50,000 and 服务群众 100,000: both at the minimum
    assert [label for label, _amount, _minimum in flagged[areas[B1]]] == [FundType.SERVICE.label]
    assert len(flagged[areas[A2]]) == 2  # nothing allocated


def test_a_city_sets_its_own_minimums(settings):
    settings.FUNDS_MINIMUMS = {"default": {"party": 10000}, "2201": {"operating": 200000}}

    assert minimums("220104001001")[FundType.OPERATING] == Decimal("200000.00")
    assert minimums("220104001001")[FundType.PARTY] == Decimal("10000.00")
    assert minimums("5201")[FundType.OPERATING] == Decimal("50000.00")


def test_an_allocation_cannot_fall_below_what_is_spent_from_it_nor_go_to_a_street(funds, areas):
    service = funds["service"]
    service.amount = Decimal("30000.00")  # 31,200.50 is recorded against it
    with pytest.raises(ValidationError) as refused:
        service.full_clean()
    assert "31,200.50 元" in " ".join(refused.value.messages)

    street = Allocation(area=areas["220104001"], year=service.year, fund_type="party", source="street", amount=1)
    with pytest.raises(ValidationError, match="请选择社区"):
        street.full_clean()


def test_spending_outside_the_allocations_year_or_for_another_communitys_project_is_refused(funds):
    import datetime

    stray = Expenditure(
        allocation=funds["service"],
        project=funds["b1_project"],
        amount=Decimal("10.00"),
        spent_on=datetime.date(funds["service"].year - 1, 12, 31),
        purpose="错配",
    )
    with pytest.raises(ValidationError) as refused:
        stray.full_clean()

    assert set(refused.value.message_dict) == {"project", "spent_on"}
