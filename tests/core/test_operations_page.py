"""The operator's page (运行状态): for superusers only — anonymous visitors are sent to log in, any
other user gets the 404 of a page not theirs — with the readiness checks, the queues, the last
rollup, the stale coverage and the disk the uploaded files take; its menu entry is theirs alone."""

import pytest
from django.urls import reverse

from core.choices import JobStatus
from core.models import ImportJob
from core.testing import Page, PermissionMatrix
from orgs.models import User

URL = "/operations/"


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("operator", password="correct-horse-battery")


class TestOperationsPageMatrix(PermissionMatrix):
    pages = [Page("core:operations", lambda o: reverse("core:operations"), insider="superuser", outsider="city_org")]

    @pytest.fixture
    def objects(self, city_org, superuser):
        return {}


def test_the_page_shows_the_checks_the_queues_the_apps_figures_and_the_disk(superuser, client_for, settings):
    ImportJob.objects.create(user=superuser, kind="areas", filename="a.csv", content=b"", status=JobStatus.QUEUED)
    (settings.MEDIA_ROOT / "evidence").mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "evidence" / "photo.jpg").write_bytes(b"x" * 2048)

    page = client_for(superuser).get(URL).content.decode()

    for label in (
        "数据库",
        "数据库迁移",
        "Redis（任务队列）",
        "后台任务进程（worker）",
        "定时任务（beat）",
        "媒体文件目录",
    ):
        assert label in page, label
    assert "全部正常" in page and "进程内执行" in page
    row = page[page.index("<td>导入任务</td>") :]
    assert row.startswith('<td>导入任务</td><td class="text-end">1</td>')
    assert "未配置 Redis" in page
    assert "最近一次汇总计算" in page and "尚未运行过" in page
    assert "三长覆盖统计" in page and "尚未计算" in page
    assert "各项统计" in page and "无待重算" in page
    assert "已占用" in page and "所在磁盘剩余" in page and "个文件" in page


def test_a_failing_check_is_counted_and_explained(superuser, client_for, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.MEDIA_ROOT = blocker / "media"

    page = client_for(superuser).get(URL).content.decode()

    assert "1 项异常" in page and "媒体文件目录不可写" in page


def account_menu(client):
    html = client.get("/").content.decode()
    return html[html.index("dropdown-menu-end") : html.index("</nav>")], html[: html.index("dropdown-menu-end")]


def test_the_menu_entry_is_for_superusers_alone_under_their_name(superuser, city_org, client_for):
    account, bar = account_menu(client_for(superuser))

    assert 'href="/operations/"' in account and "运行状态" in account
    assert 'href="/operations/"' not in bar  # the superuser's menu bar is full already
    assert 'href="/operations/"' not in client_for(city_org).get("/").content.decode()


def test_tallies_waiting_for_a_recount_are_counted_by_key(superuser, client_for):
    from core.models import StaleTally

    StaleTally.objects.create(key="party.figures", code="220104")
    StaleTally.objects.create(key="party.figures", code="220104001")

    page = client_for(superuser).get(URL).content.decode()

    assert "party.figures 2 个待重算" in page


def test_the_oldest_stale_coverage_bucket_is_named_by_its_day(superuser, client_for):
    import datetime

    from grids.models import CoverageTally, StaleCoverageTally

    CoverageTally.objects.create(prefix="220104001", computed_on=datetime.date(2026, 12, 1))
    CoverageTally.objects.create(prefix="220104002", computed_on=datetime.date(2026, 12, 6))
    StaleCoverageTally.objects.create(prefix="220104001")

    page = client_for(superuser).get(URL).content.decode()

    assert "1 个待重算，其中最早的计算于 2026-12-01" in page


def test_the_last_rollup_is_the_newest_period_written_and_a_later_failure_is_told(superuser, client_for):
    import datetime

    from django.utils import timezone

    from assessment.models import IndicatorSet, Period, RollupJob

    indicator_set = IndicatorSet.objects.create(name="运行状态测试指标")
    period = Period.objects.create(
        kind="quarter", start=datetime.date(2026, 10, 1), end=datetime.date(2026, 12, 31), indicator_set=indicator_set
    )
    written = timezone.make_aware(datetime.datetime(2026, 12, 1, 1, 30))
    Period.objects.filter(pk=period.pk).update(rolled_up_at=written)
    page = client_for(superuser).get(URL).content.decode()
    assert f"2026-12-01 01:30 · {period}" in page  # written by the seeding or the button, not only a job

    RollupJob.objects.create(
        period=period, status=JobStatus.FAILED, finished_at=written + datetime.timedelta(days=1)
    )
    page = client_for(superuser).get(URL).content.decode()
    assert f"2026-12-02 01:30 · {period} · 失败" in page
