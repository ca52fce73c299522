"""The portal is offered in Chinese only (issue 15): no language switcher, and neither an English
browser nor a language cookie left from when English was offered gets anything but the Chinese
portal. What third-party packages show in English (django-axes in the admin) has Chinese names."""

import re

from django.test import Client
from django.urls import reverse

from orgs.models import User


def test_the_portal_offers_no_language_switcher(street_a, client_for):
    html = client_for(street_a).get(reverse("home")).content.decode()

    assert '<html lang="zh-hans">' in html
    assert 'name="language"' not in html and "界面语言" not in html
    assert Client().post("/i18n/setlang/", {"language": "en", "next": "/"}).status_code == 404


def test_an_english_browser_gets_the_chinese_portal_after_logging_in(street_a, client_for):
    html = client_for(street_a).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()

    assert '<html lang="zh-hans">' in html
    assert ">首页</a>" in html and "Home" not in html


def test_a_language_cookie_for_english_still_gets_the_chinese_portal(street_a, client_for):
    client = client_for(street_a)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("home"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans">' in html and ">首页</a>" in html and ">Home</a>" not in html


def test_the_admin_names_the_login_lock_out_in_chinese(db, client):
    admin = User.objects.create_superuser("root", password="x-very-long-password")
    client.force_login(admin)

    html = client.get("/admin/").content.decode()

    assert "登录保护" in html and "基层治理平台 · 系统管理" in html and "Django" not in html
    assert "登录尝试" in html and "登录失败记录" in html and "登录日志" in html
    assert "Axes" not in html and "Access attempts" not in html and "Access logs" not in html


def test_the_admin_list_of_login_attempts_speaks_chinese(db, client):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(
        username="street_a",
        ip_address="10.0.0.9",
        user_agent="x",
        http_accept="*/*",
        path_info="/login/",
        get_data="",
        post_data="",
        failures_since_start=2,
    )
    admin = User.objects.create_superuser("root", password="x-very-long-password")
    client.force_login(admin)

    html = client.get("/admin/axes/accessattempt/").content.decode()

    assert "尝试时间" in html and "IP 地址" in html
    assert "Attempt Time" not in html and "IP Address" not in html


def test_the_admin_access_log_names_what_was_seen_in_chinese(db, client):
    """The log of unmasked personal data names the kind of record and the field as the pages do
    (报到单位 · 联系电话), not the code's names (orgs.ReportingUnit, contact_phone)."""
    from core.personal_data import log_access
    from party.models import PartyMember, ReportingUnit

    admin = User.objects.create_superuser("root", password="x-very-long-password")
    log_access(admin, ReportingUnit, "export:/party/units/", "contact_phone", row_count=3)
    log_access(admin, PartyMember, "7", "phone,id_number")
    client.force_login(admin)

    html = client.get("/admin/core/personaldataaccess/").content.decode()
    shown = re.sub(r"<[^>]*>", " ", html)  # what the page shows, not its links' addresses

    assert "报到单位" in shown and "党员" in shown and "联系电话、身份证号" in shown
    for raw in ("party.ReportingUnit", "party.PartyMember", "contact_phone", "phone,id_number"):
        assert raw not in shown, raw
