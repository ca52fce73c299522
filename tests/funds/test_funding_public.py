"""The public notice (公示): a community's latest published notice read without logging in — its
funds and projects with their spending and status, when it was published, what changed since the
one before, the earlier ones listed — and nothing unpublished, nobody's name or phone; printable on
A4. An unknown code, a street's, or a community without a published notice: 404."""

import pytest
from django.test import Client
from django.urls import reverse

from funds.funding_flow import EXPENDITURES, NOTICES
from funds.models_funding import FundNotice

from .funding_cast import A1, A2, B1, STREET_A, community_a1_fixture, funds_fixture  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def page(code, *args):
    response = Client().get(
        reverse("funds:public_notice" if not args else "funds:public_notice_at", args=[code, *args])
    )
    return response, response.content.decode()


def test_an_anonymous_visitor_reads_the_latest_notice(funds, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        response, text = page(A1)

    assert response.status_code == 200
    assert "A1社区第一期经费公示" in text and "老年助餐点" in text and "30,000.50" in text
    assert "服务群众专项经费" in text and "100,000.00" in text and "实施中" in text
    assert "首次公示" in text
    assert "data-print" in text and "funds-notice.css" in text


def test_nothing_unpublished_and_nobodys_name_or_phone(funds, street_a, community_a1):
    _response, text = page(A1)

    assert "A1社区草稿公示" not in text  # the draft notice
    assert "助餐点餐具" not in text and "1,200.00" not in text.split("<main")[1]  # the waiting expenditure
    for personal in ("street_a", "community_a1", "李小红", "13800001111", "13912345678", "审批"):
        assert personal not in text


def test_a_correction_is_a_new_notice_and_the_earlier_one_stays_readable(funds, street_a, community_a1):
    EXPENDITURES.take("approve", {"pk": funds["draft"].pk}, street_a)
    correction = FundNotice.objects.create(area=funds["notice"].area, year=funds["notice"].year, title="A1社区更正公示")
    NOTICES.take("publish", {"pk": correction.pk}, community_a1)

    _response, latest = page(A1)
    _response, earlier = page(A1, funds["notice"].pk)

    assert "A1社区更正公示" in latest and "31,200.50" in latest and "30,000.50 元变为 31,200.50 元" in latest
    assert reverse("funds:public_notice_at", args=[A1, funds["notice"].pk]) in latest
    assert "30,000.50" in earlier and "31,200.50" not in earlier and "此为历史公示" in earlier


@pytest.mark.parametrize("code", ["999999999999", STREET_A, A2, "220104001001001"])
def test_an_unknown_code_a_street_or_a_community_without_a_notice_is_404(funds, code):
    assert page(code)[0].status_code == 404


def test_a_draft_notice_is_not_found_by_its_number(funds):
    assert page(A1, funds["draft_notice"].pk)[0].status_code == 404
    assert page(B1, funds["notice"].pk)[0].status_code == 404  # another community's
