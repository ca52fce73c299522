"""The 12345 hotline's export imported as residents' requests (issue 19, "Bulk import of hotline
requests"), on the kit's import flow (core.importing): the sheet a hotline platform hands a district
— 工单编号, 受理时间, 诉求类型, 诉求内容, 事发地址, 所属区县, 所属街道, 所属社区, 联系人, 联系电话, 承办单位,
办理状态, 办结时间, 回访满意度 — as xlsx (a title row above the header, merged cells) or CSV (GBK or
UTF-8), times as Excel serials or text, phones stored as numbers (core.spreadsheets reads them).

Set-based: the tree's districts, streets and communities, the categories, the routing table, the
departments and the case numbers already stored are each read once (five queries whatever the
sheet's size); every row is then placed, categorised and routed in memory, and the new requests are
written with one `INSERT … SELECT FROM unnest(…)` per chunk, the changed ones with one
`UPDATE … FROM unnest(…)` per chunk (the statement-level history triggers fire once each). Each
imported state is kept as a step (core.models.StateChange, "12345热线导入"/"12345热线同步"). Who
must act on the requests that now wait — the bodies they were routed to, the verifiers, the
visitors — is told once each, with how many wait and how many are overdue
(services.requests_flow.tell_in_bulk), not once a request.

Idempotent on 工单编号: a re-import updates the state, the close, the satisfaction and the hotline's
承办单位 of a request already stored, never its place or category (which the street may have
transferred since), and never duplicates; a case number twice in one file rejects the second row.
Rejections are grouped by reason in the preview (each reason one sentence per kind of mistake)."""

import datetime
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import identity
from core.importing import Importer, analyze_if_bulk, register
from core.models import StateChange
from core.spreadsheets import Column, fill_down, number_text, parse_moment
from orgs.choices import AreaLevel
from orgs.models import Area, Department
from orgs.scoping import user_scopes
from orgs.tree import immediate_constraints

from .models_requests import Channel, RequestCategory, RequestStatus, ResidentRequest, RoutingRule, Satisfaction
from .permissions import IMPORT_HOTLINE
from .requests_flow import NEXT, tell_in_bulk

KIND = "hotline_requests"
CHUNK = 10_000  # rows an INSERT or UPDATE statement carries (arrays of this length)

COLUMNS = (
    Column("case_number", "工单编号", ("工单号", "受理编号", "工单编码")),
    Column("received_at", "受理时间", ("来电时间", "登记时间", "受理日期")),
    Column("category", "诉求类型", ("问题类型", "诉求分类", "问题分类")),
    Column("description", "诉求内容", ("问题描述", "来电内容", "诉求描述")),
    Column("address", "事发地址", ("地址", "发生地址", "事发地点"), required=False),
    Column("district", "所属区县", ("区县", "所属区", "区"), required=False),
    Column("street", "所属街道", ("街道", "街镇", "所属街镇")),
    Column("community", "所属社区", ("社区", "所属社区村"), required=False),
    Column("resident_name", "联系人", ("来电人", "诉求人", "来电人姓名"), required=False),
    Column("resident_phone", "联系电话", ("来电号码", "电话", "联系方式"), required=False),
    Column("body", "承办单位", ("责任单位", "办理单位"), required=False),
    Column("status", "办理状态", ("工单状态", "状态"), required=False),
    Column("closed_at", "办结时间", ("办结日期", "完成时间"), required=False),
    Column("satisfaction", "回访满意度", ("满意度", "回访结果", "评价"), required=False),
)
HEADERS = {column.key: column.header for column in COLUMNS}
MERGED = ("district", "street")  # merged down over the rows of one district or street in hand-made sheets

S = RequestStatus
STATUSES = {
    **{word: S.RECEIVED for word in ("待受理", "未受理", "已派单", "待签收", "待派单", "已转派", "新建")},
    **{word: S.HANDLING for word in ("办理中", "处理中", "已签收", "已受理", "正在办理", "待办结", "延期办理")},
    **{word: S.VERIFYING for word in ("待核验", "待审核", "已办理", "已反馈", "待确认", "待审核办结")},
    **{word: S.VISITING for word in ("待回访", "已办结待回访", "回访中")},
    **{word: S.CLOSED for word in ("已办结", "办结", "已完成", "已归档", "已回访", "已关闭", "结案", "已结案")},
    **{str(label): value for value, label in S.choices},
}
SATISFACTIONS = {
    **{word: Satisfaction.SATISFIED for word in ("满意", "非常满意", "很满意", "比较满意")},
    **{word: Satisfaction.BASIC for word in ("基本满意", "一般")},
    **{word: Satisfaction.UNSATISFIED for word in ("不满意", "非常不满意", "很不满意")},
    **{word: "" for word in ("", "未回访", "无", "未评价", "-", "—", "/")},
}
SUFFIXES = ("街道办事处", "社区居民委员会", "社区居委会", "居民委员会", "居委会", "街道", "社区")


def keys(name):
    """The names a place is looked up by: as written, and without its kind (前进街道 → 前进)."""
    name = name.replace(" ", "")
    found = [name]
    for suffix in SUFFIXES:
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            found.append(name[: -len(suffix)])
            break
    return found


@dataclass(frozen=True)
class Node:
    pk: int
    code: str
    name: str
    level: str
    parent: int | None


class Tree:
    """The districts, streets and communities (and the city above them), in one query."""

    LEVELS = (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY)

    def __init__(self):
        self.nodes = {
            pk: Node(pk, code, name, level, parent)
            for pk, code, name, level, parent in Area.objects.filter(level__in=self.LEVELS).values_list(
                "pk", "code", "name", "level", "parent_id"
            )
        }
        self.streets = {}  # name key → [street]
        self.districts = {}
        self.children = {}  # (parent pk, name key) → community
        for node in self.nodes.values():
            for key in keys(node.name):
                if node.level == AreaLevel.STREET:
                    self.streets.setdefault(key, []).append(node)
                elif node.level == AreaLevel.DISTRICT:
                    self.districts.setdefault(key, []).append(node)
                elif node.level == AreaLevel.COMMUNITY and node.parent is not None:
                    self.children.setdefault((node.parent, key), node)

    def lineage(self, node):
        """The node and those above it (within the levels read), deepest first."""
        while node is not None:
            yield node
            node = self.nodes.get(node.parent)

    def community(self, street, name):
        return next((self.children[(street.pk, key)] for key in keys(name) if (street.pk, key) in self.children), None)


class Reject(Exception):
    def __init__(self, column, reason):
        super().__init__(reason)
        self.column, self.reason = column, reason


@register
class HotlineImporter(Importer):
    """12345热线工单: placed, categorised and routed as services/hotline.py says."""

    kind = KIND
    title = gettext_lazy("12345热线诉求")
    columns = COLUMNS
    # A street cadre imports its own street's part of the export, the district's (or city's)
    # organisation department the whole export: the roles with a subtree above a grid that keep the
    # tree's offices. Grid workers and communities receive requests one by one; a functional
    # department handles what is routed to it and owns no place.
    permission_action = IMPORT_HOTLINE

    def read(self, data):
        table = super().read(data)
        fill_down(table.rows, [key for key in MERGED if any(c.key == key for c in table.columns)])
        return table

    # --- planning ---------------------------------------------------------------------------------

    def plan(self, table):
        plan = self.new_plan()
        self.scopes = None if self.user.is_superuser else user_scopes(self.user, IMPORT_HOTLINE)
        self.tree = Tree()
        self.load_categories()
        self.load_rules()
        self.load_departments()
        self.tz = timezone.get_current_timezone()
        self.memos = {}
        rows = list(self.data_rows(table, plan))
        stored = self.stored([number_text(row["case_number"]) for row in rows])
        seen = {}
        plan.new, plan.changed = [], []
        for row in rows:
            try:
                parsed = self.parse(row)
                first = seen.setdefault(parsed["case_number"], row.number)
                if first != row.number:
                    reason = _("工单编号在本文件中重复（与第 {row} 行相同）").format(row=first)
                    raise Reject(HEADERS["case_number"], reason)
            except Reject as rejected:
                plan.reject(row, rejected.column, rejected.reason)
                continue
            existing = stored.get(parsed["case_number"])
            if existing is None:
                plan.new.append(parsed)
                if plan.wants_detail("new"):
                    plan.detail("new", row, parsed["case_number"], what=self.what(parsed))
            else:
                self.compare(plan, row, parsed, existing)
        return plan

    def in_scope(self, code):
        return self.scopes is None or any(
            code.startswith(scope.code) and not (scope.strict and code == scope.code) for scope in self.scopes
        )

    def load_categories(self):
        self.categories = {}
        for pk, area, name, limit in RequestCategory.objects.values_list("pk", "area_id", "name", "time_limit"):
            self.categories[(area, name.replace(" ", ""))] = (pk, limit, name)

    def load_rules(self):
        self.rules = {}
        rules = RoutingRule.objects.values_list(
            "category_id", "area__code", "responsible_area_id", "responsible_department_id"
        )
        for category, code, area, department in rules:
            self.rules.setdefault(category, []).append((code, area, department))
        for found in self.rules.values():
            found.sort(key=lambda rule: len(rule[0]), reverse=True)  # the deepest first

    def load_departments(self):
        self.departments = {}
        for pk, name, short_name, area in Department.objects.values_list("pk", "name", "short_name", "area_id"):
            for key in {name.replace(" ", ""), short_name.replace(" ", "")} - {""}:
                self.departments.setdefault(key, []).append((pk, area))

    def stored(self, numbers):
        """The requests already stored under the sheet's case numbers: one query."""
        numbers = sorted({n for n in numbers if n})
        if not numbers:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                f"""SELECT q.case_number, q.id, a.code, q.status, q.closed_at, q.satisfaction, q.hotline_body
                      FROM {ResidentRequest._meta.db_table} q JOIN {Area._meta.db_table} a ON a.id = q.area_id
                     WHERE q.case_number = ANY(%s)""",
                [numbers],
            )
            return {row[0]: row[1:] for row in cursor.fetchall()}

    def parse(self, row):
        case_number = number_text(row["case_number"])
        if not case_number:
            raise Reject(HEADERS["case_number"], _("工单编号不能为空"))
        if len(case_number) > 40:
            raise Reject(HEADERS["case_number"], _("工单编号过长（最多 40 个字符）"))
        received_at = self.moment(row, "received_at")
        if received_at is None:
            raise Reject(HEADERS["received_at"], _("受理时间不能为空"))
        closed_at = self.moment(row, "closed_at")
        place, street = self.memo(self.place, (row["district"], row["street"], row["community"]))
        category = self.memo(self.category, (row["category"], place))
        description = row["description"]
        if not description:
            raise Reject(HEADERS["description"], _("诉求内容不能为空"))
        try:
            phone = identity.phone(number_text(row["resident_phone"]))
        except ValueError:
            raise Reject(HEADERS["resident_phone"], _("联系电话应为11位手机号或带区号的固定电话")) from None
        status = STATUSES.get(row["status"].replace(" ", "")) if row["status"] else S.RECEIVED
        if status is None:
            raise Reject(
                HEADERS["status"], _("办理状态无法识别：可填待受理、办理中、待核验、待回访、已办结或热线平台的同义写法")
            )
        satisfaction = SATISFACTIONS.get(row["satisfaction"].replace(" ", ""))
        if satisfaction is None:
            raise Reject(HEADERS["satisfaction"], _("回访满意度无法识别：可填满意、基本满意、不满意"))
        if closed_at is not None and closed_at < received_at:
            raise Reject(HEADERS["closed_at"], _("办结时间早于受理时间"))
        body = row["body"][:100]
        area, department = self.memo(self.route, (category[0], place, street, body))
        return {
            "case_number": case_number,
            "received_at": received_at,
            "closed_at": closed_at,
            "place": place,
            "category": category,
            "description": description,
            "address": row["address"][:200],
            "resident_name": row["resident_name"][:50],
            "resident_phone": phone,
            "body": body,
            "area": area,
            "department": department,
            "status": status.value if hasattr(status, "value") else status,
            "satisfaction": satisfaction.value if hasattr(satisfaction, "value") else satisfaction,
            "due_on": timezone.localtime(received_at, self.tz).date() + datetime.timedelta(days=category[1]),
        }

    def memo(self, method, args):
        """`method(*args)`, or its Reject, remembered: a sheet repeats its places, categories and
        bodies endlessly (a city's month: some thousand places for 100,000 rows)."""
        key = (method.__name__, *args)
        found = self.memos.get(key)
        if found is None:
            try:
                found = self.memos[key] = method(*args)
            except Reject as rejected:
                found = self.memos[key] = rejected
        if isinstance(found, Reject):
            raise found
        return found

    def moment(self, row, key):
        try:
            moment = parse_moment(row[key])
        except ValueError:
            reason = _("时间无法识别，请写成 2026-11-03 14:05、2026年11月3日 14:05 或 Excel 日期")
            raise Reject(HEADERS[key], reason) from None
        return timezone.make_aware(moment, self.tz) if moment is not None else None

    def place(self, district_name, street_name, community_name):
        """The row's community (else its street) among the tree's areas, in the user's scope."""
        tree = self.tree
        if not street_name:
            raise Reject(HEADERS["street"], _("所属街道不能为空"))
        streets = [s for key in keys(street_name) for s in tree.streets.get(key, ())]
        if not streets:
            raise Reject(HEADERS["street"], _("找不到该街道：所属街道须与区划中的名称一致"))
        if district_name:
            district_keys = set(keys(district_name))
            streets = [
                s
                for s in streets
                if any(set(keys(n.name)) & district_keys for n in tree.lineage(s) if n.level == AreaLevel.DISTRICT)
            ]
            if not streets:
                raise Reject(HEADERS["district"], _("所属区县下找不到该街道：请核对区县和街道的名称"))
        streets = list({s.pk: s for s in streets}.values())
        if len(streets) > 1:
            streets = [s for s in streets if self.in_scope(s.code)] or streets
            if len(streets) > 1:
                raise Reject(HEADERS["district"], _("有多个同名街道：请填写所属区县"))
        street = streets[0]
        place = street
        if community_name:
            place = tree.community(street, community_name)
            if place is None:
                raise Reject(HEADERS["community"], _("所属街道下找不到该社区：所属社区须与区划中的名称一致"))
        if not self.in_scope(place.code):
            raise Reject(HEADERS["street"], _("该地点不在您的管辖范围内"))
        return place, street

    def category(self, written, place):
        name = written.replace(" ", "")
        if not name:
            raise Reject(HEADERS["category"], _("诉求类型不能为空"))
        for node in self.tree.lineage(place):
            found = self.categories.get((node.pk, name))
            if found is not None:
                return found
        raise Reject(HEADERS["category"], _("所在街道（区）没有这个诉求类型：请先在诉求类型中添加，或改用已有的类型"))

    def route(self, category, place, street, body):
        """The responsible body: the hotline's 承办单位 when it names a department above the place
        or an area of the place's street, else the routing table (the deepest rule containing the
        place), else the place's community or street — as models_requests.route does it."""
        if body:
            key = body.replace(" ", "")
            for department, area in self.departments.get(key, ()):
                if any(node.pk == area for node in self.tree.lineage(place)):
                    return None, department
            for node in self.tree.lineage(place):
                if node.level in (AreaLevel.STREET, AreaLevel.COMMUNITY) and key in keys(node.name):
                    return node.pk, None
            community = self.tree.community(street, key)
            if community is not None:
                return community.pk, None
        for code, area, department in self.rules.get(category, ()):
            if place.code.startswith(code):
                return area, department
        return place.pk, None

    @staticmethod
    def what(parsed):
        return [
            (_("诉求类型"), parsed["category"][2]),
            (_("地点"), parsed["place"].name),
            (_("状态"), S(parsed["status"]).label),
        ]

    def compare(self, plan, row, parsed, existing):
        pk, code, status, closed_at, satisfaction, body = existing
        if not self.in_scope(code):
            plan.reject(row, HEADERS["case_number"], _("该工单已登记在您管辖范围以外的地点"))
            return
        new = (parsed["status"], parsed["closed_at"], parsed["satisfaction"], parsed["body"])
        if new == (status, closed_at, satisfaction, body):
            plan.unchanged += 1
            return
        plan.changed.append((pk, status, *new))
        if plan.wants_detail("changed"):
            labels = {value: str(label) for value, label in [*S.choices, *Satisfaction.choices]}
            plan.detail(
                "changed",
                row,
                parsed["case_number"],
                what=self.what(parsed),
                changes=[
                    (_("状态"), labels.get(status, status), labels.get(new[0], new[0])) if status != new[0] else None,
                    (_("办结时间"), moment_text(closed_at), moment_text(new[1])) if closed_at != new[1] else None,
                    (_("回访满意度"), labels.get(satisfaction, ""), labels.get(new[2], ""))
                    if satisfaction != new[2]
                    else None,
                    (_("热线承办单位"), body, new[3]) if body != new[3] else None,
                ],
            )

    # --- writing ----------------------------------------------------------------------------------

    def apply(self, plan, progress=None):
        with immediate_constraints():  # no quadratic queue of deferred checks (see there)
            self.write(plan, progress)

    def write(self, plan, progress):
        now = timezone.now()
        by = getattr(self.user, "pk", None)
        done = 0
        steps = []  # (request pk, from, to, transition, label)
        table = ResidentRequest._meta.db_table
        for start in range(0, len(plan.new), CHUNK):
            chunk = plan.new[start : start + CHUNK]
            columns = list(zip(*(record(parsed) for parsed in chunk), strict=True))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""INSERT INTO {table} (case_number, area_id, category_id, description, address,
                               resident_name, resident_phone, received_at, due_on, responsible_area_id,
                               responsible_department_id, hotline_body, status, satisfaction, closed_at,
                               channel, photo, reopened, reason, by_id, at)
                        SELECT v.*, %s, '', 0, '', %s, %s
                          FROM unnest(%s::text[], %s::bigint[], %s::bigint[], %s::text[], %s::text[], %s::text[],
                                      %s::text[], %s::timestamptz[], %s::date[], %s::bigint[], %s::bigint[],
                                      %s::text[], %s::text[], %s::text[], %s::timestamptz[]) AS v
                        RETURNING id, status""",
                    [Channel.HOTLINE.value, by, now, *map(list, columns)],
                )
                steps += [(pk, "", state, "hotline_import", _("12345热线导入")) for pk, state in cursor.fetchall()]
            done += len(chunk)
            if progress:
                progress(done)
        for start in range(0, len(plan.changed), CHUNK):
            chunk = plan.changed[start : start + CHUNK]
            pks, before, status, closed_at, satisfaction, body = map(list, zip(*chunk, strict=True))
            with connection.cursor() as cursor:
                cursor.execute(
                    f"""UPDATE {table} q
                           SET status = v.status, closed_at = v.closed_at, satisfaction = v.satisfaction,
                               hotline_body = v.body, at = %s, by_id = %s
                          FROM unnest(%s::bigint[], %s::text[], %s::timestamptz[], %s::text[], %s::text[])
                               AS v(id, status, closed_at, satisfaction, body)
                         WHERE q.id = v.id""",
                    [now, by, pks, status, closed_at, satisfaction, body],
                )
            steps += [
                (pk, old, new, "hotline_sync", _("12345热线同步"))
                for pk, old, new in zip(pks, before, status, strict=True)
                if old != new
            ]
            done += len(chunk)
            if progress:
                progress(done)
        write_steps(steps, by, now)
        analyze_if_bulk(len(plan.new), table)
        waiting = [pk for pk, old, new, _name, _label in steps if new in NEXT]
        tell_in_bulk(waiting, self.user, source=f"services.hotline:{now.isoformat()}", step=_("12345热线导入"))


def record(parsed):
    """A new request's values, in the INSERT's order."""
    return (
        parsed["case_number"],
        parsed["place"].pk,
        parsed["category"][0],
        parsed["description"],
        parsed["address"],
        parsed["resident_name"],
        parsed["resident_phone"],
        parsed["received_at"],
        parsed["due_on"],
        parsed["area"],
        parsed["department"],
        parsed["body"],
        parsed["status"],
        parsed["satisfaction"],
        parsed["closed_at"],
    )


def write_steps(steps, by, now):
    """Each imported or changed state as a step of the request (core.models.StateChange), one
    statement per chunk: the request's page lists it with the steps taken in Jiceng."""
    if not steps:
        return
    content_type = ContentType.objects.get_for_model(ResidentRequest).pk
    for start in range(0, len(steps), CHUNK):
        pks, before, after, names, labels = map(list, zip(*steps[start : start + CHUNK], strict=True))
        with connection.cursor() as cursor:
            cursor.execute(
                f"""INSERT INTO {StateChange._meta.db_table}
                           (content_type_id, object_id, from_state, to_state, transition, label, reason, user_id, at)
                    SELECT %s, v.*, '', %s, %s
                      FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[], %s::text[]) AS v""",
                [content_type, by, now, pks, before, after, names, [str(label) for label in labels]],
            )


def moment_text(value):
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""
