"""The requests' part of the demo city (issue 19, seeds 002 and 003): each street's request
categories with their time limits and a few routing rules (a category to a district department, one
to the street), and a quarter of residents' requests in the grids, at plausible proportions — most
closed after a return visit (about 95 % satisfied or basically satisfied, as Wuhan's 12345), some
still open at each light, one overdue in every other grid, a few reopened; routed as route() does — to the
grid where no rule sends the category up — each with its steps' rows on their days.

Deterministic (one seeded RNG, areas in code order) and written with bulk_create."""

import datetime
import random
import time

import pghistory
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from core.models import StateChange
from orgs.choices import AreaLevel
from orgs.models import Area, Department

from .models_requests import Channel, RequestCategory, RequestStatus, ResidentRequest, RoutingRule
from .requests_flow import REQUESTS, VISITS

SEED = 1904
QUARTER_DAYS = 91
PER_GRID = 6  # requests a grid receives in a quarter in the demo (a real grid: dozens)
CATEGORIES = (
    ("环境卫生", 3),
    ("物业管理", 7),
    ("市政设施", 5),
    ("噪音扰民", 3),
    ("占道经营", 3),
    ("邻里纠纷", 5),
    ("社会保障", 10),
    ("违章建筑", 15),
)
TO_DEPARTMENT = {"占道经营": "城管", "违章建筑": "城管"}  # a department of the district (its kind's name)
TO_STREET = ("社会保障",)
TEXTS = {
    "环境卫生": ("楼道堆放杂物无人清理", "垃圾桶满溢未及时清运", "小区绿地有积水和垃圾"),
    "物业管理": ("电梯经常停运", "物业不及时维修漏水", "小区门禁损坏"),
    "市政设施": ("路灯不亮", "井盖松动", "人行道破损"),
    "噪音扰民": ("夜间装修噪音", "广场舞音响过大", "商铺外放音乐"),
    "占道经营": ("早市占用消防通道", "商户在人行道摆摊"),
    "邻里纠纷": ("楼上漏水影响楼下", "楼道私拉电线充电"),
    "社会保障": ("咨询高龄津贴办理", "咨询低保申请"),
    "违章建筑": ("楼顶私搭乱建", "一楼住户违规扩建"),
}
SURNAMES = "王李张刘陈杨赵黄周吴"


def scored_copy():
    """The copy of the default indicator set with the requests' leaves (services migration 0006),
    made again when missing — after red property's copy (property/demo.py, an earlier filler) and
    before the assessment's demo, whose running quarter scores with the newest copy. Through the
    migration's own function (apps.get_model): services imports nothing of the assessment."""
    import importlib

    from django.apps import apps

    importlib.import_module("services.migrations.0006_default_set_with_services").forwards(apps, None)


def fill_demo_requests(size):
    """seed_demo's filler (core.registry). Returns the line the command prints."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    now = timezone.now()
    grids = list(Area.objects.filter(level=AreaLevel.GRID).select_related("parent__parent").order_by("code"))
    if not grids:
        return "演示区划中没有网格，未生成诉求。"
    streets = {grid.parent.parent for grid in grids if grid.parent and grid.parent.parent}
    departments = {}
    for department in Department.objects.select_related("kind", "area"):
        departments.setdefault((department.area_id, department.kind.name if department.kind else ""), department)
    with pghistory.context(source="seed_demo"), transaction.atomic():
        scored_copy()
        categories = RequestCategory.objects.bulk_create(
            RequestCategory(area=street, name=name, time_limit=days)
            for street in sorted(streets, key=lambda a: a.code)
            for name, days in CATEGORIES
        )
        by_street = {}
        for category in categories:
            by_street.setdefault(category.area_id, []).append(category)
        rules = []
        for street in streets:
            for category in by_street[street.pk]:
                kind = TO_DEPARTMENT.get(category.name)
                department = departments.get((street.parent_id, kind)) if kind else None
                if department is not None:
                    rules.append(RoutingRule(area=street, category=category, responsible_department=department))
                elif category.name in TO_STREET:
                    rules.append(RoutingRule(area=street, category=category, responsible_area=street))
        RoutingRule.objects.bulk_create(rules)
        routed = {rule.category_id: rule for rule in rules}
        requests, histories = [], []
        for index, grid in enumerate(grids):
            street = grid.parent.parent
            stuck = 1 if index % 2 == 0 else None  # every other grid has one request overdue
            local = [category for category in by_street[street.pk] if category.pk not in routed]
            for n in range(PER_GRID):
                category = rng.choice(local if n in (0, stuck) else by_street[street.pk])
                # Each grid has work on its worker's phone: one received these last days, and every
                # other grid one stuck at 办理中 past its limit (overdue); the rest over the quarter.
                days = rng.uniform(0, 2) if n == 0 else category.time_limit + rng.uniform(1, 4) if n == stuck else None
                received = now - datetime.timedelta(
                    days=days if days is not None else rng.uniform(0, QUARTER_DAYS), hours=rng.uniform(0, 8)
                )
                rule = routed.get(category.pk)
                record = ResidentRequest(
                    area=grid,
                    channel=rng.choice([Channel.GRID] * 5 + [Channel.COMMUNITY, Channel.STREET, Channel.HOTLINE] * 2),
                    category=category,
                    description=rng.choice(TEXTS[category.name]),
                    resident_name=rng.choice(SURNAMES) + rng.choice(("先生", "女士")),
                    resident_phone=f"139{rng.randrange(10**8):08d}",
                    received_at=received,
                    due_on=timezone.localtime(received).date() + datetime.timedelta(days=category.time_limit),
                    responsible_area=rule.responsible_area if rule else grid,  # 小事不出网格 (route())
                    responsible_department=rule.responsible_department if rule else None,
                )
                steps = story(rng, record, now)[: 1 if n in (0, stuck) else None]
                record.status = steps[-1][1] if steps else RequestStatus.RECEIVED
                if record.status == RequestStatus.CLOSED:
                    record.satisfaction = VISITS[steps[-1][0]]
                    record.closed_at = steps[-1][2]
                record.reopened = sum(1 for name, *_rest in steps if name == "reopen")
                requests.append(record)
                histories.append(steps)
        ResidentRequest.objects.bulk_create(requests, batch_size=2000)
        write_steps(requests, histories)
    seconds = time.perf_counter() - started
    return f"诉求：{len(requests)} 条（{len(categories)} 个类型、{len(rules)} 条分派规则），{seconds:.1f} 秒"


def story(rng, record, now):
    """The steps a request took: [(transition, to_state, at)], on plausible days — most closed
    within the limit, one in ten late, a few reopened; the newest still at some light."""
    limit = record.category.time_limit
    late = rng.random() < 0.1
    span = datetime.timedelta(days=limit * (rng.uniform(1.1, 2.0) if late else rng.uniform(0.2, 0.9)))
    at = record.received_at + datetime.timedelta(hours=rng.uniform(1, 20))
    steps = []
    plan = ["accept", "submit", "verify"]
    roll = rng.random()
    visit = "close_satisfied" if roll < 0.85 else "close_basic" if roll < 0.95 else "close_unsatisfied"
    plan.append(visit)
    if rng.random() < 0.03:
        plan += ["reopen", "submit", "verify", "close_satisfied"]
    gaps = [span * share for share in (0.1, 0.6, 0.2, 0.1)]
    for n, name in enumerate(plan):
        at = at + (gaps[n] if n < len(gaps) else datetime.timedelta(days=rng.uniform(1, 3)))
        if at > now:
            break
        steps.append((name, REQUESTS[name].target, at))
    return steps


def write_steps(requests, histories):
    """Each request's steps as the declared transitions would have written them (StateChange), on
    their days, and each request's `at` its last step's time."""
    content_type = ContentType.objects.get_for_model(ResidentRequest)
    changes, changed_at = [], []
    for record, steps in zip(requests, histories, strict=True):
        state = RequestStatus.RECEIVED.value
        for name, target, at in steps:
            t = REQUESTS[name]
            changes.append(
                StateChange(
                    content_type=content_type,
                    object_id=record.pk,
                    transition=name,
                    label=str(t.label),
                    from_state=state,
                    to_state=target,
                    reason="居民反映问题仍未解决" if name == "reopen" else "",
                )
            )
            changed_at.append(at)
            state = target
    StateChange.objects.bulk_create(changes, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {StateChange._meta.db_table} c SET at = v.at
                  FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, at) WHERE c.id = v.id""",
            [[change.pk for change in changes], changed_at],
        )
