"""Bad input on the page and in the API: a negative or non-numeric amount, an amount beyond the
balance, a large amount not confirmed (万元 typed as 元), a voucher of the wrong type — each refused
in Chinese, nothing saved; the confirmed large amount and the right voucher are kept."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from funds.models_funding import Allocation, Expenditure

from .funding_cast import A1, PDF, community_a1_fixture, funds_fixture  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db


def expenditure(funds, **more):
    return {
        "allocation": funds["service"].pk,
        "project": "",
        "amount": "1,000.00",
        "spent_on": datetime.date(funds["service"].year, 6, 1).isoformat(),
        "purpose": "楼道灯具",
        **more,
    }


def errors_of(response):
    return response.context["form"].errors.as_text() if response.context and "form" in response.context else ""


@pytest.mark.parametrize(
    ("amount", "says"),
    [("-100", "大于零"), ("一千", "不是数字"), ("70,000.00", "余额为 68,799.50 元")],
)
def test_the_form_refuses_a_bad_amount(funds, community_a1, client_for, amount, says):
    before = Expenditure.objects.count()

    response = client_for(community_a1).post(reverse("funds:expenditure_add"), expenditure(funds, amount=amount))

    assert response.status_code == 200 and says in errors_of(response)
    assert Expenditure.objects.count() == before


def test_the_form_keeps_a_voucher_and_its_name_and_refuses_a_program(funds, community_a1, client_for):
    client = client_for(community_a1)
    bad = SimpleUploadedFile("发票.pdf", b"MZ\x90\x00 not a pdf")

    refused = client.post(reverse("funds:expenditure_add"), expenditure(funds, voucher=bad))
    saved = client.post(
        reverse("funds:expenditure_add"), expenditure(funds, voucher=SimpleUploadedFile("发票.pdf", PDF))
    )

    assert "不是真正的 PDF" in errors_of(refused)
    assert saved.status_code == 302
    kept = Expenditure.objects.get(purpose="楼道灯具")
    assert kept.voucher_name == "发票.pdf" and kept.area.code == A1 and kept.status == "draft"
    assert client.get(reverse("funds:expenditure_voucher", args=[kept.pk])).status_code == 200
    page = client.get(kept.get_absolute_url()).content.decode()
    assert reverse("funds:expenditure_voucher", args=[kept.pk]) in page


def test_a_large_amount_asks_to_be_confirmed_on_the_page(funds, street_a, client_for):
    client = client_for(street_a)
    data = {"area": "220104001002", "year": funds["service"].year, "fund_type": "service", "source": "city"}

    asked = client.post(reverse("funds:allocation_add"), {**data, "amount": "1000000"})
    confirmed = client.post(reverse("funds:allocation_add"), {**data, "amount": "1000000", "confirm_large": "on"})

    assert "万元当作元" in errors_of(asked)
    assert confirmed.status_code == 302
    assert Allocation.objects.get(area__code="220104001002").amount == Decimal("1000000.00")


def test_the_api_asks_for_the_flag_and_refuses_beyond_the_balance(funds, community_a1, client_for):
    client = client_for(community_a1)
    body = {"allocation": funds["service"].pk, "spent_on": f"{funds['service'].year}-06-01", "purpose": "API 支出"}

    large = client.post("/api/expenditures/", {**body, "amount": "250000"}, content_type="application/json")
    beyond = client.post(
        "/api/expenditures/", {**body, "amount": "250000", "confirm_large": True}, content_type="application/json"
    )
    negative = client.post("/api/expenditures/", {**body, "amount": "-1"}, content_type="application/json")
    fine = client.post("/api/expenditures/", {**body, "amount": "1,000.50"}, content_type="application/json")

    assert large.status_code == 400 and "confirm_large" in large.json()["amount"][0]
    assert beyond.status_code == 400 and "余额为 68,799.50 元" in str(beyond.json())
    assert negative.status_code == 400 and "大于零" in str(negative.json())
    assert fine.status_code == 201 and fine.json()["amount"] == "1000.50" and fine.json()["area"] == A1
    assert Expenditure.objects.filter(purpose="API 支出").count() == 1


def test_past_the_choice_bound_an_allocation_is_picked_by_its_communitys_name(
    funds, community_a1, client_for, settings
):
    settings.CHOICE_LIST_BOUND = 1
    client = client_for(community_a1)

    form = client.get(reverse("funds:expenditure_add"))
    picked = client.get(
        reverse("core:pick", args=["funds.allocation"]),
        {"name": "allocation", "action": "funds.record_expenditure", "allocation_q": "A1社区"},
    )

    assert form.status_code == 200
    assert picked.status_code == 200 and "服务群众专项经费" in picked.content.decode()
