"""A post of the three heads fallen vacant is told to who appoints to it (grids/notices.py): a
grid's head to the community, a building's to the grid's worker; overdue after a month; not told
once a successor is appointed."""

import datetime

from core import notices
from core.notices import Notice, NoticeKind
from grids import roster
from grids.choices import Post
from orgs.choices import Role
from tests.conftest import make_user

GRID, BUILDING = "220104001001001", "220104001001001001"
TODAY = datetime.date(2026, 12, 6)


def test_a_vacated_post_is_told_to_the_nearest_who_appoints_and_digested_after_a_month(areas, holder, community_a1):
    worker = make_user("worker", Role.GRID_WORKER, areas[GRID])
    grid_head = holder(GRID, Post.GRID_HEAD, "张网格长")
    building_head = holder(BUILDING, Post.BUILDING_HEAD, "李楼栋长")
    roster.relieve(grid_head, datetime.date(2026, 11, 1))
    roster.relieve(building_head, datetime.date(2026, 12, 1))

    notices.send_due_notices(TODAY)

    to_community = Notice.objects.get(recipient=community_a1, kind=NoticeKind.DUE)
    assert to_community.title == "A1社区第1网格的网格长自 2026-11-01 起空缺"
    assert "张网格长" in to_community.body and to_community.due_on == datetime.date(2026, 12, 1)
    assert to_community.url == f"/grids/{GRID}/roster/"
    to_worker = Notice.objects.get(recipient=worker, kind=NoticeKind.DUE)
    assert "楼栋长自 2026-12-01 起空缺" in to_worker.title
    assert to_worker.url == f"/grids/{GRID}/roster/"
    # Overdue (a month after 1 November): in the community's digest, not yet in the worker's.
    assert Notice.objects.filter(recipient=community_a1, kind=NoticeKind.DIGEST).exists()
    assert not Notice.objects.filter(recipient=worker, kind=NoticeKind.DIGEST).exists()


def test_a_post_filled_again_is_not_told(areas, holder, community_a1):
    grid_head = holder(GRID, Post.GRID_HEAD, "张网格长")
    roster.relieve(grid_head, datetime.date(2026, 11, 1))
    holder(GRID, Post.GRID_HEAD, "王网格长", start_date=datetime.date(2026, 11, 2))

    notices.send_due_notices(TODAY)

    assert not Notice.objects.filter(source__startswith="grids.vacancy").exists()
