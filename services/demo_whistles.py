"""吹哨报到's part of the demo city (seed 001): a quarter of whistles blown by each filled street
about its communities and buildings, two departments a whistle on average, of the district's
departments — which differ clearly: 城管执法 answers on time and well, 市场监管 late and poorly,
the others in between. Whistles whose deadline has passed are mostly verified and scored (a few
left overdue, escalated); recent ones wait at every step. Deterministic; written with bulk_create."""

import datetime
import random

import pghistory
from django.db import transaction
from django.utils import timezone

from orgs.choices import AreaLevel, Role
from orgs.models import Area, Department, DepartmentKind, RoleAssignment

from .models_whistles import ResponseStatus, Whistle, WhistleResponse, WhistleType, ensure_seeded_types, score_of

SEED = 1919
WHISTLES_PER_STREET = 24  # a quarter's: about two a week
# kind → (on-time share, mean quality and satisfaction): one good, one bad, the rest between.
PROFILES = {"城管执法": (0.95, 4.6), "住建": (0.8, 3.9), "生态环境": (0.75, 3.6), "市场监管": (0.4, 2.2)}
PROBLEMS = {
    "综合执法": ("沿街商户占道经营", "违规搭建彩钢房", "夜间施工噪声扰民"),
    "安全隐患": ("楼道堆放杂物堵塞消防通道", "电动车飞线充电", "燃气管道老化"),
    "环境整治": ("背街小巷垃圾积存", "雨水井堵塞返水", "裸土未覆盖扬尘"),
    "物业纠纷": ("物业撤场后无人管理", "电梯停运无人维修", "公共收益去向不明"),
}


def departments_of(district):
    found = []
    for index, name in enumerate(PROFILES):
        kind, _created = DepartmentKind.objects.get_or_create(name=name, defaults={"order": 50 + index})
        department = Department.objects.filter(area=district, kind=kind).first()
        if department is None:
            label = "住房和城乡建设局" if name == "住建" else f"{name}局"
            department = Department.objects.create(area=district, kind=kind, name=f"{district.name}{label}")
        found.append(department)
    return found


def fill_demo_whistles(size):
    """seed_demo's filler (core.registry). Returns the line the command prints."""
    rng = random.Random(SEED)
    now = timezone.now()
    today = timezone.localdate()
    streets = list(
        Area.objects.filter(level=AreaLevel.STREET, children__children__level=AreaLevel.GRID)
        .distinct()
        .order_by("code")
    )
    if not streets:
        return "演示区划中没有街道，未建立吹哨。"
    kinds = {**ensure_seeded_types(), **{kind.name: kind for kind in WhistleType.objects.all()}}
    whistles, responses = [], []
    with pghistory.context(source="seed_demo"), transaction.atomic():
        for street in streets:
            departments = departments_of(street.parent)
            places = list(
                Area.objects.filter(code__startswith=street.code, level__in=(AreaLevel.COMMUNITY, AreaLevel.BUILDING))
                .order_by("code")
                .values_list("pk", flat=True)[:400]
            )
            cadre = RoleAssignment.objects.filter(area=street, role=Role.STREET_CADRE).values_list("user", flat=True)
            blower = cadre.first()
            for _n in range(WHISTLES_PER_STREET):
                kind_name = rng.choice([k for k in PROBLEMS if k != "物业纠纷"] * 3 + ["物业纠纷"])
                blown = now - datetime.timedelta(days=rng.randint(0, 88), hours=rng.randint(0, 8))
                deadline = timezone.localdate(blown) + datetime.timedelta(days=rng.choice((5, 7, 10, 15)))
                whistle = Whistle(
                    area_id=rng.choice(places) if places else street.pk,
                    kind=kinds[kind_name],
                    title=rng.choice(PROBLEMS[kind_name]),
                    description="街道网格巡查发现，需相关部门联合处置。",
                    deadline=deadline,
                    blown_by_id=blower,
                    blown_at=blown,
                )
                whistles.append(whistle)
                called = rng.sample(departments, rng.choice((1, 2, 2, 3)))
                for department in called:
                    responses.append((whistle, department, blown))
        Whistle.objects.bulk_create(whistles)
        rows = []
        for whistle, department, blown in responses:
            on_time_share, mean = PROFILES[department.kind.name]
            row = WhistleResponse(whistle=whistle, department=department)
            past = whistle.deadline < today
            step = rng.random()
            late = past and rng.random() < (1 - on_time_share) * 0.3  # a slow department signs after the deadline
            if past or step < 0.35:
                row.signed_at = blown + datetime.timedelta(hours=rng.randint(1, 30))
                if late:
                    signed = whistle.deadline + datetime.timedelta(days=rng.randint(1, 3))
                    row.signed_at = min(now, datetime.datetime.combine(signed, datetime.time(10), now.tzinfo))
                row.status = ResponseStatus.SIGNED
            if (past and step < 0.92) or (not past and 0.15 < step < 0.35):
                on_time = not late and rng.random() < on_time_share
                days = rng.randint(1, 4) if on_time else rng.randint(2, 10)
                closing = whistle.deadline + datetime.timedelta(days=-days if on_time else days)
                row.closed_at = max(datetime.datetime.combine(closing, datetime.time(16), now.tzinfo), row.signed_at)
                row.on_time, row.status = on_time, ResponseStatus.CLOSED
                row.report, row.evidence_name = "已现场处置完毕，附处置前后照片。", "处置照片.jpg"
                if past and timezone.localdate(row.closed_at) < today:
                    row.quality = max(1, min(5, round(rng.gauss(mean, 0.6))))
                    row.satisfaction = max(1, min(5, round(rng.gauss(mean, 0.7))))
                    row.score = score_of(row.on_time, row.quality, row.satisfaction)
                    row.status = ResponseStatus.VERIFIED
            if row.signed_at is not None:
                row.signed_late = timezone.localdate(row.signed_at) > whistle.deadline
            if row.status in (ResponseStatus.ADDRESSED, ResponseStatus.SIGNED) and past:
                row.escalated_on = today
            rows.append(row)
        WhistleResponse.objects.bulk_create(rows)
    overdue = sum(1 for r in rows if r.escalated_on)
    return f"已建立吹哨：{len(whistles)} 次吹哨、{len(rows)} 条部门报到（逾期 {overdue} 条）。"
