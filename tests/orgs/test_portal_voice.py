"""Issue #15, defect 24: the login and password pages speak as the rest of the portal does (您),
in its own words — not Django's "请输入一个正确的用户名和密码。注意，两者都区分大小写。" or "你的密码"."""

from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

DJANGO_WORDS = ("你", "请输入一个正确的", "两者都区分大小写")


def without_djangos_words(html):
    return [words for words in DJANGO_WORDS if words in html]


def test_a_wrong_password_is_told_in_the_portals_words(areas, street_a):
    html = Client().post(reverse("login"), {"username": "street_a", "password": "wrong"}).content.decode()

    assert "用户名或密码不正确" in html
    assert without_djangos_words(html) == []


def test_the_password_change_page_says_you_politely(areas, street_a, client_for):
    html = client_for(street_a).get(reverse("password_change")).content.decode()

    assert "密码至少需要" in html or "至少 8 个字符" in html
    assert without_djangos_words(html) == []


def test_a_wrong_old_password_is_told_in_the_portals_words(areas, street_a, client_for):
    response = client_for(street_a).post(
        reverse("password_change"),
        {"old_password": "not-it", "new_password1": "a-new-long-pw-42", "new_password2": "a-new-long-pw-42"},
    )

    html = response.content.decode()
    assert "您输入的原密码不正确" in html
    assert without_djangos_words(html) == []


def test_a_short_or_common_new_password_is_told_in_the_portals_words(areas, street_a, client_for):
    client = client_for(street_a)

    short = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "a1", "new_password2": "a1"}
    ).content.decode()
    common = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "password123", "new_password2": "password123"},
    ).content.decode()
    mismatch = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "a-new-long-pw-42", "new_password2": "a-new-long-pw-43"},
    ).content.decode()

    assert "密码太短" in short and "太常见" in common and "两次输入的新密码不一致" in mismatch
    assert without_djangos_words(short + common + mismatch) == []


def test_the_password_reset_by_the_organisation_department_says_you_politely(areas, city_org, grid_a1, client_for):
    html = client_for(city_org).get(reverse("orgs:user_password", args=[grid_a1.pk])).content.decode()

    assert "新密码" in html
    assert without_djangos_words(html) == []
