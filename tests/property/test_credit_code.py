"""统一社会信用代码 (GB 32100): 18 characters, the 18th a check character; a wrong one is refused
with its reason in Chinese — by core.identity, the company form and the API alike."""

import pytest
from django.core.exceptions import ValidationError

from core.fields import CreditCodeField
from core.identity import credit_code, with_credit_check_character
from property.models import PropertyCompany

from .conftest import CODE_1


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91110000600037341L", "91330106673959654P"])
def test_published_codes_are_valid(code):
    assert credit_code(code) == code


def test_a_code_is_cleaned_of_spaces_and_written_upper_case():
    assert credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"


def test_a_wrong_check_character_is_refused_with_the_right_one_named():
    with pytest.raises(ValueError, match="校验位不正确（第18位应为“3”）"):
        credit_code("91350100M000100Y44")


def test_a_code_of_another_length_says_its_length():
    with pytest.raises(ValueError, match="应为18位，现为17位"):
        credit_code("91350100M000100Y4")


def test_letters_outside_the_standards_set_are_refused():
    with pytest.raises(ValueError, match="不允许的字符"):
        credit_code("9135010OM000100Y43")  # a letter O where a digit of the division code stands


def test_the_completed_body_is_valid():
    body = "91220104MA0000001"
    assert credit_code(with_credit_check_character(body)) == with_credit_check_character(body)


def test_the_model_field_refuses_a_wrong_code_in_the_same_words():
    with pytest.raises(ValidationError, match="校验位不正确"):
        CreditCodeField("统一社会信用代码").formfield().clean(CODE_1[:17] + ("0" if CODE_1[17] != "0" else "1"))


def test_the_company_form_refuses_a_wrong_code_and_saves_nothing(housing, zhujian, client_for):
    wrong = CODE_1[:17] + ("0" if CODE_1[17] != "0" else "1")

    response = client_for(zhujian).post(
        "/property/companies/add/", {"name": "错误代码物业", "credit_code": wrong, "department": housing["chaoyang"].pk}
    )

    assert response.status_code == 200
    assert "校验位不正确" in response.content.decode()
    assert not PropertyCompany.objects.exists()


def test_the_api_refuses_a_wrong_code_with_a_400_in_chinese(housing, zhujian, client_for):
    wrong = CODE_1[:17] + ("0" if CODE_1[17] != "0" else "1")

    response = client_for(zhujian).post(
        "/api/property-companies/",
        {"name": "错误代码物业", "credit_code": wrong, "department": housing["chaoyang"].pk},
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "校验位不正确" in response.json()["credit_code"][0]
    assert not PropertyCompany.objects.exists()
