"""Demo and benchmark material: a roster for every grid, building and unit of a tree, and the
sheet a street office would keep of it (title row, merged cells, dirty cells, total row)."""

import datetime
import io
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core.calendar import Quarter
from core.identity import with_check_character
from core.importing import analyze_if_bulk
from orgs import tree
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import within

from .choices import POLITICAL_STATUS_TO_CHINESE, POST_TO_CHINESE, PoliticalStatus, Post
from .importers import HEADERS

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
    "苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史"
    "顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红鹏建华建国国强志强"
    "淑珍秀珍玉梅海燕春梅德明永刚凤英文博子轩"
)


@dataclass
class SheetRow:
    district: str
    street: str
    community: str
    grid_code: str
    grid_name: str
    building: str
    unit: str
    post: str
    name: str
    gender: str
    phone: str
    id_number: str
    political_status: str
    note: str = ""

    def cells(self):
        return [
            self.district,
            self.street,
            self.community,
            self.grid_code,
            self.grid_name,
            self.building,
            self.unit,
            self.post,
            self.name,
            self.gender,
            self.phone,
            self.id_number,
            self.political_status,
            self.note,
        ]


def make_id_number(rng, region="220104"):
    birth = f"{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return with_check_character(f"{region}{birth}{rng.randint(0, 999):03d}")


class PersonMaker:
    """Made-up people with valid, distinct ID numbers and distinct phones."""

    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.serial = 0
        self.id_numbers = set()

    def __call__(self):
        rng = self.rng
        self.serial += 1
        id_number = make_id_number(rng)
        while id_number in self.id_numbers:  # same birthday and sequence: draw again
            id_number = make_id_number(rng)
        self.id_numbers.add(id_number)
        gender = "男" if int(id_number[16]) % 2 else "女"
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        phone = f"1{rng.choice('3578')}{self.serial:09d}"[-11:]
        status = rng.choices(list(POLITICAL_STATUS_TO_CHINESE.values()), weights=(40, 3, 7, 50))[0]
        return name, gender, phone, id_number, status


def roster_rows(root_code, seed=2201):
    """A full roster of the subtree of `root_code`: every grid has a grid head and a grid worker,
    every building a building head, every unit a unit head. Streams rows in code order."""
    make_person = PersonMaker(seed)
    names = {}
    current = {}
    areas = Area.objects.filter(within("code", root_code)).order_by("code").values_list("code", "name", "level")
    for code, name, level in areas.iterator(chunk_size=20000):
        names[code] = name
        current[level] = (code, name)
        if level == AreaLevel.GRID:
            yield _row(current, POST_TO_CHINESE[Post.GRID_HEAD], make_person())
            yield _row(current, "专职网格员", make_person())
        elif level == AreaLevel.BUILDING:
            current.pop(AreaLevel.UNIT, None)
            yield _row(current, POST_TO_CHINESE[Post.BUILDING_HEAD], make_person())
        elif level == AreaLevel.UNIT:
            yield _row(current, POST_TO_CHINESE[Post.UNIT_HEAD], make_person())
        elif level in (AreaLevel.DISTRICT, AreaLevel.STREET, AreaLevel.COMMUNITY):
            for lower in (AreaLevel.STREET, AreaLevel.COMMUNITY, AreaLevel.GRID, AreaLevel.BUILDING, AreaLevel.UNIT):
                if lower != level and list(AreaLevel).index(lower) > list(AreaLevel).index(level):
                    current.pop(lower, None)


def _row(current, post, person):
    def part(level):
        return current.get(level, ("", ""))

    grid_code, grid_name = part(AreaLevel.GRID)
    building = part(AreaLevel.BUILDING)[1] if post in ("楼栋长", "单元长") else ""
    unit = part(AreaLevel.UNIT)[1] if post == "单元长" else ""
    name, gender, phone, id_number, status = person
    return SheetRow(
        part(AreaLevel.DISTRICT)[1],
        part(AreaLevel.STREET)[1],
        part(AreaLevel.COMMUNITY)[1],
        grid_code,
        grid_name,
        building,
        unit,
        post,
        name,
        gender,
        phone,
        id_number,
        status,
    )


def write_sheet(rows, *, title="网格“三长”花名册", dirty=False, seed=7):
    """An xlsx of `rows` as a street office keeps it. With `dirty`: a title row, cells of 区 to
    网格名称 merged down, phones stored as numbers, full-width digits and stray spaces in some
    cells, building numbers written three ways, a blank row, an exact duplicate row, a drop-down
    list on 政治面貌, frozen panes and a 合计 row at the end."""
    from openpyxl import Workbook
    from openpyxl.worksheet.datavalidation import DataValidation

    rng = random.Random(seed)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "花名册"
    first = 1
    if dirty:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
        first = 2
    sheet.append(HEADERS)
    header_row = first
    written = 0
    merge_from = {}
    previous = None
    rows = list(rows)
    for index, row in enumerate(rows):
        cells = row.cells()
        if dirty:
            cells = _dirty(cells, rng)
        sheet.append(cells)
        written += 1
        line = header_row + written
        if dirty:
            for col in range(5):  # 区, 街道, 社区, 网格编码, 网格名称 merged down while equal
                key = row.cells()[col]
                if previous is not None and previous.cells()[col] == key and merge_from.get(col):
                    sheet.cell(row=line, column=col + 1).value = None
                else:
                    _close_merge(sheet, merge_from, col, line - 1)
                    merge_from[col] = line
            if index == 3:
                sheet.append([])  # a blank row in the middle
                written += 1
                previous = None
                for col in list(merge_from):
                    _close_merge(sheet, merge_from, col, header_row + written - 1)
                continue
        previous = row
    if dirty:
        for col in list(merge_from):
            _close_merge(sheet, merge_from, col, header_row + written)
        if rows:
            sheet.append(rows[-1].cells())  # an exact duplicate of the last row
        sheet.append(["合计", "", "", "", "", "", "", "", f"{len(rows)}人"])
        validation = DataValidation(type="list", formula1='"中共党员,中共预备党员,共青团员,群众"', allow_blank=True)
        sheet.add_data_validation(validation)
        validation.add(f"M{header_row + 1}:M{header_row + written + 2}")
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _close_merge(sheet, merge_from, col, last_line):
    start = merge_from.pop(col, None)
    if start is not None and last_line > start:
        sheet.merge_cells(start_row=start, start_column=col + 1, end_row=last_line, end_column=col + 1)


FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _dirty(cells, rng):
    cells = list(cells)
    if cells[10] and cells[10].isdigit() and rng.random() < 0.5:
        cells[10] = int(cells[10])  # phone stored as a number
    elif cells[10] and rng.random() < 0.2:
        cells[10] = " " + cells[10].translate(FULL_WIDTH) + " "
    if cells[8] and rng.random() < 0.2:
        cells[8] = f" {cells[8]} "
    if cells[5]:
        number = cells[5].rstrip("栋")
        cells[5] = rng.choice((f"{number}栋", f"{number}号楼", f"{int(number):02d}" if number.isdigit() else cells[5]))
    if cells[11] and rng.random() < 0.1:
        cells[11] = cells[11].lower()
    return cells


def party_share(rows):
    rows = list(rows)
    party = {
        POLITICAL_STATUS_TO_CHINESE[PoliticalStatus.PARTY_MEMBER],
        POLITICAL_STATUS_TO_CHINESE[PoliticalStatus.PROBATIONARY],
    }
    return sum(r.political_status in party for r in rows) / max(1, len(rows))


def csv_bytes(rows):
    """The rows as a UTF-8 CSV sheet with the import's header."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADERS)
    for row in rows:
        writer.writerow(row.cells())
    return buffer.getvalue().encode("utf-8")


# The roster's gaps in the demo, as (share where nothing slides, added share where everything does),
# scaled by the laxity of the area (core.demo.Laxity): vacant heads, heads who are party members,
# and heads who took up their post only this quarter (the last quarter counted them as vacancies).
VACANT = {"网格长": (0.0, 0.25), "楼栋长": (0.02, 0.25), "单元长": (0.03, 0.35)}
PARTY_HEADS = (0.8, -0.45)
APPOINTED_THIS_QUARTER = (0.05, 0.25)


def share(rate, laxity):
    base, added = rate
    return base + added * laxity


def fill_demo_roster(size):
    """The roster of every grid of the demo city through the real importer, with gaps left to
    find: vacant heads, fewer party members among the heads, heads new this quarter — more of
    each in the districts, streets and communities that let things slide (core.demo.Laxity, the
    same places as the party's demo). Returns a line for the seed command to print."""
    import time

    import pghistory

    from core import importing
    from core.demo import Laxity

    from .importers import RosterImporter

    started = time.perf_counter()
    rng = random.Random(2205)
    laxity = Laxity(Area.objects.filter(level=AreaLevel.GRID).values_list("code", flat=True))
    rows = []
    for city in Area.objects.filter(parent=None).order_by("code").values_list("code", flat=True):
        rows.extend(with_gaps(roster_rows(city), laxity, rng))
    if not rows:
        return "演示区划中没有网格，未导入网格人员。"
    with pghistory.context(source="seed_demo"):
        plan = importing.execute(RosterImporter(importing.CommandLineUser()), csv_bytes(rows))
        backdate_posts(laxity, rng)
    return f"已导入 {len(plan.new)} 条网格人员任职（留有空缺以供演示），用时 {time.perf_counter() - started:.1f} 秒。"


def with_gaps(rows, laxity, rng):
    """The rows without the vacant heads; the heads' political status drawn anew, party members
    fewer where things slide."""
    party = [
        POLITICAL_STATUS_TO_CHINESE[PoliticalStatus.PARTY_MEMBER],
        POLITICAL_STATUS_TO_CHINESE[PoliticalStatus.PROBATIONARY],
    ]
    others = [
        POLITICAL_STATUS_TO_CHINESE[PoliticalStatus.LEAGUE_MEMBER],
        POLITICAL_STATUS_TO_CHINESE[PoliticalStatus.MASSES],
    ]
    for row in rows:
        if row.post not in VACANT:
            yield row
            continue
        lax = laxity(row.grid_code)
        if rng.random() < share(VACANT[row.post], lax):
            continue
        if rng.random() < share(PARTY_HEADS, lax):
            row.political_status = rng.choices(party, weights=(93, 7))[0]
        else:
            row.political_status = rng.choices(others, weights=(12, 88))[0]
        yield row


def backdate_posts(laxity, rng):
    """The importer appoints everybody today; in the demo the heads took up their posts over the
    last four years, some (more where things slide) only this quarter. One UPDATE."""
    import pgtrigger
    from django.db import connection

    from .models import HeadAssignment

    today = timezone.localdate()
    quarter = Quarter.current(today).start
    ids, days = [], []
    for pk, code in HeadAssignment.objects.filter(start_date=today).order_by("pk").values_list("pk", "area__code"):
        ids.append(pk)
        if rng.random() < share(APPOINTED_THIS_QUARTER, laxity(code)):
            days.append(quarter + datetime.timedelta(days=rng.randint(0, (today - quarter).days)))
        else:
            days.append(quarter - datetime.timedelta(days=rng.randint(1, 4 * 365)))
    # The day each took up the post, not a change anyone made: the posts' histories show none.
    with pgtrigger.ignore("grids.HeadAssignment:update_update"), connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {HeadAssignment._meta.db_table} h SET start_date = v.day
                  FROM unnest(%s::bigint[], %s::date[]) AS v(id, day) WHERE h.id = v.id""",
            [ids, days],
        )
    analyze_if_bulk(len(ids), HeadAssignment._meta.db_table)  # the statistics saw every post start today


def fill_demo_party_heads(size):
    """The heads the roster records as party members join the party branch of their grid (the same
    person by ID number): runs after the party's and the roster's demo fillers."""
    from django.db.models import F

    from party.models import PartyMember, PartyOrganisation

    from .choices import PARTY_STATUSES
    from .models import HeadAssignment

    today = timezone.localdate()

    branches = dict(PartyOrganisation.objects.filter(kind="grid_branch").values_list("area__code", "pk"))
    if not branches:
        return "没有网格党支部，未登记“三长”中的党员。"
    known = set(PartyMember.objects.exclude(id_number="").values_list("id_number", flat=True))
    members = {}
    heads = (
        HeadAssignment.objects.current()
        .filter(person__political_status__in=PARTY_STATUSES)
        .exclude(person__id_number="")
        .values_list(
            "area__code",
            "person__name",
            "person__gender",
            "person__phone",
            "person__id_number",
            "person__political_status",
        )
        .order_by(F("area__code"))
    )
    for code, name, gender, phone, number, status in heads.iterator(chunk_size=20000):
        branch = branches.get(code[:15])
        if branch is None or number in known or number in members:
            continue
        n = len(members)
        probationary = status == PoliticalStatus.PROBATIONARY
        # a probation lasts a year: a probationary head joined within the last one
        joined = (
            today - datetime.timedelta(days=30 + n * 37 % 330)
            if probationary
            else datetime.date(2000 + n % 24, 1 + n % 12, 1)
        )
        members[number] = PartyMember(
            joined_on=joined,
            full_member_on=None if probationary else joined + datetime.timedelta(days=365),
            name=name,
            gender=gender,
            phone=phone,
            id_number=number,
            status="probationary" if probationary else "full",
            organisation_id=branch,
        )
    with transaction.atomic(), tree.immediate_constraints():
        PartyMember.objects.bulk_create(members.values(), batch_size=5000)
        analyze_if_bulk(len(members), PartyMember._meta.db_table)  # the rollup looks heads up by ID number
        expect_at_past_meetings(list(members.values()), random.Random(size))
    return f"已将 {len(members)} 名身为党员的“三长”登记到所在网格党支部。"


def expect_at_past_meetings(members, rng):
    """The heads just registered were members of their branch on the days of its meetings the
    party's demo already held: each such meeting expected them (Meeting.expected_members), so
    they are marked present or absent with a reason, and its 应到 grows with them."""
    from collections import defaultdict

    import pgtrigger
    from django.db import connection

    from party.choices import AbsenceReason, MeetingKind
    from party.models import Meeting, MeetingAbsence, PartyOrganisation

    by_branch = defaultdict(list)
    for member in members:
        by_branch[member.organisation_id].append(member)
    with_committee = set(PartyOrganisation.committee.through.objects.values_list("partyorganisation_id", flat=True))
    held = (
        Meeting.objects.filter(organisation_id__in=by_branch)
        .exclude(kind=MeetingKind.COMMITTEE_MEETING, organisation_id__in=with_committee)
        .values_list("pk", "organisation_id", "held_on")
        .order_by("pk")
    )
    present, absent, grown = [], [], {}
    reasons = [AbsenceReason.WORK, AbsenceReason.WORK, AbsenceReason.ILLNESS, AbsenceReason.PERSONAL]
    for meeting, branch, day in held.iterator(chunk_size=5000):
        for member in by_branch[branch]:
            if member.joined_on > day:
                continue
            grown[meeting] = grown.get(meeting, 0) + 1
            if rng.random() < 0.85:
                present.append(Meeting.attendees.through(meeting_id=meeting, partymember_id=member.pk))
            else:
                absent.append(MeetingAbsence(meeting_id=meeting, member_id=member.pk, reason=rng.choice(reasons)))
    Meeting.attendees.through.objects.bulk_create(present, batch_size=5000)
    MeetingAbsence.objects.bulk_create(absent, batch_size=5000)
    # Not a change anyone made: the history keeps the meeting as recorded.
    with pgtrigger.ignore("party.Meeting:update_update"), connection.cursor() as cursor:
        cursor.execute(
            f"""UPDATE {Meeting._meta.db_table} m SET expected = m.expected + v.n
                  FROM unnest(%s::bigint[], %s::int[]) AS v(id, n) WHERE m.id = v.id""",
            [list(grown), list(grown.values())],
        )
