"""经费's part of the demo city (seeds 001 and 000): for each filled community, this year's allocations
at the seeds' figures — 社区运转经费 50,000 (district), 服务群众专项经费 100,000 (city), 党建工作经费
20,000 (street) — a few in ten communities short of a minimum; spending through the months passed,
against the community's projects (the projects' demo's, or a few made here where it wrote none), each
with a voucher (one small PDF a community), most approved by the street and the latest waiting; and
the communities' notices: published last quarter by nearly all, this quarter by about two in three.
Deterministic; written with bulk_create."""

import datetime
import random
from decimal import Decimal

import pghistory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.calendar import Quarter
from orgs.choices import AreaLevel, Role
from orgs.models import Area, RoleAssignment

from .funding_flow import changes, snapshot
from .models import Project, ProjectStatus
from .models_funding import (
    Allocation,
    Expenditure,
    ExpenditureStatus,
    FundNotice,
    FundSource,
    FundType,
    NoticeStatus,
)

SEED = 2020
FIGURES = (
    (FundType.OPERATING, FundSource.DISTRICT, Decimal("50000.00")),
    (FundType.SERVICE, FundSource.CITY, Decimal("100000.00")),
    (FundType.PARTY, FundSource.STREET, Decimal("20000.00")),
)
PURPOSES = {
    FundType.OPERATING: ("办公用品采购", "党群服务中心水电费", "办公设备维修", "网格员通讯补贴"),
    FundType.SERVICE: ("老年助餐补贴", "楼道照明改造", "儿童托管服务", "困难群众慰问", "小区环境整治"),
    FundType.PARTY: ("主题党日活动", "党员教育培训资料", "“三会一课”学习材料"),
}
PROJECT_COSTS = ("物资采购", "场地布置", "志愿者餐费与交通补贴", "宣传材料印制", "服务外包费用")
OWN_PROJECTS = ("老旧小区楼道照明改造", "社区老年助餐点", "“四点半课堂”儿童托管")
VOUCHER = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def scored_copy():
    """The copy of the default indicator set with the funds' leaves (funds migration 0004), made
    again when missing — after the services' copy (services/demo_requests.py, an earlier filler) and
    before the assessment's demo, whose running quarter scores with the newest copy. Through the
    migration's own function (apps.get_model): the funds import nothing of the assessment."""
    import importlib

    from django.apps import apps

    importlib.import_module("funds.migrations.0004_default_set_with_funds").forwards(apps, None)


def fill_demo_funding(size):
    """seed_demo's filler (core.registry). Returns the line the command prints."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    year = today.year
    communities = list(
        Area.objects.filter(level=AreaLevel.COMMUNITY, children__level=AreaLevel.GRID).distinct().order_by("code")
    )
    if not communities:
        return "演示区划中没有社区，未建立经费。"
    approvers = dict(
        RoleAssignment.objects.filter(role=Role.STREET_CADRE, area__level=AreaLevel.STREET).values_list(
            "area__code", "user"
        )
    )
    cadres = dict(RoleAssignment.objects.filter(role=Role.COMMUNITY_CADRE).values_list("area__code", "user"))
    months = max(today.month, 1)
    with pghistory.context(source="seed_demo"), transaction.atomic():
        scored_copy()
        projects = {}
        # the projects of each community and of its grids (a claimed demand's place)
        for project in (
            Project.objects.filter(Q(area__in=communities) | Q(area__parent__in=communities))
            .select_related("area")
            .order_by("pk")
        ):
            community_id = project.area_id if project.area.level == AreaLevel.COMMUNITY else project.area.parent_id
            projects.setdefault(community_id, []).append(project)
        own = [
            Project(
                area=community,
                title=title,
                started_on=datetime.date(year, rng.randint(1, months), 1),
                status=ProjectStatus.CLOSED if n == 0 and months > 6 else ProjectStatus.RUNNING,
                closed_on=datetime.date(year, months, 1) if n == 0 and months > 6 else None,
            )
            for community in communities
            if community.pk not in projects
            for n, title in enumerate(rng.sample(OWN_PROJECTS, 2))
        ]
        Project.objects.bulk_create(own)
        for project in own:
            projects.setdefault(project.area_id, []).append(project)

        allocations = []
        for community in communities:
            short = rng.random() < 0.15  # a few communities short of a minimum this year
            for kind, source, amount in FIGURES:
                if short and kind == FundType.SERVICE:
                    amount = Decimal("80000.00")
                allocations.append(
                    Allocation(
                        area=community,
                        year=year,
                        fund_type=kind,
                        source=source,
                        amount=amount,
                        allocated_on=datetime.date(year, 1, 15),
                    )
                )
        Allocation.objects.bulk_create(allocations)

        expenditures = []
        for community in communities:
            name = default_storage.save(f"funds/vouchers/{year}/{community.code}/凭证.pdf", ContentFile(VOUCHER))
            street = community.code[: len(community.code) - 3]
            approver = approvers.get(street)
            for allocation in (a for a in allocations if a.area_id == community.pk):
                share = Decimal(str(rng.uniform(0.35, 0.85)))  # spent of the allocation so far
                budget = (allocation.amount * share * months / 12).quantize(Decimal("0.01"))
                count = rng.randint(2, 5)
                weights = [rng.uniform(0.5, 1.5) for _n in range(count)]  # bills differ, their sum is the budget
                amounts = [(budget * Decimal(str(w / sum(weights)))).quantize(Decimal("0.01")) for w in weights]
                days = []
                for _n in range(count):
                    month = rng.randint(1, months)
                    days.append(datetime.date(year, month, rng.randint(1, today.day if month == today.month else 28)))
                days.sort()  # the bill waiting for approval is the latest one
                for n, spent_on in enumerate(days):
                    latest = n == count - 1 and rng.random() < 0.4
                    # service money goes to a project running that day (begun, not yet closed), if any
                    running = [
                        p
                        for p in projects.get(community.pk, [])
                        if p.status != ProjectStatus.STOPPED
                        and p.started_on <= spent_on
                        and (p.closed_on is None or p.closed_on >= spent_on)
                    ]
                    project = rng.choice(running) if running and allocation.fund_type == FundType.SERVICE else None
                    purpose = rng.choice(PURPOSES[allocation.fund_type])
                    if project is not None:
                        purpose = f"{project.title}：{rng.choice(PROJECT_COSTS)}"
                    expenditures.append(
                        Expenditure(
                            area=community,
                            allocation=allocation,
                            project=project,
                            amount=amounts[n],
                            spent_on=spent_on,
                            purpose=purpose,
                            voucher_number=f"{community.code[-6:]}-{allocation.fund_type[:2].upper()}{n + 1:02d}",
                            voucher=name,
                            voucher_name="凭证.pdf",
                            status=ExpenditureStatus.DRAFT if latest else ExpenditureStatus.APPROVED,
                            by_id=None if latest else approver,
                            at=None if latest else timezone.now(),
                        )
                    )
        Expenditure.objects.bulk_create(expenditures)

        quarter = Quarter.of(today)
        last = quarter.previous()
        notices = 0
        for community in communities:
            previous = None
            for when, share in ((last, 0.95), (quarter, 0.65)):
                if when.year != year or rng.random() >= share:
                    continue
                day = min(when.end, today) if when == quarter else when.end - datetime.timedelta(days=3)
                content = snapshot(community.pk, year, on=day)  # as it stood the day it was published
                published_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 30)))
                previous = FundNotice.objects.create(
                    area=community,
                    year=year,
                    title=f"{community.name}{when.label}经费使用情况公示",
                    status=NoticeStatus.PUBLISHED,
                    snapshot=content,
                    changes=changes(previous.snapshot if previous else None, content),
                    published_at=published_at,
                    by_id=cadres.get(community.code),
                )
                notices += 1
    return (
        f"已建立经费：{len(allocations)} 笔拨付、{len(expenditures)} 笔支出（含凭证）、"
        f"{notices} 期公示，自建项目 {len(own)} 个。"
    )
