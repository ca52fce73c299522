"""Issue #15, defect 9: 停用 keeps the user in user management. The page after deactivation is the
user's own (not 页面不存在), the list filters 在用/已停用/全部, 恢复 asks first and restores, and the
login page tells a deactivated user so in plain Chinese — only after the right password, so that it
never tells which usernames exist."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

DEACTIVATED = "账号已停用"


def deactivate(client, user):
    return client.post(reverse("orgs:user_active", args=[user.pk]), {"active": "0"}, follow=True)


def test_deactivating_lands_on_the_users_page_with_a_restore_button(areas, city_org, grid_a1, client_for):
    response = deactivate(client_for(city_org), grid_a1)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("orgs:user_detail", args=[grid_a1.pk])
    assert "已停用" in html and ">恢复</a>" in html


def test_the_list_filters_users_in_use_deactivated_or_all(areas, city_org, grid_a1, street_a, client_for):
    client = client_for(city_org)
    deactivate(client, grid_a1)

    in_use = client.get(reverse("orgs:user_list")).content.decode()
    deactivated = client.get(reverse("orgs:user_list"), {"status": "inactive"}).content.decode()
    everyone = client.get(reverse("orgs:user_list"), {"status": "all"}).content.decode()

    assert "street_a" in in_use and "grid_a1" not in in_use
    assert "grid_a1" in deactivated and "street_a" not in deactivated
    assert "grid_a1" in everyone and "street_a" in everyone
    assert reverse("orgs:user_active", args=[grid_a1.pk]) in deactivated  # 恢复, from the list


def test_restoring_asks_first_then_restores(areas, city_org, grid_a1, client_for):
    client = client_for(city_org)
    deactivate(client, grid_a1)

    asked = client.get(reverse("orgs:user_active", args=[grid_a1.pk]))
    grid_a1.refresh_from_db()
    assert "确定恢复吗" in asked.content.decode() and not grid_a1.is_active

    client.post(reverse("orgs:user_active", args=[grid_a1.pk]), {"active": "1"})

    grid_a1.refresh_from_db()
    assert grid_a1.is_active


def test_sending_the_deactivation_twice_does_not_restore(areas, city_org, grid_a1, client_for):
    client = client_for(city_org)

    deactivate(client, grid_a1)
    deactivate(client, grid_a1)

    grid_a1.refresh_from_db()
    assert not grid_a1.is_active


def test_a_restored_user_logs_in_again(areas, city_org, grid_a1, client_for):
    client = client_for(city_org)
    deactivate(client, grid_a1)
    client.post(reverse("orgs:user_active", args=[grid_a1.pk]), {"active": "1"})

    response = Client().post(reverse("login"), {"username": "grid_a1", "password": PASSWORD})

    assert response.status_code == 302


@pytest.fixture
def deactivated(grid_a1):
    grid_a1.is_active = False
    grid_a1.save()
    return grid_a1


def test_the_login_page_tells_a_deactivated_user_with_the_right_password(areas, deactivated):
    response = Client().post(reverse("login"), {"username": "grid_a1", "password": PASSWORD})

    html = response.content.decode()
    assert response.status_code == 200
    assert DEACTIVATED in html and "组织部" in html
    assert "_auth_user_id" not in Client().session


def test_a_wrong_password_does_not_tell_that_the_account_exists(areas, deactivated):
    wrong = Client().post(reverse("login"), {"username": "grid_a1", "password": "not-the-password"})
    nobody = Client().post(reverse("login"), {"username": "nobody_here", "password": "not-the-password"})

    assert DEACTIVATED not in wrong.content.decode()
    assert wrong.content.decode().count("用户名或密码不正确") == 1
    assert nobody.content.decode().count("用户名或密码不正确") == 1
