"""Logging in: a Chinese page, throttled after repeated failures (django-axes), and an English
interface for whoever asks for it."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ..conftest import PASSWORD

LOCKED_OUT = "登录失败次数过多"


@pytest.fixture
def client():
    return Client(REMOTE_ADDR="10.0.0.7")


def log_in(client, username, password, **extra):
    return client.post(reverse("login"), {"username": username, "password": password, **extra})


def test_the_login_page_is_chinese(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html
    assert "登录" in html
    assert "用户名" in html and "密码" in html


def test_the_right_password_logs_in_and_goes_home(client, street_a):
    response = log_in(client, "street_a", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert home.wsgi_request.user == street_a


def test_it_returns_to_the_page_asked_for(client, street_a):
    wanted = reverse("orgs:area_detail", args=["220104001"])

    response = log_in(client, "street_a", PASSWORD, next=wanted)

    assert response["Location"] == wanted


def test_a_wrong_password_is_refused_in_chinese(client, street_a):
    response = log_in(client, "street_a", "wrong-password")

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "用户名或密码不正确" in response.content.decode()  # the portal's words (issue #15, 24)


def test_it_locks_the_account_out_after_repeated_failures_even_with_the_right_password(client, street_a):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "street_a", "wrong-password")

    response = log_in(client, "street_a", PASSWORD)

    assert response.status_code == 429
    assert LOCKED_OUT in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302  # still anonymous


def test_a_failure_below_the_limit_does_not_lock_out(client, street_a):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, "street_a", "wrong-password")

    response = log_in(client, "street_a", PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_the_lockout_of_one_user_does_not_lock_out_another(client, street_a, street_b):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "street_a", "wrong-password")

    response = log_in(client, "street_b", PASSWORD)

    assert response.status_code == 302


def test_an_english_browser_still_gets_the_chinese_portal(db):
    response = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 200
    assert "登录" in response.content.decode()
    assert 'lang="zh-hans"' in response.content.decode()
