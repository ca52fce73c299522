"""Red property's part of the demo city (issue 18, seeds 001 and 003): for every filled district,
companies registered with its housing department (住建), compounds on every community's grids and
buildings at Liupanshui's proportions — most under a professional company with its contract, some
managed by their owners, by the community or by a state-owned enterprise, a handful without
management on the ledger (open with a responsible cadre, a plan and a deadline; a couple overdue;
one reopened) with the year the ledger had (entries closed with evidence over the quarters so far,
a few reopened, each step dated on its own day, so that the burn-down descends) — owners'
committees for a share of the compounds (most with a party majority, a few without, a couple past
their term), the 四有一定 checklists of the last three quarters and the 三方联动 consultations
of each quarter. A second filler (`fill_demo_evaluations`) adds the year's annual evaluation on
them: three score sheets for every company × compound, a clear best and worst company per
district, a few still being scored or before the street, complaints and 3+X mediations against the
worst, and the 双随机一公开 draws.

Deterministic (one seeded RNG, rows in code order) and written with bulk_create: a few seconds at
the small size. Each person (a party member linked to a company, a responsible cadre, a committee
member) serves in one street only.
"""

import datetime
import random
import time
from collections import defaultdict
from decimal import Decimal

import pghistory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.utils import timezone

from core.calendar import Quarter
from core.identity import with_credit_check_character
from core.importing import analyze_if_bulk
from orgs.choices import AreaLevel
from orgs.models import Area, Department, DepartmentKind

from .choices import CHECKLIST_ITEMS, CommitteeRole, LedgerStatus, ManagementMode
from .models import (
    Checklist,
    CommitteeMember,
    Compound,
    Consultation,
    LedgerEntry,
    OwnersCommittee,
    PropertyCompany,
    evidence_path,
)
from .permissions import HOUSING

SEED = 2218
# Liupanshui (seed 001): 114 professional companies, 12 compounds managed by their owners, 58 by
# the community or a state-owned enterprise — and Jilin's (seed 003) compounds without management,
# a handful left by the year's end. Shares of the compounds of an urban community:
MODE_SHARES = (
    (ManagementMode.PROFESSIONAL, 0.78),
    (ManagementMode.OWNERS, 0.06),
    (ManagementMode.COMMUNITY, 0.07),
    (ManagementMode.STATE, 0.05),
    (ManagementMode.NONE, 0.04),
)
COMPOUNDS_PER_COMPANY = 12  # a company serves about a dozen compounds (seed 001: 114 companies)
WERE_ON_LEDGER = 0.1  # of a district's compounds with a mode: on the ledger this year, closed since
ENTERED_LATER = 0.2  # of the compounds still without management: found by the first quarter's survey
RECLOSED = 0.15  # of the closed entries: reopened once (the evidence sent back) and closed again
COMPANY_LEFT = "原物业企业合同到期撤出，小区重新纳入无物业台账。"
SENT_BACK = "销号材料不全（缺少业主大会决议），退回补充后重新销号。"
COMMITTEE_SHARE = 0.45  # compounds with an owners' committee (all those managed by their owners)
NO_PARTY_MAJORITY = 0.08  # of the committees: party members not a majority (Jilin's rule broken)
EXPIRED_TERMS = 1  # committees past their term per district
DEMO_COMMUNITY = "220104001001"  # the demo login "shequ"'s (刘秀英): a compound on its ledger
DEMO_RESPONSIBLE = "刘秀英"

COMPANY_WORDS = "安居 恒信 嘉禾 金诚 宏远 华泰 德馨 康达 瑞丰 盛世 泰和 万家 祥和 鑫源 益民 永安 长盛 正阳 中汇".split()
COMPANY_KINDS = ("物业服务有限公司", "物业管理有限公司", "物业服务有限责任公司")
QUALIFICATIONS = ("一级", "二级", "二级", "三级", "三级", "")
COMPOUND_WORDS = (
    "阳光 锦绣 和平 幸福 翠湖 金桥 春晖 丽景 华府 铂悦 紫荆 书香 滨河 龙湖 万科 润德 怡和 兴华 "
    "东方 天和 盛景 银河 明珠 绿洲 雅居 馨园 博雅 御景 长青 富民"
).split()
COMPOUND_KINDS = ("小区", "花园", "家园", "嘉苑", "新城", "名苑", "华庭", "公寓")
PLANS = (
    "街道协调引入专业物业，年底前完成选聘",
    "先由社区代管，同步筹备业主大会",
    "协调区属国企兜底管理",
    "组织业主自管，成立自管小组",
)
CONSULTATION_TOPICS = (
    ("小区停车位划定与收费", "划定停车位，收费标准经业主大会表决后公示", "已施划车位并公示"),
    ("楼道杂物清理", "物业牵头、社区党员志愿者参与集中清理", "已清理完毕"),
    ("二次供水设施维修", "物业报维修方案，动用维修资金须业主表决", "方案已公示，待业主表决"),
    ("物业费收缴与服务公开", "物业每季度公开收支，业委会监督", "已在公示栏公开"),
    ("冬季供暖与管道检修", "物业入户排查，社区协调供热公司", "已完成排查"),
    ("小区绿化补植", "物业补植，社区组织居民认养", "已补植"),
    ("电动车充电桩安装", "物业选点，业委会征求意见后安装", "选点征求意见中"),
)
PARTICIPANTS = "社区党委、业主委员会、物业服务企业，居民代表、网格员"
EVIDENCE_NAME = "物业服务合同（销号材料）.pdf"


def fill_demo_property(size):
    """seed_demo's filler (core.registry): red property for every filled district. Returns the line
    the command prints."""
    from grids.demo import GIVEN, SURNAMES

    started = time.perf_counter()
    rng = random.Random(SEED)
    today = timezone.localdate()
    places = Places.load()
    if not places.communities:
        return "演示区划中没有网格，未建立红色物业数据。"
    people = Names(rng, SURNAMES, GIVEN)
    with pghistory.context(source="seed_demo"), transaction.atomic():
        scored_copy()
        departments = housing_departments(places)
        companies = build_companies(places, departments, rng, people)
        compounds = build_compounds(places, companies, rng, today)
        entries = build_ledger(compounds, places, people, rng, today)
        committees, members = build_committees(compounds, places, people, rng, today)
        checklists = build_checklists(compounds, rng, today)
        consultations = build_consultations(compounds, rng, today)
        link_party_members(companies, places, rng)
        analyze_if_bulk(
            len(compounds) + members + checklists,
            *(m._meta.db_table for m in (Compound, Compound.areas.through, LedgerEntry, OwnersCommittee)),
            *(m._meta.db_table for m in (CommitteeMember, Checklist, Consultation)),
        )
    return (
        f"已建立红色物业：{len(companies)} 家物业服务企业、{len(compounds)} 个小区、{entries} 条无物业台账、"
        f"{committees} 个业委会、{checklists} 份四有一定检查、{consultations} 次三方联动议事，"
        f"用时 {time.perf_counter() - started:.1f} 秒。"
    )


def default_scheme():
    """The default evaluation scheme (property migration 0004), made again when missing — a
    transactional test empties the tables its data migration filled — through the migration's own
    function, as `scored_copy` makes the default set's copy."""
    import importlib

    from django.apps import apps

    from .models_evaluation import EvaluationScheme

    importlib.import_module("property.migrations.0004_default_evaluation_scheme").create(apps, None)
    return EvaluationScheme.objects.order_by("-year").first()


def scored_copy():
    """The copy of the default indicator set with red property's leaves (property migration 0002),
    made again when missing — as tests/conftest.py restores the default set after a transactional
    test has emptied the tables — so that the assessment's demo scores its running quarter with it.
    Through the migration's own function (apps.get_model): red property imports nothing of the
    assessment."""
    import importlib

    from django.apps import apps

    importlib.import_module("property.migrations.0002_default_set_with_red_property").forwards(apps, None)
    importlib.import_module("property.migrations.0005_default_set_with_company_grade").forwards(apps, None)


class Places:
    """The filled part of the tree, read once: districts, streets and communities that hold grids,
    and each community's grids and buildings (code order)."""

    def __init__(self):
        self.districts, self.streets, self.communities = {}, {}, {}
        self.grids = defaultdict(list)  # community id → [(grid id, code)]
        self.buildings = defaultdict(list)  # grid id → [building id]
        self.rural = set()  # community ids of villages (村)

    @classmethod
    def load(cls):
        places = cls()
        grid_of = {}
        rows = (
            Area.objects.filter(level__in=[AreaLevel.GRID, AreaLevel.BUILDING])
            .order_by("code")
            .values_list("pk", "code", "level", "parent_id")
        )
        for pk, code, level, parent in rows.iterator(chunk_size=20000):
            if level == AreaLevel.GRID:
                places.grids[parent].append((pk, code))
                grid_of[pk] = code
            elif parent in grid_of:
                places.buildings[parent].append(pk)
        if not places.grids:
            return places
        upper = Area.objects.filter(level__in=[AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY]).order_by(
            "code"
        )
        for area in upper.only("pk", "code", "name", "level", "parent_id"):
            if area.level == AreaLevel.COMMUNITY and area.pk in places.grids:
                places.communities[area.pk] = area
                if area.name.endswith("村"):
                    places.rural.add(area.pk)
            elif area.level == AreaLevel.STREET:
                places.streets[area.pk] = area
            elif area.level == AreaLevel.DISTRICT:
                places.districts[area.pk] = area
        filled_streets = {c.parent_id for c in places.communities.values()}
        places.streets = {pk: s for pk, s in places.streets.items() if pk in filled_streets}
        filled_districts = {s.parent_id for s in places.streets.values()}
        places.districts = {pk: d for pk, d in places.districts.items() if pk in filled_districts}
        return places

    def street_of(self, community):
        return self.streets[community.parent_id]

    def district_of(self, community):
        return self.districts[self.street_of(community).parent_id]


class Names:
    """Made-up people's names, never the same twice: a person serves in one street only."""

    def __init__(self, rng, surnames, given):
        self.rng, self.surnames, self.given = rng, surnames, given
        self.used = {DEMO_RESPONSIBLE}

    def __call__(self):
        while True:
            name = self.rng.choice(self.surnames) + "".join(
                self.rng.choice(self.given) for _ in range(self.rng.choice((1, 2, 2)))
            )
            if name not in self.used:
                self.used.add(name)
                return name


def housing_departments(places):
    """{district id: its housing department (住建)}: the demo's own (朝阳区住建局), and one for each
    other filled district, as its district would have it."""
    kind, _created = DepartmentKind.objects.get_or_create(name=HOUSING)
    found = {}
    for district in places.districts.values():
        department = Department.objects.filter(area=district, kind=kind).order_by("pk").first()
        if department is None:
            department = Department.objects.create(
                area=district,
                kind=kind,
                name=f"{district.name}住房和城乡建设局",
                short_name=f"{district.name}住建局",
            )
        found[district.pk] = department
    return found


def build_companies(places, departments, rng, people):
    """Per district, a company for about every dozen compounds it will have, each registered with
    the district's housing department and based in one of its streets (in turn). Returns
    [(company, home street id)]."""
    communities_of = defaultdict(int)
    for community in places.communities.values():
        communities_of[places.district_of(community).pk] += 1
    streets_of = defaultdict(list)
    for street in places.streets.values():
        streets_of[street.parent_id].append(street)
    companies, names = [], set()
    serial = 0
    for district in places.districts.values():
        count = max(3, round(communities_of[district.pk] * 4.5 * 0.8 / COMPOUNDS_PER_COMPANY))
        for n in range(count):
            street = streets_of[district.pk][n % len(streets_of[district.pk])]
            serial += 1
            name = company_name(rng)
            while name in names:
                name = company_name(rng)
            names.add(name)
            company = PropertyCompany(
                name=name,
                credit_code=with_credit_check_character(f"91{district.code}MA{serial:07d}"),
                legal_representative=people(),
                phone=f"1{rng.choice('3589')}{rng.randint(0, 9)}{serial:08d}",
                qualification=rng.choice(QUALIFICATIONS),
                address=f"{district.name}{street.name}{rng.randint(1, 999)}号",
                department=departments[district.pk],
            )
            companies.append((company, street.pk))
    PropertyCompany.objects.bulk_create([company for company, _street in companies], batch_size=2000)
    return companies


def company_name(rng):
    first, second = rng.sample(COMPANY_WORDS, 2)
    return f"长春{first}{second}{rng.choice(COMPANY_KINDS)}"


def split_evenly(items, parts):
    """`items` in `parts` consecutive runs, as even as can be (none empty when parts ≤ len)."""
    size, extra = divmod(len(items), parts)
    runs, start = [], 0
    for n in range(parts):
        end = start + size + (1 if n < extra else 0)
        runs.append(items[start:end])
        start = end
    return runs


def draw_mode(rng):
    draw, total = rng.random(), 0.0
    for mode, share in MODE_SHARES:
        total += share
        if draw < total:
            return mode
    return ManagementMode.PROFESSIONAL


def build_compounds(places, companies, rng, today):
    """3–6 compounds a community (a village one, under the village or without management), each
    on a run of its grids — or of one grid's buildings where a community has more compounds than
    grids — with households by building. A professional compound's company is based in its street
    (mostly), elsewhere in its district, or now and then in another district (a company serving
    several districts)."""
    by_street, by_district = defaultdict(list), defaultdict(list)
    for company, street in companies:
        by_street[street].append(company)
        by_district[places.streets[street].parent_id].append(company)
    all_companies = [company for company, _street in companies]
    compounds, covered = [], []
    for community in places.communities.values():
        grids = places.grids[community.pk]
        rural = community.pk in places.rural
        count = 1 if rural else rng.randint(3, 6)
        names = set()
        if count <= len(grids):
            runs = [[("grid", pk) for pk, _code in run] for run in split_evenly(grids, count)]
        else:  # more compounds than grids: the buildings, in runs
            buildings = [("building", b) for pk, _code in grids for b in places.buildings[pk]] or [
                ("grid", pk) for pk, _code in grids
            ]
            runs = [run for run in split_evenly(buildings, min(count, len(buildings))) if run]
        street = places.street_of(community)
        for run in runs:
            name = f"{rng.choice(COMPOUND_WORDS)}{rng.choice(COMPOUND_KINDS)}"
            while name in names:
                name = f"{rng.choice(COMPOUND_WORDS)}{rng.choice(COMPOUND_KINDS)}"
            names.add(name)
            buildings = sum(len(places.buildings[pk]) if kind == "grid" else 1 for kind, pk in run)
            if rural:
                mode = ManagementMode.COMMUNITY if rng.random() < 0.7 else ManagementMode.NONE
            else:
                mode = draw_mode(rng)
            compound = Compound(
                name=name,
                community=community,
                households=max(1, buildings) * rng.randint(24, 72),
                mode=mode,
            )
            if mode in (ManagementMode.PROFESSIONAL, ManagementMode.STATE):
                draw = rng.random()
                pool = (
                    by_street.get(street.pk)
                    if draw < 0.75
                    else by_district[street.parent_id]
                    if draw < 0.95
                    else all_companies
                ) or by_district[street.parent_id]
                compound.company = rng.choice(pool)
                start = today - datetime.timedelta(days=rng.randint(30, 3 * 365))
                compound.contract_start = start
                # some contracts end within the quarter: the housing bureau's renewals to watch
                years = 3 if rng.random() < 0.85 else None
                compound.contract_end = (
                    start.replace(year=start.year + years)
                    if years and not (start.month == 2 and start.day == 29)
                    else today + datetime.timedelta(days=rng.randint(10, 80))
                )
            compounds.append(compound)
            covered.append(run)
    demo = [c for c in compounds if c.community.code == DEMO_COMMUNITY]
    if demo and not any(c.mode == ManagementMode.NONE for c in demo):  # shequ's compound on the ledger
        last = demo[-1]
        last.mode, last.company, last.contract_start, last.contract_end = ManagementMode.NONE, None, None, None
    Compound.objects.bulk_create(compounds, batch_size=5000)
    through = Compound.areas.through
    links = [through(compound_id=c.pk, area_id=pk) for c, run in zip(compounds, covered, strict=True) for _k, pk in run]
    through.objects.bulk_create(links, batch_size=10000)
    return compounds


def demo_pdf(text):
    """A one-page PDF saying `text` (ASCII), as a scanned contract would be: valid and small."""
    content = f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(pdf)


def build_ledger(compounds, places, people, rng, today):
    """The year's ledger (清零 by its end, seed 003) as it went, so that its burn-down descends
    quarter by quarter: the entries put on it at the year's start, a few found in the first quarter;
    every compound without management still on it, open (deadline the year's end; a district's
    first and third overdue since the last quarter's end, its second closed when a company came and
    reopened this quarter after it left); in each district a share of the compounds with a mode
    closed (销号) with evidence, spread over the quarters of the year so far (this one first), a few
    of them reopened (the evidence sent back) and closed again within the quarter. The demo
    community keeps one compound without management, on its cadre 刘秀英. Each entry's history is
    written on the days of its steps (write_history). Returns the number of entries."""
    quarter = Quarter.current(today)
    year_start, year_end = datetime.date(today.year, 1, 1), datetime.date(today.year, 12, 31)
    quarters = [quarter.shifted(-n) for n in range(quarter.number)]  # this year's so far, newest first
    days = datetime.timedelta
    responsible = {}  # community id → its responsible cadre (one a community: in one street only)

    def cadre(community):
        if community.pk not in responsible:
            responsible[community.pk] = DEMO_RESPONSIBLE if community.code == DEMO_COMMUNITY else people()
        return responsible[community.pk]

    def day_between(first, last):
        """A day from `first` to `last`, never after today (`last` when there is no room)."""
        last = min(last, today)
        first = min(first, last)
        return first + days(rng.randint(0, (last - first).days))

    # the compounds closed this year, by district: in turn in each quarter so far, this one first
    managed = defaultdict(list)
    for compound in compounds:
        if compound.mode != ManagementMode.NONE:
            managed[places.district_of(compound.community).pk].append(compound)
    closing = {}  # compound id → (its quarter, the day it was closed)
    for candidates in managed.values():
        share = min(len(candidates), max(len(quarters), round(WERE_ON_LEDGER * len(candidates))))
        for n, compound in enumerate(rng.sample(candidates, share)):
            q = quarters[n % len(quarters)]
            closing[compound.pk] = (q, day_between(max(q.start, year_start + days(7)), q.end))

    entries, histories = [], []
    bare_seen = defaultdict(int)  # district id → its compounds without management met so far
    for compound in compounds:
        community = compound.community
        district = places.district_of(community).pk
        plan = rng.choice(PLANS)
        ours = community.code == DEMO_COMMUNITY
        entry = LedgerEntry(compound=compound, responsible=cadre(community), plan=plan, deadline=year_end)
        if compound.mode == ManagementMode.NONE:
            entered = year_start
            if rng.random() < ENTERED_LATER:  # found by the first quarter's survey (摸排)
                entered = day_between(year_start + days(14), max(year_start, min(quarters[-1].end, today - days(30))))
            steps = [(entered, LedgerStatus.OPEN, "")]
            n = -1 if ours else bare_seen[district]
            bare_seen[district] += not ours
            if n in (0, 2):  # the first and third: overdue
                entry.deadline = quarter.previous().end
                steps = [(min(entered, entry.deadline - days(90)), LedgerStatus.OPEN, "")]
            elif n == 1:  # the second: reopened after its company left
                closed = day_between(entered + days(14), max(entered, quarter.start - days(30)))
                back = day_between(max(quarter.start, closed + days(20)), today)
                steps += [(closed, LedgerStatus.CLOSED, ""), (back, LedgerStatus.OPEN, COMPANY_LEFT)]
                entry.reason = COMPANY_LEFT
        elif compound.pk in closing:
            q, closed = closing[compound.pk]
            steps = [(year_start, LedgerStatus.OPEN, ""), (closed, LedgerStatus.CLOSED, "")]
            if rng.random() < RECLOSED:
                back = day_between(closed + days(3), min(closed + days(20), q.end))
                again = day_between(back + days(7), q.end)
                steps += [(back, LedgerStatus.OPEN, SENT_BACK), (again, LedgerStatus.CLOSED, "")]
            entry.status = LedgerStatus.CLOSED
        else:
            continue
        if any(status == LedgerStatus.CLOSED for _day, status, _reason in steps):  # its evidence stays
            path = evidence_path(entry, f"contract-{compound.pk}.pdf")
            entry.evidence = default_storage.save(path, ContentFile(demo_pdf(f"Jiceng demo contract {compound.pk}")))
            entry.evidence_name = EVIDENCE_NAME
        entries.append(entry)
        histories.append(moments(steps, rng))
    import pgtrigger

    with pgtrigger.ignore("property.LedgerEntry:insert_insert"):  # its history is written below, dated
        LedgerEntry.objects.bulk_create(entries, batch_size=5000)
    write_history(entries, histories)
    return len(entries)


def moments(steps, rng):
    """The steps' (day, status, reason) at times of their working days, in order, none after now."""
    now = timezone.now()
    timed, last = [], None
    for day, status, reason in steps:
        at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9))) + datetime.timedelta(
            minutes=rng.randint(0, 8 * 60)
        )
        if last is not None and at <= last:
            at = last + datetime.timedelta(minutes=1)
        timed.append([at, status, reason])
        last = at
    for n, step in enumerate(timed):
        step[0] = min(step[0], now - datetime.timedelta(minutes=len(timed) - n))
    return [tuple(step) for step in timed]


def write_history(entries, histories):
    """Each entry's history as its declared steps would have written it, on their days, not the
    seed's instant: its events (pghistory's LedgerEntryEvent: put on the ledger open, then each 销号
    and reopening — what the burn-down reads), the steps' rows (StateChange: what "closed this
    quarter" and the entry's page read) and its `at`, its last step's time (what "closed on time"
    reads). Not the app's behaviour changed: the rows the steps write, with the days they had."""
    import pgtrigger
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    from core.models import StateChange

    from .ledger import LEDGER

    events = apps.get_model("property", "LedgerEntryEvent")._meta.db_table
    table = LedgerEntry._meta.db_table
    content_type = ContentType.objects.get_for_model(LedgerEntry)
    rows, changes, changed_at = [], [], []
    for entry, steps in zip(entries, histories, strict=True):
        shown = False  # the evidence, from the first 销号 on
        for n, (at, status, reason) in enumerate(steps):
            shown = shown or status == LedgerStatus.CLOSED
            rows.append((entry.pk, at, "insert" if n == 0 else "update", status, reason, shown))
            if n:
                name = "close" if status == LedgerStatus.CLOSED else "reopen"
                changes.append(
                    StateChange(
                        content_type=content_type,
                        object_id=entry.pk,
                        transition=name,
                        label=str(LEDGER[name].label),
                        from_state=steps[n - 1][1],
                        to_state=status,
                        reason=reason,
                    )
                )
                changed_at.append(at)
    columns = list(zip(*sorted(rows, key=lambda row: row[1]), strict=True))
    StateChange.objects.bulk_create(changes, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {events} (at, by_id, compound_id, deadline, evidence, evidence_name, id,
                       pgh_context_id, pgh_created_at, pgh_label, pgh_obj_id, plan, reason, responsible, status)
                SELECT v.at, e.by_id, e.compound_id, e.deadline,
                       CASE WHEN v.shown THEN e.evidence ELSE '' END,
                       CASE WHEN v.shown THEN e.evidence_name ELSE '' END, e.id,
                       _pgh_attach_context(), v.at, v.label, e.id, e.plan, v.reason, e.responsible, v.status
                  FROM unnest(%s::bigint[], %s::timestamptz[], %s::text[], %s::text[], %s::text[], %s::bool[])
                       WITH ORDINALITY AS v(id, at, label, status, reason, shown, n)
                  JOIN {table} e ON e.id = v.id ORDER BY v.n""",
            [list(column) for column in columns],
        )
        cursor.execute(
            f"""UPDATE {StateChange._meta.db_table} c SET at = v.at
                  FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, at) WHERE c.id = v.id""",
            [[change.pk for change in changes], changed_at],
        )
    with pgtrigger.ignore("property.LedgerEntry:update_update"), connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {table} e SET at = v.at
                  FROM unnest(%s::bigint[], %s::timestamptz[]) AS v(id, at) WHERE e.id = v.id""",
            [[entry.pk for entry in entries], [steps[-1][0] for steps in histories]],
        )


def build_committees(compounds, places, people, rng, today):
    """An owners' committee for every compound its owners manage and for a share of the others
    with a company, of 5–9 members: most with a party majority, a few without; five-year terms, a
    couple per district expired and some ending within the quarter. Returns (committees, members)."""
    committees, plans = [], []
    expired_left = defaultdict(lambda: EXPIRED_TERMS)
    for compound in compounds:
        if compound.mode == ManagementMode.NONE:
            continue
        if compound.mode != ManagementMode.OWNERS and rng.random() > COMMITTEE_SHARE:
            continue
        district = places.district_of(compound.community).pk
        if expired_left[district]:
            expired_left[district] -= 1
            end = today - datetime.timedelta(days=rng.randint(20, 200))
        else:
            end = today + datetime.timedelta(days=rng.randint(30, 5 * 365 - 30))
        start = end - datetime.timedelta(days=5 * 365)
        committees.append(
            OwnersCommittee(compound=compound, name=f"{compound.name}业主委员会", term_start=start, term_end=end)
        )
        size = rng.choice((5, 5, 7, 7, 9))
        party = size // 2 if rng.random() < NO_PARTY_MAJORITY else rng.randint(size // 2 + 1, size)
        plans.append((size, party))
    OwnersCommittee.objects.bulk_create(committees, batch_size=5000)
    members = []
    for committee, (size, party) in zip(committees, plans, strict=True):
        for n in range(size):
            role = CommitteeRole.DIRECTOR if n == 0 else CommitteeRole.DEPUTY if n == 1 else CommitteeRole.MEMBER
            members.append(CommitteeMember(committee=committee, name=people(), role=role, is_party_member=n < party))
    CommitteeMember.objects.bulk_create(members, batch_size=5000)
    return len(committees), len(members)


def build_checklists(compounds, rng, today):
    """四有一定 for the compounds with a mode, the last three quarters: complete under a company,
    a gap or two under the owners or the community; this quarter's still being checked (about
    seven in ten). Returns the number of checklists."""
    current = Quarter.current(today)
    rows = []
    for quarter in (current.shifted(-2), current.previous(), current):
        for compound in compounds:
            if compound.mode == ManagementMode.NONE or (quarter == current and rng.random() > 0.7):
                continue
            keeps = 0.97 if compound.mode in (ManagementMode.PROFESSIONAL, ManagementMode.STATE) else 0.8
            rows.append(
                Checklist(
                    compound=compound,
                    quarter=quarter.key,
                    **{item: rng.random() < keeps for item in CHECKLIST_ITEMS},
                )
            )
    Checklist.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def build_consultations(compounds, rng, today):
    """三方联动 (1+3+N) every quarter: each urban community's compounds with a company or a
    committee meet once or twice a quarter, on a day of the quarter so far. Returns the count."""
    current = Quarter.current(today)
    by_community = defaultdict(list)
    for compound in compounds:
        if compound.mode in (ManagementMode.PROFESSIONAL, ManagementMode.STATE, ManagementMode.OWNERS):
            by_community[compound.community_id].append(compound)
    rows = []
    for quarter in (current.shifted(-2), current.previous(), current):
        last = min(quarter.end, today)
        for _community, held in by_community.items():
            for compound in rng.sample(held, min(len(held), rng.choice((1, 2)))):
                topic, decision, follow_up = rng.choice(CONSULTATION_TOPICS)
                day = quarter.start + datetime.timedelta(days=rng.randint(0, (last - quarter.start).days))
                rows.append(
                    Consultation(
                        compound=compound,
                        held_on=day,
                        topic=topic,
                        participants=PARTICIPANTS,
                        decision=decision,
                        follow_up=follow_up if day < today - datetime.timedelta(days=14) else "",
                    )
                )
    Consultation.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def link_party_members(companies, places, rng):
    """双向进入、交叉任职 (seed 001): about six companies in ten have a party organisation (the
    street's joint branch of non-public enterprises, or the district's 物业服务行业党委); the
    others a 党建指导员 from their street's 党工委. Each has a 兼职委员 and a 物业服务顾问 from the
    committee of a community it serves in that street. Every member serves one company: a person
    in one street only."""
    import pgtrigger

    from party.choices import OrgKind
    from party.models import PartyMember, PartyOrganisation

    organisations = PartyOrganisation.objects.filter(
        kind__in=[OrgKind.NON_PUBLIC, OrgKind.INDUSTRY_COMMITTEE, OrgKind.STREET_COMMITTEE, OrgKind.COMMUNITY_COMMITTEE]
    ).values_list("pk", "kind", "area_id", "name")
    joint, industry, committee_of = {}, {}, defaultdict(list)
    for pk, kind, area, name in organisations.order_by("pk"):
        if kind == OrgKind.NON_PUBLIC:
            joint.setdefault(area, pk)
        elif kind == OrgKind.INDUSTRY_COMMITTEE and "物业" in name:
            industry.setdefault(area, pk)
        else:
            committee_of[area].append(pk)
    pool = defaultdict(list)  # area id → [member id] of its street or community committee
    wanted = [pk for pks in committee_of.values() for pk in pks]
    area_of = {pk: area for area, pks in committee_of.items() for pk in pks}
    for member, organisation in (
        PartyMember.objects.filter(organisation_id__in=wanted).order_by("pk").values_list("pk", "organisation_id")
    ):
        pool[area_of[organisation]].append(member)
    served = defaultdict(list)  # company id → its compounds' communities
    for pk, community in Compound.objects.filter(company__isnull=False).values_list("company_id", "community_id"):
        served[pk].append(community)
    changed = []
    for company, street in companies:
        # its party links are in the street where it serves most (its base when it serves none)
        communities = served[company.pk]
        streets = [places.communities[c].parent_id for c in communities]
        street = max(sorted(set(streets)), key=streets.count) if streets else street
        district = places.streets[street].parent_id
        if rng.random() < 0.6 and (street in joint or district in industry):
            company.party_organisation_id = joint.get(street) or industry.get(district)
        elif pool[street]:
            company.party_instructor_id = pool[street].pop(0)
        home = [c for c in communities if places.communities[c].parent_id == street]
        if home and pool[home[0]]:
            company.part_time_member_id = pool[home[0]].pop(0)
        if home and pool[home[0]]:
            company.service_adviser_id = pool[home[0]].pop(0)
        changed.append(company)
    # Their links as registered, not a change anyone made: the companies' histories show none.
    with pgtrigger.ignore("property.PropertyCompany:update_update"):
        PropertyCompany.objects.bulk_update(
            changed, ["party_organisation", "party_instructor", "part_time_member", "service_adviser"], batch_size=2000
        )


# --- the annual evaluation (物业服务质量评价, seed 001) -------------------------------------------

IN_PROGRESS = 0.05  # of the evaluations: still being scored by the community (评分中)
AWAITING_STREET = 0.05  # submitted, awaiting the street's opinion
AWAITING_HOUSING = 0.15  # approved by the street, awaiting the housing department's confirmation
BEST, WORST = 0.96, 0.5  # the quality level of each district's best and worst company
NOISE = 0.04
STREET_OPINIONS = (
    "评分程序规范，三方评分材料齐全，同意上报。",
    "经核实，评分结果客观，同意。",
    "业主代表意见已听取，同意报区住建局。",
)
SCORERS = {"party": "社区党委书记", "committee": "业委会主任", "owners": "业主代表"}
COMPLAINTS = (
    "小区电梯多次故障停运，报修后维修不及时。",
    "楼道保洁不到位，垃圾清运不及时。",
    "公共收益未按规定公开。",
)
MEDIATIONS = (
    ("housing", "物业费上调未经业主大会表决，业主拒缴引发纠纷。", "住建部门约谈企业，暂停上调，重新履行表决程序。"),
    ("justice", "地下车库渗水损坏业主车辆，双方赔偿争议。", "司法所人民调解员主持调解，企业赔偿部分损失。"),
    ("court", "企业撤场交接中维修资金账目争议。", "法院诉前调解，双方达成交接协议。"),
)


def fill_demo_evaluations(size):
    """seed_demo's filler after red property's (core.registry): a year of evaluations — the current
    year, scored at its end with its scheme — for every company × compound it serves, with a clear
    best and worst company in each district; complaints and 3+X mediations against the worst; two
    双随机一公开 inspections per housing department with inspectors, one published."""
    from . import evaluation as rules
    from .models_evaluation import EvaluationScheme, PropertyEvaluation

    started = time.perf_counter()
    today = timezone.localdate()
    year = today.year
    if PropertyEvaluation.objects.filter(year=year).exists():
        return "本年度物业服务质量评价已存在，未重复建立。"
    scheme = rules.scheme_for(year) or EvaluationScheme.objects.order_by("-year").first() or default_scheme()
    compounds = list(
        Compound.objects.filter(company__isnull=False)
        .select_related("company__department", "community")
        .order_by("community__code", "pk")
    )
    if scheme is None or not compounds:
        return "没有评价方案或专业物业小区，未建立物业服务质量评价。"
    scheme = EvaluationScheme.objects.prefetch_related("items").get(pk=scheme.pk)
    rng = random.Random(SEED + year)
    with pghistory.context(source="seed_demo"), transaction.atomic():
        quality = company_quality(compounds, rng)
        evaluations, sheets = build_evaluations(compounds, scheme, year, quality, rng, today)
        cases = build_cases(compounds, quality, rng, today)
        inspections = build_inspections(compounds, rng, today)
    return (
        f"已建立 {year} 年物业服务质量评价：{evaluations} 项评价、{sheets} 份评分表、{cases} 件投诉与调解、"
        f"{inspections} 次双随机检查，用时 {time.perf_counter() - started:.1f} 秒。"
    )


def company_quality(compounds, rng):
    """{company id: its quality level (share of full marks)}: per housing department, among the
    companies serving compounds, one drawn best, one worst, the others between."""
    by_department = defaultdict(list)
    for compound in compounds:
        company = compound.company
        if company.pk not in by_department[company.department_id]:
            by_department[company.department_id].append(company.pk)
    quality = {}
    for _department, companies in sorted(by_department.items()):
        companies = sorted(companies)
        rng.shuffle(companies)
        for n, pk in enumerate(companies):
            quality[pk] = BEST if n == 0 else WORST if n == 1 else rng.uniform(0.7, 0.88)
    return quality


def worst_companies(quality):
    return {pk for pk, level in quality.items() if level == WORST}


def build_evaluations(compounds, scheme, year, quality, rng, today):
    """An evaluation per compound with a company, its three sheets drawn around the company's
    quality (the item's full marks × level, with noise), total and grade by the scheme; most
    confirmed, some awaiting 住建, a few submitted to the street or still being scored (the demo
    community keeps one to score, its street one to review) — never a company's last ranked one.
    Returns (evaluations, sheets)."""
    from django.contrib.contenttypes.models import ContentType

    from core.models import StateChange

    from . import evaluation as rules
    from .models_evaluation import EvaluationStatus, PropertyEvaluation, ScoreSheet, SheetScore

    items = list(scheme.items.all())
    full = sum((item.max_score for item in items), Decimal(0))
    served = defaultdict(int)
    for compound in compounds:
        served[compound.company_id] += 1
    ranked_left = dict(served)
    demo_street = DEMO_COMMUNITY[:9]
    forced = {"draft": False, "submitted": False}
    evaluations, plans = [], []
    for compound in compounds:
        code = compound.community.code
        draw = rng.random()
        status = EvaluationStatus.CONFIRMED
        if draw < IN_PROGRESS:
            status = EvaluationStatus.DRAFT
        elif draw < IN_PROGRESS + AWAITING_STREET:
            status = EvaluationStatus.SUBMITTED
        elif draw < IN_PROGRESS + AWAITING_STREET + AWAITING_HOUSING:
            status = EvaluationStatus.REVIEWED
        if not forced["draft"] and code == DEMO_COMMUNITY:
            status, forced["draft"] = EvaluationStatus.DRAFT, True
        elif not forced["submitted"] and code.startswith(demo_street) and code != DEMO_COMMUNITY:
            status, forced["submitted"] = EvaluationStatus.SUBMITTED, True
        in_progress = status in (EvaluationStatus.DRAFT, EvaluationStatus.SUBMITTED)
        if in_progress and ranked_left[compound.company_id] <= 1:
            status = EvaluationStatus.CONFIRMED
        elif in_progress:
            ranked_left[compound.company_id] -= 1
        kinds = rules.KINDS if status != EvaluationStatus.DRAFT else rules.KINDS[: rng.randint(0, 2)]
        level = quality[compound.company_id] + rng.gauss(0, NOISE / 2)
        sheet_scores = {}
        for kind in kinds:
            scores = []
            for item in items:
                share = min(1.0, max(0.0, level + rng.gauss(0, NOISE)))
                scores.append((item, (item.max_score * Decimal(str(round(share, 3)))).quantize(Decimal("0.1"))))
            sheet_scores[kind] = scores
        evaluation = PropertyEvaluation(
            company_id=compound.company_id, compound=compound, year=year, scheme=scheme, status=status
        )
        if len(sheet_scores) == len(rules.KINDS):
            totals = {kind: sum((s for _i, s in scores), Decimal(0)) for kind, scores in sheet_scores.items()}
            evaluation.total = rules.weighted_total(scheme, totals) if full else Decimal(0)
            evaluation.grade = rules.grade_for(scheme, evaluation.total)
        if status in (EvaluationStatus.REVIEWED, EvaluationStatus.CONFIRMED):
            evaluation.reason = rng.choice(STREET_OPINIONS) if status == EvaluationStatus.REVIEWED else ""
        evaluations.append(evaluation)
        plans.append(sheet_scores)
    PropertyEvaluation.objects.bulk_create(evaluations, batch_size=5000)
    entered = timezone.make_aware(datetime.datetime.combine(min(today, datetime.date(year, 12, 1)), datetime.time(9)))
    sheets, pending = [], []
    for evaluation, sheet_scores in zip(evaluations, plans, strict=True):
        for kind, scores in sheet_scores.items():
            sheet = ScoreSheet(
                evaluation=evaluation,
                kind=kind,
                scorer=SCORERS[kind],
                total=sum((s for _i, s in scores), Decimal(0)),
                entered_at=entered,
            )
            sheets.append(sheet)
            pending.append((sheet, scores))
    ScoreSheet.objects.bulk_create(sheets, batch_size=5000)
    SheetScore.objects.bulk_create(
        (SheetScore(sheet=sheet, item=item, score=score) for sheet, scores in pending for item, score in scores),
        batch_size=10000,
    )
    # the steps each took, as the transitions would have written them (their history rows)
    steps = {
        EvaluationStatus.SUBMITTED: [("submit", "draft", "submitted")],
        EvaluationStatus.REVIEWED: [("submit", "draft", "submitted"), ("approve", "submitted", "reviewed")],
        EvaluationStatus.CONFIRMED: [
            ("submit", "draft", "submitted"),
            ("approve", "submitted", "reviewed"),
            ("confirm", "reviewed", "confirmed"),
        ],
    }
    content_type = ContentType.objects.get_for_model(PropertyEvaluation)
    changes = []
    for evaluation in evaluations:
        opinion = evaluation.reason or rng.choice(STREET_OPINIONS)
        for name, source, target in steps.get(evaluation.status, []):
            changes.append(
                StateChange(
                    content_type=content_type,
                    object_id=evaluation.pk,
                    transition=name,
                    label=str(rules.EVALUATION[name].label),
                    from_state=source,
                    to_state=target,
                    reason=opinion if name == "approve" else "",
                )
            )
    StateChange.objects.bulk_create(changes, batch_size=10000)
    analyze_if_bulk(len(sheets), *(m._meta.db_table for m in (PropertyEvaluation, ScoreSheet, SheetScore, StateChange)))
    return len(evaluations), len(sheets)


def build_cases(compounds, quality, rng, today):
    """Against each district's worst company: two complaints and the three 3+X mediations (住建、
    司法、法院), on its compounds. Returns the count."""
    from .models_evaluation import CaseKind, CaseStatus, CompanyCase

    worst = worst_companies(quality)
    served = defaultdict(list)
    for compound in compounds:
        if compound.company_id in worst:
            served[compound.company_id].append(compound)
    cases = []
    for _company, its in sorted(served.items()):
        for n, summary in enumerate(COMPLAINTS[:2]):
            cases.append(
                CompanyCase(
                    company_id=its[0].company_id,
                    compound=its[n % len(its)],
                    kind=CaseKind.COMPLAINT,
                    received_on=today - datetime.timedelta(days=rng.randint(5, 120)),
                    summary=summary,
                    status=CaseStatus.OPEN if n == 0 else CaseStatus.CLOSED,
                    result="" if n == 0 else "已责令企业限期整改，复查合格。",
                )
            )
        for n, (mediator, summary, result) in enumerate(MEDIATIONS):
            cases.append(
                CompanyCase(
                    company_id=its[0].company_id,
                    compound=its[n % len(its)],
                    kind=CaseKind.MEDIATION,
                    mediator=mediator,
                    received_on=today - datetime.timedelta(days=rng.randint(30, 300)),
                    summary=summary,
                    result=result,
                    status=CaseStatus.CLOSED,
                )
            )
    CompanyCase.objects.bulk_create(cases)
    return len(cases)


def build_inspections(compounds, rng, today):
    """Two 双随机一公开 draws per housing department that has inspectors, each drawn as
    property/inspections.py draws (a recorded seed over the same pools): the earlier one inspected
    and published, the later one awaiting its result. Returns the count."""
    from .inspections import company_pool, inspector_pool
    from .models_evaluation import Inspection, InspectionConclusion

    departments = sorted({compound.company.department for compound in compounds}, key=lambda d: d.pk)
    rows = []
    for department in departments:
        companies, inspectors = company_pool(department), inspector_pool(department)
        if not companies or not inspectors:
            continue
        for n in range(2):
            seed = rng.randrange(2**62)
            chance = random.Random(seed)
            drawn = timezone.now() - datetime.timedelta(days=40 if n == 0 else 3)
            inspection = Inspection(
                department=department,
                company=chance.choice(companies),
                inspector=chance.choice(inspectors),
                seed=seed,
                drawn_at=drawn,
                company_pool=len(companies),
                inspector_pool=len(inspectors),
            )
            if n == 0:
                inspection.inspected_on = timezone.localdate(drawn) + datetime.timedelta(days=7)
                inspection.conclusion = InspectionConclusion.IMPROVE
                inspection.result = "抽查服务合同履行、消防通道和设施台账：消防通道有杂物堆放，已责令15日内整改。"
                inspection.published_at = drawn + datetime.timedelta(days=10)
            rows.append(inspection)
    Inspection.objects.bulk_create(rows)
    return len(rows)
