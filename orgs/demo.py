"""The demo city: a Changchun-like area tree and a few demo users (DESIGN §1, §6).

Plain functions, used by `manage.py seed_demo`, the tests and `bench/tree.py`:

- `city_rows(size)` generates the rows of the tree (no database access), deterministically;
- `build_city(size)` writes them with `orgs.tree.bulk_load` (one call, one transaction);
- `create_demo_users()` makes sure the demo logins exist, with their role assignments.

Sizes: "small" is the city, its 15 districts and five of them in full (朝阳区 the largest, with the
demo logins; 南关区, 宽城区, 二道区 and 农安县 smaller, a town with villages among them), built in a
second or two; "city" is DESIGN §6 scale — 15 districts, 73 streets, 440 communities,
4,839 grids, 40,000 buildings and 120,000 units (165,368 areas), spread unevenly.
"""

import random
import time
import unicodedata
from dataclasses import dataclass

from django.db import connection, transaction

from .choices import AreaLevel, Role
from .tree import AreaRow

SIZES = ("small", "city")
SEED = 2201
DEMO_PASSWORD = "jiceng-demo"

CITY = ("2201", "长春市")

# (code, name, [streets: (suffix, name)]). Real 2022 district codes; the four development
# zones are administrative, not statistical, divisions and use the 2201 7x codes.
# Street lists follow the real divisions where known; the town codes follow the national
# rule (街道 0xx, 镇 1xx, 乡 2xx). Only the first `STREET_COUNTS[code]` streets are used.
DISTRICTS = [
    (
        "220102",
        "南关区",
        ["长通街道", "民康街道", "自由大路街道", "南岭街道", "新春街道", "全安街道", "曙光街道", "永吉街道"],
    ),
    (
        "220103",
        "宽城区",
        ["欣园街道", "新发街道", "站前街道", "南广场街道", "东广场街道", "群英街道", "兴业街道", "团山街道"],
    ),
    (
        "220104",
        "朝阳区",
        ["前进街道", "桂林街道", "南湖街道", "永昌街道", "重庆街道", "清和街道", "红旗街道", "湖西街道"],
    ),
    ("220105", "二道区", ["东站街道", "远达街道", "吉林街道", "荣光街道", "东盛街道", "八里堡街道", "长青街道"]),
    ("220106", "绿园区", ["正阳街道", "春城街道", "普阳街道", "铁西街道", "青年街道", "同心街道", "林园街道"]),
    ("220112", "双阳区", ["云山街道", "平湖街道", "奢岭街道", "山河街道", "鹿乡镇", "齐家镇"]),
    ("220113", "九台区", ["九郊街道", "营城街道", "卡伦湖街道", "上河湾镇", "其塔木镇", "胡家回族乡"]),
    ("220122", "农安县", ["宝塔街道", "黄龙街道", "伏龙泉镇", "哈拉海镇", "靠山镇", "前岗乡"]),
    ("220182", "榆树市", ["华昌街道", "正阳街道", "五棵树镇", "弓棚子镇", "闵家镇", "育民乡"]),
    ("220183", "德惠市", ["胜利街道", "建设街道", "大青咀镇", "郭家镇", "同太乡"]),
    ("220184", "公主岭市", ["河南街道", "河北街道", "岭东街道", "范家屯镇", "怀德镇", "桑树台镇"]),
    ("220171", "长春新区", ["北湖街道", "长德街道", "空港街道"]),
    ("220172", "长春经济技术开发区", ["临河街道", "东方广场街道", "兴隆山镇"]),
    ("220173", "长春净月高新技术产业开发区", ["净月街道", "永兴街道", "新湖街道", "玉潭镇"]),
    ("220174", "长春汽车经济技术开发区", ["锦程街道", "东风街道", "富锋街道"]),
]
DISTRICTS.sort(key=lambda d: d[0])

# Streets per district at city size: uneven, 73 in all (seed 000: 73 street secretaries).
STREET_COUNTS = {
    "220102": 7,
    "220103": 7,
    "220104": 8,
    "220105": 6,
    "220106": 6,
    "220112": 4,
    "220113": 5,
    "220122": 5,
    "220182": 5,
    "220183": 4,
    "220184": 5,
    "220171": 3,
    "220172": 2,
    "220173": 3,
    "220174": 3,
}
CITY_COUNTS = {"street": 73, "community": 440, "grid": 4839, "building": 40_000, "unit": 120_000}

SMALL_DISTRICT = "220104"  # 朝阳区: the demo logins' district, the first street, community and grid below
SMALL_SHAPE = {"street": 4, "community": 4, "grid": 4, "building": 5, "unit": 3}  # children per parent
# The districts built in full at size "small", each with its shape: the first `street` streets of
# DISTRICTS, then that many children per parent, level by level. 农安县's third street is a town (镇)
# whose communities are villages (村).
SMALL_DISTRICTS = {
    "220102": {"street": 3, "community": 3, "grid": 3, "building": 4, "unit": 2},  # 南关区
    "220103": {"street": 2, "community": 3, "grid": 3, "building": 4, "unit": 2},  # 宽城区
    SMALL_DISTRICT: SMALL_SHAPE,  # 朝阳区
    "220105": {"street": 3, "community": 3, "grid": 3, "building": 3, "unit": 2},  # 二道区
    "220122": {"street": 3, "community": 3, "grid": 2, "building": 3, "unit": 1},  # 农安县
}

COMMUNITY_NAMES = (
    "明珠 繁荣 东风 安达 西安 湖西 红旗 桂林 鸿城 富民 和平 幸福 新兴 朝阳 光明 长青 振兴 建设 民主 春城 工农 育民 "
    "华侨 永吉 南湖 丰荣 兴华 宽平 东盛 吉顺 和顺 惠民 松苑 桃源 景阳 湖光 同光 青年 铁北 新风 锦绣 盛世 翠湖 阳光 "
    "康平 泰和 双德 金桥 银河 万福 红光 前进 团结 胜利 友谊 文化 安乐 清明 临河 西朝阳 东朝阳 民丰 春光 吉兴 安康 "
    "长山 南岭 永安 绿园 普阳 正阳 东安 西安桥 北安 岭南 新春 全安 曙光 净月 长影 紫阳 宏伟 兴隆 东光 瑞祥 和谐 "
    "开运 国信 锦江 丽景 碧水 亚泰 天安 御景 龙湾 嘉和 福祉 怡众 金泰 宝珠 凯旋 群英 团山 站前 柳影 兰家"
).split()
VILLAGE_NAMES = (
    "王家 李家 张家 刘家 赵家 孙家 周家 吴家 郑家 冯家 陈家 杨家 于家 高家 韩家 曹家 靠山 前进 红光 胜利 三合 太平 "
    "永安 长岭 双榆 新立 东升 五星 联合 民主 向阳 富强 长山 大榆树 柳条 保安 太安 宝山 双山 三家子 四合 五家 六合 "
    "七里 八里 九龙 十里堡 前屯 后屯 腰屯 东岗 西岗 南岗 北岗 大房身 小房身 二道沟 三道沟 榆林 杏山 青山 黄山"
).split()
UNITS_PER_BUILDING = [1, 2, 2, 3, 3, 3, 3, 4, 4, 6]  # weights: how many units a building tends to have


def _is_rural(street_name):
    return street_name.endswith(("镇", "乡"))


def _street_suffixes(names):
    """NBS-style codes: 街道 001…, 镇 101…, 乡 201…."""
    counters = {"street": 0, "town": 100, "township": 200}
    suffixes = []
    for name in names:
        kind = "township" if name.endswith("乡") else "town" if name.endswith("镇") else "street"
        counters[kind] += 1
        suffixes.append(f"{counters[kind]:03d}")
    return suffixes


def _apportion(total, weights, minimum=1, maximum=None):
    """Split `total` into integers proportional to `weights`, each in [minimum, maximum]; exact sum."""
    count = len(weights)
    if total < minimum * count or (maximum is not None and total > maximum * count):
        raise ValueError(f"cannot split {total} into {count} parts within [{minimum}, {maximum}]")
    spare = total - minimum * count
    scale = spare / sum(weights)
    shares = [minimum + int(w * scale) for w in weights]
    remainders = sorted(range(count), key=lambda i: (-(weights[i] * scale % 1), i))
    for i in remainders[: total - sum(shares)]:
        shares[i] += 1
    if maximum is not None:  # move any excess to the parts with room, in order
        excess = sum(max(0, s - maximum) for s in shares)
        shares = [min(s, maximum) for s in shares]
        for i in range(count):
            room = min(excess, maximum - shares[i])
            shares[i] += room
            excess -= room
    return shares


def city_rows(size="small"):
    """The rows of the demo city as `orgs.tree.AreaRow`s, parents before children.

    Deterministic: the same size always gives the same rows. No database access.
    """
    if size not in SIZES:
        raise ValueError(f"unknown size {size!r}: use one of {', '.join(SIZES)}")
    rng = random.Random(SEED)
    city_code, city_name = CITY
    rows = [AreaRow(city_code, city_name, AreaLevel.CITY.value, None)]
    for code, name, _ in DISTRICTS:
        rows.append(AreaRow(code, name, AreaLevel.DISTRICT.value, city_code))

    streets = []  # (street code, street name, rural)
    for code, _name, names in DISTRICTS:
        if size == "small":
            if code not in SMALL_DISTRICTS:
                continue
            names = names[: SMALL_DISTRICTS[code]["street"]]
        else:
            names = names[: STREET_COUNTS[code]]
        for suffix, street_name in zip(_street_suffixes(names), names, strict=True):
            streets.append((code + suffix, street_name, _is_rural(street_name)))
            rows.append(AreaRow(code + suffix, street_name, AreaLevel.STREET.value, code))

    def small(level, parent_codes):  # children per parent at size small: the shape of the parent's district
        return [SMALL_DISTRICTS[code[:6]][level] for code in parent_codes]

    # Children per parent, level by level.
    if size == "small":
        communities = small("community", [code for code, _name, _rural in streets])
    else:
        communities = _apportion(
            CITY_COUNTS["community"], [rng.uniform(0.4, 1.6) for _ in streets], minimum=2, maximum=99
        )

    community_list = []  # (code, rural)
    for (street_code, _street_name, rural), n in zip(streets, communities, strict=True):
        pool = VILLAGE_NAMES if rural else COMMUNITY_NAMES
        names = rng.sample(pool, n)
        first = 201 if rural else 1  # NBS: 村委会 2xx, 居委会 0xx
        for i, base in enumerate(names):
            code = f"{street_code}{first + i:03d}"
            community_list.append((code, rural))
            rows.append(AreaRow(code, base + ("村" if rural else "社区"), AreaLevel.COMMUNITY.value, street_code))

    if size == "small":
        grids = small("grid", [code for code, _rural in community_list])
    else:  # villages have fewer grids than urban communities
        weights = [rng.uniform(0.3, 0.8) if rural else rng.uniform(0.7, 1.6) for _, rural in community_list]
        grids = _apportion(CITY_COUNTS["grid"], weights, minimum=2, maximum=999)

    grid_list = []  # (code, rural)
    for (community_code, rural), n in zip(community_list, grids, strict=True):
        for i in range(1, n + 1):
            code = f"{community_code}{i:03d}"
            grid_list.append((code, rural))
            rows.append(AreaRow(code, f"第{i}网格", AreaLevel.GRID.value, community_code))

    if size == "small":
        buildings = small("building", [code for code, _rural in grid_list])
    else:  # a village grid holds a few buildings (houses grouped by row), an urban one many
        weights = [rng.uniform(0.1, 0.4) if rural else rng.uniform(0.5, 1.8) for _, rural in grid_list]
        buildings = _apportion(CITY_COUNTS["building"], weights, minimum=1, maximum=999)

    building_codes = []
    for (grid_code, _rural), n in zip(grid_list, buildings, strict=True):
        for i in range(1, n + 1):
            code = f"{grid_code}{i:03d}"
            building_codes.append(code)
            rows.append(AreaRow(code, f"{i}栋", AreaLevel.BUILDING.value, grid_code))

    if size == "small":
        units = small("unit", building_codes)
    else:
        weights = [rng.choice(UNITS_PER_BUILDING) for _ in building_codes]
        units = _apportion(CITY_COUNTS["unit"], weights, minimum=1, maximum=99)

    for building_code, n in zip(building_codes, units, strict=True):
        for i in range(1, n + 1):
            rows.append(AreaRow(f"{building_code}{i:02d}", f"{i}单元", AreaLevel.UNIT.value, building_code))
    return rows


# --- writing ---------------------------------------------------------------------------------


def has_areas():
    from .models import Area

    return Area.objects.exists()


def wipe():
    """Delete every area and role assignment (and whatever references them), with their history.

    TRUNCATE … CASCADE: every table with a foreign key to areas or role assignments is emptied.
    Only for demo and benchmark databases.
    """
    from .models import Area, Department, RoleAssignment

    tables = [Area._meta.db_table, RoleAssignment._meta.db_table, Department._meta.db_table]
    tables += [m._meta.db_table for m in _event_models(Area, RoleAssignment, Department)]
    with transaction.atomic(), connection.cursor() as cursor:
        # TRUNCATE refuses tables with pending trigger events: run the deferred checks of the
        # enclosing transaction now (none in a fresh one), then defer again (Django's default).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE {} CASCADE".format(", ".join(connection.ops.quote_name(t) for t in tables)))
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _event_models(*tracked):
    """The pghistory event models of `tracked` models."""
    from django.apps import apps
    from pghistory.models import Event

    return [m for m in apps.get_models() if issubclass(m, Event) and getattr(m, "pgh_tracked_model", None) in tracked]


@dataclass
class BuildResult:
    areas: int
    seconds: float


def build_city(size="small", progress=None):
    """Write the demo city with one `bulk_load` call in one transaction."""
    from . import tree

    started = time.perf_counter()
    rows = city_rows(size)
    with transaction.atomic():
        written = tree.bulk_load(rows, progress=progress)
    return BuildResult(written, time.perf_counter() - started)


# --- demo users ------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUser:
    username: str
    last_name: str
    first_name: str
    phone: str
    role: str | None  # None: the superuser, no role assignment
    office: str  # the superuser's title; others: derived
    scope: str | None  # how to find the scope area (see `_scope_area`)
    department: str = ""  # a department role's department (DEMO_DEPARTMENTS), by name


DEMO_USERS = [
    DemoUser("zuzhibu", "王", "建国", "13900000001", Role.ORG_DEPARTMENT, "市委组织部", "city"),
    DemoUser("chaoyang_zzb", "李", "红梅", "13900000002", Role.ORG_DEPARTMENT, "朝阳区委组织部", "district"),
    DemoUser("jiedao", "张", "志强", "13900000003", Role.STREET_CADRE, "街道党工委", "street"),
    DemoUser("shequ", "刘", "秀英", "13900000004", Role.COMMUNITY_CADRE, "社区党委", "community"),
    DemoUser("wangge", "陈", "立军", "13900000005", Role.GRID_WORKER, "", "grid"),
    DemoUser("zhujian", "赵", "文斌", "13900000006", Role.DEPARTMENT, "", "district", "朝阳区住房和城乡建设局"),
    DemoUser("shi_zhujian", "孙", "立新", "13900000009", Role.DEPARTMENT, "", "city", "长春市住房和城乡建设局"),
    # The reporting unit's account (danwei, 双报到) is the party's: party/demo.py.
    DemoUser("admin", "系统", "管理员", "13900000007", None, "系统管理员", None),
]


# The functional departments of the demo: (name, short name, kind, "city" or "district").
DEMO_DEPARTMENTS = [
    ("长春市住房和城乡建设局", "市住建局", "住建", "city"),
    ("长春市城市管理行政执法局", "市城管执法局", "城管执法", "city"),
    ("朝阳区住房和城乡建设局", "朝阳区住建局", "住建", "district"),
    ("朝阳区城市管理行政执法局", "朝阳区城管执法局", "城管执法", "district"),
    ("长春市公安局朝阳分局", "朝阳公安分局", "公安", "district"),
    ("朝阳区市场监督管理局", "朝阳区市场监管局", "市场监管", "district"),
    ("朝阳区民政局", "", "民政", "district"),
    ("朝阳区应急管理局", "", "应急管理", "district"),
]


def create_demo_departments(areas):
    """The demo's departments where their city or district exists; {name: department}."""
    from .models import Department, DepartmentKind

    found = {}
    for name, short_name, kind, scope in DEMO_DEPARTMENTS:
        area = areas[scope]
        if area is None:
            continue
        kind, _created = DepartmentKind.objects.get_or_create(name=kind)  # the list may have been edited
        found[name], _created = Department.objects.get_or_create(
            area=area, name=name, defaults={"short_name": short_name, "kind": kind}
        )
    return found


def login_areas():
    """The areas the demo roles hang on: the city, 朝阳区, and the first street/community/grid below."""
    from .models import Area

    found = {"city": Area.objects.filter(code=CITY[0]).first()}
    found["district"] = Area.objects.filter(code=SMALL_DISTRICT).first()
    parent = found["district"]
    for level in ("street", "community", "grid"):
        parent = parent and Area.objects.filter(parent=parent).order_by("code").first()
        found[level] = parent
    return found


@dataclass
class Login:
    username: str
    full_name: str
    role: str  # in Chinese
    scope: str  # in Chinese
    created: bool


def create_demo_users():
    """Make sure every demo user exists, with its role assignment when its area exists.

    A new user gets the demo password; an existing one is left as it is (its password may
    have been changed). Returns one `Login` per demo user.
    """
    from .models import RoleAssignment, User, office_label

    areas = login_areas()
    logins = []
    with transaction.atomic():
        departments = create_demo_departments(areas)
        for demo in DEMO_USERS:
            user = User.objects.filter(username=demo.username).first()
            created = user is None
            if created:
                user = User(
                    username=demo.username, last_name=demo.last_name, first_name=demo.first_name, phone=demo.phone
                )
                user.set_password(DEMO_PASSWORD)
                if demo.role is None and demo.scope is None:
                    user.is_staff = user.is_superuser = True
                user.full_clean(exclude=["password"])
                user.save()
            if demo.role is None:
                role, scope = f"超级管理员（{demo.office}）", "全部区划"
            else:
                area = areas[demo.scope]
                department = departments.get(demo.department)
                role = str(Role(demo.role).label)
                if area is None:
                    scope = "—（区划不存在，未授权）"
                else:
                    RoleAssignment.objects.get_or_create(
                        user=user, area=area, role=demo.role, defaults={"department": department}
                    )
                    scope = f"{area.name}（{area.code}）"
                    office = office_label(demo.role, area.name, department.label if department else "")
                    role = f"{office}（{role}）"
            logins.append(Login(demo.username, user.get_full_name(), role, scope, created))
    return logins


def _width(text):
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text, width):
    return text + " " * (width - _width(text))


def logins_table(logins):
    """The demo logins as a text table in Chinese, aligned for wide characters."""
    header = ("用户名", "姓名", "身份（角色）", "管辖范围")
    lines = [header] + [(x.username, x.full_name, x.role, x.scope) for x in logins]
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]
    rows = ["  ".join(_pad(cell, w) for cell, w in zip(line, widths, strict=True)).rstrip() for line in lines]
    rows.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(["演示账号：", *rows, f"密码（所有演示账号）：{DEMO_PASSWORD}"])
