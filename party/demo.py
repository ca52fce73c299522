"""The party side of the demo city, at the seeds' proportions (issue #9):

- the geographic chain of seed 004 — 街道大工委 → 社区大党委 → 网格党支部 (one per grid, but for
  some grids) → 楼栋党小组 (one building in five) — over every street that has grids;
- members at 5–8 % of the residents of the units (about 30 residents a unit), 8 % of them
  probationary, a few flowing, one in twenty a 党员中心户 linking 10–15 households;
- the organisation life (三会一课 and the monthly party day) of the three quarters the assessment's
  demo scores, of every organisation that must hold it, some falling behind: those expected are
  the members of the day (the committee for a 支委会), the absent have their reasons;
- the 11 industry committees of Changchun (seed 000) across the districts with grids, composite
  organisations of business districts and buildings, non-public and social organisations on
  every fourth street, and a regional alliance across two streets;
- reporting units (双报到): one a street at size small with ten in-service members each, 500 at
  size city with 12,000 in-service members (seed 001), assigned to grids and the five-colour
  teams, with the services of the same three quarters, confirmed but for some of the last
  month's, which wait for the community, some members with nothing logged.

The gaps — grids without a branch, organisations behind, members with nothing logged — are more
frequent where things slide (core.demo.Laxity: the same places as the roster's gaps), so that
the assessment ranks districts, streets and communities apart. The roster's heads who are party
members join their grid's branch from the roster's own demo filler (grids/demo.py), which runs
after this one.

The demo's reporting-unit account (danwei) is made here too, on the first unit, by its own filler."""

import datetime
import random
import time

import pgtrigger
from django.db import connection, transaction
from django.utils import timezone

from core.calendar import Quarter
from core.demo import Laxity
from core.identity import with_check_character
from core.importing import analyze_if_bulk
from orgs import tree
from orgs.choices import AreaLevel
from orgs.demo import DEMO_PASSWORD, login_areas
from orgs.models import Area, User

from .choices import (
    MONTHLY,
    REQUIRED_EVERY,
    REQUIRED_MEETINGS,
    AbsenceReason,
    MeetingKind,
    MemberStatus,
    OrgKind,
    ServiceTeam,
    UnitKind,
)
from .models import (
    InServiceMember,
    Meeting,
    MeetingAbsence,
    PartyMember,
    PartyOrganisation,
    ReportingUnit,
    ServiceRecord,
    UnitRegistration,
)
from .queries import SCHEDULE_QUARTERS

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚玉萍红鹏华国志淑珍海燕春梅德永凤文博轩"
RESIDENTS_PER_UNIT = 30
GROUP_MEMBERS = 4  # the fewest members of a building group (楼栋党小组) and of its branch
INDUSTRIES = (
    "物业服务",
    "交通运输",
    "商贸流通",
    "教育",
    "卫生健康",
    "非公企业",
    "社会组织",
    "快递物流",
    "金融",
    "文化旅游",
    "住建",
)
UNIT_KINDS = (UnitKind.AGENCY, UnitKind.STATE_ENTERPRISE, UnitKind.INSTITUTION)
SERVICES = (
    "楼道清扫",
    "政策宣讲",
    "义诊",
    "帮老人买菜",
    "反诈宣传",
    "垃圾分类指导",
    "文艺演出",
    "安全巡查",
    "助学辅导",
)


class People:
    """Names, phones and ID numbers, reproducible and unique within a run."""

    def __init__(self, seed, first_phone):
        self.rng = random.Random(seed)
        self.n = 0
        self.first_phone = first_phone

    def name(self):
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2))))

    def next(self):
        """(name, gender, birth date, phone, ID number): a thousand people share each birth date,
        told apart by the sequence part of their ID numbers (GB 11643), so numbers never repeat."""
        n = self.n
        self.n += 1
        # the birth date's day is (n // 1000 + 37 × sequence) mod 18,000: a different date for each
        # of the thousand sequence numbers, and (date, sequence) → n is one to one below 18 million
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=(n // 1000 + 37 * (n % 1000)) % 18000)
        body = f"220100{born:%Y%m%d}{n % 1000:03d}"
        number = with_check_character(body)
        gender = "male" if int(body[16]) % 2 else "female"
        return self.name(), gender, born, f"1{self.first_phone}{n:09d}", number


def streets_with_grids():
    streets = (
        Area.objects.filter(level=AreaLevel.STREET, children__children__level=AreaLevel.GRID)
        .distinct()
        .order_by("code")
    )
    return list(streets)


# The party's gaps in the demo, as (share where nothing slides, added share where everything does),
# scaled by the laxity of the area (core.demo.Laxity, the same places as the roster's demo): grids
# without a branch (never a community's first grid), organisations behind on their meetings,
# in-service members with no service logged in a quarter.
NO_BRANCH = (0.0, 0.4)
BEHIND = (0.05, 0.45)
IDLE = (0.1, 0.5)


def share(rate, laxity):
    base, added = rate
    return base + added * laxity


UNIT_NAME = "长春市住房和城乡建设局"  # the demo's first reporting unit, whose account is "danwei"
UNIT_ACCOUNT = ("danwei", "周", "晓光", "13900000008")  # username, last name, first name, phone


def fill_demo_unit_account(size):
    """The demo login of the first reporting unit (双报到): no role over an area, it sees and logs
    only its own in-service members. A new account gets the demo password; an existing one is left
    as it is (its password may have been changed)."""
    username, last_name, first_name, phone = UNIT_ACCOUNT
    unit = ReportingUnit.objects.filter(name=UNIT_NAME).first()
    if unit is None:
        return f"报到单位“{UNIT_NAME}”不存在，未建立报到单位账号 {username}。"
    with transaction.atomic():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, last_name=last_name, first_name=first_name, phone=phone)
            user.set_password(DEMO_PASSWORD)
            user.full_clean(exclude=["password"])
            user.save()
        unit.users.add(user)
    return f"报到单位账号：{username}（{user.get_full_name()}），{UNIT_NAME}，管辖范围：本单位报到的在职党员。"


def fill_demo_party(size):
    started = time.perf_counter()
    rng = random.Random(2204)
    today = timezone.localdate()
    streets = streets_with_grids()
    if not streets:
        return "演示区划中没有网格，未建立党组织。"
    people = People(9, 5)
    seen_numbers = set()
    laxity = Laxity(Area.objects.filter(level=AreaLevel.GRID).values_list("code", flat=True))
    with transaction.atomic(), tree.immediate_constraints():  # no deferred queue rescanned per row
        organisations = build_organisations(streets, rng, laxity)
        members = build_members(organisations, people, seen_numbers, rng, today)
        meetings = build_meetings(organisations, rng, today, laxity)
        units, in_service, services = build_reporting(size, streets, people, seen_numbers, rng, today, laxity)
        # planned on statistics of what was written: the assessment's rollup follows in seconds
        analyze_if_bulk(
            members + meetings + in_service + services,
            *(m._meta.db_table for m in (PartyOrganisation, PartyMember, Meeting, Meeting.attendees.through)),
            MeetingAbsence._meta.db_table,
            *(m._meta.db_table for m in (InServiceMember, ServiceRecord)),
        )
    return (
        f"已建立 {organisations['count']} 个党组织、{members} 名党员、{meetings} 次组织生活、"
        f"{units} 个报到单位、{in_service} 名在职党员和 {services} 条服务记录，"
        f"用时 {time.perf_counter() - started:.1f} 秒。"
    )


def build_organisations(streets, rng, laxity):
    """The chain down every street (some grids without a branch), and the organisations beside it.
    Returns the grid branches and building groups with their units, for the members."""
    areas = {}
    for street in streets:
        areas.update(
            {
                a.code: a
                for a in Area.objects.filter(
                    code__startswith=street.code, level__in=["street", "community", "grid", "building"]
                )
                .only("id", "code", "name", "level", "parent_id")
                .order_by("code")
            }
        )
    by_id = {a.pk: a for a in areas.values()}
    units_below, units_of = {}, {}
    with connection.cursor() as cursor:  # the units of every grid and building, one query
        cursor.execute(
            f"""SELECT left(code, 15), left(code, 18), array_agg(id ORDER BY code) FROM {Area._meta.db_table}
                 WHERE level = 'unit' AND ({" OR ".join(["code LIKE %s"] * len(streets))})
                 GROUP BY 1, 2""",
            [s.code + "%" for s in streets],
        )
        for grid, building, ids in cursor.fetchall():
            units_below[grid] = units_below.get(grid, 0) + len(ids)
            units_below[building] = len(ids)
            units_of.setdefault(grid, []).extend(ids)
            units_of[building] = ids
    kinds = {"street": OrgKind.STREET_COMMITTEE, "community": OrgKind.COMMUNITY_COMMITTEE, "grid": OrgKind.GRID_BRANCH}
    suffix = {"street": "大工委", "community": "大党委", "grid": "党支部"}
    created = {}
    used = set()

    def unique(name, area):
        """Street and community names repeat across a city: the second one is told apart as people
        would, by its street's name ("前进街道文化社区大党委"), else by its code."""
        if name in used and len(area.code) > 9 and area.code[:9] in areas:
            name = areas[area.code[:9]].name + name
        if name in used:
            name = f"{name}（{area.code}）"
        used.add(name)
        return name

    for level in ("street", "community", "grid"):
        batch = []
        for area in (a for a in areas.values() if a.level == level):
            if level == "grid" and not area.code.endswith("001") and rng.random() < share(NO_BRANCH, laxity(area.code)):
                continue
            parent = created.get(area.code[: {"street": 6, "community": 9, "grid": 12}[level]])
            name = area.name + suffix[level]
            if level == "grid":
                name = areas[area.code[:12]].name + area.name + suffix[level]
            batch.append(PartyOrganisation(name=unique(name, area), kind=kinds[level], area_id=area.pk, parent=parent))
        for organisation in PartyOrganisation.objects.bulk_create(batch, batch_size=5000):
            created[by_id[organisation.area_id].code] = organisation
    groups = []
    for area in (a for a in areas.values() if a.level == "building"):
        if rng.random() < 0.2 and area.code[:15] in created:
            community = areas[area.code[:12]].name
            groups.append(
                PartyOrganisation(
                    name=unique(f"{community}{areas[area.code[:15]].name}{area.name}党小组", area),
                    kind=OrgKind.BUILDING_GROUP,
                    area_id=area.pk,
                    parent=created[area.code[:15]],
                )
            )
    groups = PartyOrganisation.objects.bulk_create(groups, batch_size=5000)
    beside = []
    districts = list(Area.objects.filter(code__in={s.code[:6] for s in streets}).order_by("code"))
    for n, industry in enumerate(INDUSTRIES):  # the districts with grids in turn
        district = districts[n % len(districts)]
        beside.append(
            PartyOrganisation(name=f"{district.name}{industry}行业党委", kind=OrgKind.INDUSTRY_COMMITTEE, area=district)
        )
    for street in streets[::4]:
        beside.append(
            PartyOrganisation(
                name=unique(f"{street.name}商圈综合党委", street),
                kind=OrgKind.COMPOSITE,
                area=street,
                parent=created[street.code],
            )
        )
        beside.append(
            PartyOrganisation(
                name=unique(f"{street.name}非公企业联合党支部", street),
                kind=OrgKind.NON_PUBLIC,
                area=street,
                parent=created[street.code],
            )
        )
        beside.append(
            PartyOrganisation(
                name=unique(f"{street.name}社会组织联合党支部", street),
                kind=OrgKind.SOCIAL_ORGANISATION,
                area=street,
                parent=created[street.code],
            )
        )
    beside = PartyOrganisation.objects.bulk_create(beside)
    for organisation in beside:
        if organisation.kind == OrgKind.INDUSTRY_COMMITTEE:
            organisation.covered_areas.set([s for s in streets if s.parent_id == organisation.area_id][:3])
    if len(streets) >= 2:
        alliance = PartyOrganisation.objects.create(
            name=f"{streets[0].name}{streets[1].name}区域党建联盟", kind=OrgKind.ALLIANCE, area=streets[0]
        )
        alliance.covered_areas.set(streets[:2])
    grids = [(o, units_below.get(code, 0)) for code, o in created.items() if o.kind == OrgKind.GRID_BRANCH]
    return {
        "units": units_of,
        "codes": {pk: a.code for pk, a in by_id.items()} | {d.pk: d.code for d in districts},
        "grids": grids,
        "groups": [(g, units_below.get(by_id[g.area_id].code, 0)) for g in groups],
        "chain": list(created.values()),
        "beside": beside,
        "count": len(created) + len(groups) + len(beside) + (1 if len(streets) >= 2 else 0),
    }


def build_members(organisations, people, seen_numbers, rng, today):
    """Members at 5–8 % of the residents of each grid's units, in the grid's branch or one of its
    building groups; a few in the chain's committees and the organisations beside it."""
    members = []

    def member(organisation, residence=None):
        name, gender, born, phone, number = people.next()
        seen_numbers.add(number)
        probationary = rng.random() < 0.08
        joined = (
            today - datetime.timedelta(days=rng.randint(30, 364))
            if probationary
            else datetime.date(
                rng.randint(max(born.year + 18, 1970), today.year - 2), rng.randint(1, 12), rng.randint(1, 28)
            )
        )
        flowing = rng.random() < 0.03
        central = rng.random() < 0.05
        return PartyMember(
            name=name,
            gender=gender,
            birth_date=born,
            ethnicity="汉族" if rng.random() < 0.93 else rng.choice(("满族", "朝鲜族", "回族", "蒙古族")),
            education=rng.choice(("bachelor", "college", "secondary", "junior", "postgraduate")),
            phone=phone,
            id_number=number,
            status=MemberStatus.PROBATIONARY if probationary else MemberStatus.FULL,
            joined_on=joined,
            full_member_on=None if probationary else joined + datetime.timedelta(days=365),
            organisation=organisation,
            is_flowing=flowing,
            flowed_to=rng.choice(("上海市浦东新区", "北京市朝阳区", "广东省深圳市", "吉林省吉林市")) if flowing else "",
            is_central_household=central,
            households_linked=rng.randint(10, 15) if central else 0,
            residence_id=residence,
        )

    groups_of = {}
    for group, _units in organisations["groups"]:
        groups_of.setdefault(group.parent_id, []).append(group)
    units_of = organisations["units"]  # area code → the units (ids) below it
    codes = organisations["codes"]
    for branch, units in organisations["grids"]:
        home = groups_of.get(branch.pk, [])
        count = max(3, round(units * RESIDENTS_PER_UNIT * rng.uniform(0.05, 0.08)))
        # The members living in a group's building belong to the group: the branch and each of its
        # groups take turns, and every group has at least GROUP_MEMBERS members.
        count = max(count, GROUP_MEMBERS * (len(home) + 1))
        for n in range(count):
            slot = n % (len(home) + 1)
            target = home[slot - 1] if slot else branch
            homes = units_of.get(codes[target.area_id], [])
            members.append(member(target, rng.choice(homes) if homes else target.area_id))
    for organisation in organisations["chain"] + organisations["beside"]:
        if organisation.kind != OrgKind.GRID_BRANCH:
            members.extend(member(organisation) for _ in range(rng.randint(5, 15)))
    created = PartyMember.objects.bulk_create(members, batch_size=5000)
    secretaries = {}
    for m in created:
        secretaries.setdefault(m.organisation_id, m.pk)
    for organisation in organisations["chain"] + organisations["beside"] + [g for g, _ in organisations["groups"]]:
        organisation.secretary_id = secretaries.get(organisation.pk)
        organisation.founded_on = datetime.date(rng.randint(1995, 2018), rng.randint(1, 12), 1)
        organisation.term_started_on = datetime.date(today.year - rng.randint(0, 4), rng.randint(1, 12), 1)
        organisation.next_election_on = organisation.term_started_on.replace(year=organisation.term_started_on.year + 5)
    # Filled in, not changed by anyone: the organisations' histories keep them as created.
    with pgtrigger.ignore("party.PartyOrganisation:update_update"):
        PartyOrganisation.objects.bulk_update(
            organisations["chain"] + organisations["beside"] + [g for g, _ in organisations["groups"]],
            ["secretary", "founded_on", "term_started_on", "next_election_on"],
            batch_size=5000,
        )
    organisations["members"] = created
    return len(created)


# The quarters of the demo's activity: every one the meeting schedule offers (the assessment's demo
# scores the last three of them, assessment/demo.py), so none of them reads as a quarter of nothing.
DEMO_QUARTERS = SCHEDULE_QUARTERS
ABSENCE_REASONS = (
    (AbsenceReason.WORK, 5),
    (AbsenceReason.ILLNESS, 2),
    (AbsenceReason.PERSONAL, 2),
    (AbsenceReason.AWAY, 1),
    (AbsenceReason.NONE, 1),
)
PLACES = ("党群服务中心会议室", "网格党群服务站", "社区活动室", "红色驿站")


def demo_start(today):
    """The first day of the earliest quarter of the demo's activity."""
    return Quarter.current(today).shifted(1 - DEMO_QUARTERS).start


def build_meetings(organisations, rng, today, laxity):
    """The meetings of the demo's quarters of every organisation that must hold them
    (REQUIRED_MEETINGS: the chain's committees and branches, the building groups, the non-public
    and social organisations), as a secretary records them: those expected are the members of the
    day (the committee for a 支委会), who came is ticked among them, the others are absent with a
    reason. Some organisations fall behind, more where things slide. A meeting of the month under
    way is held by today."""
    start = demo_start(today)
    months = []
    walker = start
    while walker <= today:
        months.append(walker)
        walker = (walker + datetime.timedelta(days=32)).replace(day=1)
    members_of = {}
    for m in organisations["members"]:
        members_of.setdefault(m.organisation_id, []).append(m)
    meetings, attendance, absences = [], [], []
    committees = PartyOrganisation.committee.through
    committee_rows = []
    reasons, weights = zip(*ABSENCE_REASONS, strict=True)
    chain = organisations["chain"] + [g for g, _units in organisations["groups"]] + organisations["beside"]
    for organisation in (o for o in chain if o.kind in REQUIRED_MEETINGS):
        behind = rng.random() < share(BEHIND, laxity(organisations["codes"][organisation.area_id]))
        required = REQUIRED_MEETINGS[organisation.kind]
        monthly = [k for k in required if REQUIRED_EVERY[k] == MONTHLY]
        quarterly = [k for k in required if REQUIRED_EVERY[k] != MONTHLY]
        members = members_of.get(organisation.pk, [])
        # The committee: the secretary (the first member) and up to four who joined before the demo.
        committee = [m for m in members if m.joined_on and m.joined_on < start][:5]
        committee_rows.extend(committees(partyorganisation_id=organisation.pk, partymember_id=m.pk) for m in committee)
        for month in months:
            held = [k for k in monthly if not (behind and rng.random() < 0.5)]
            if (month.month - 1) % Quarter.MONTHS == 1 and not behind:
                held += quarterly
            for kind in held:
                day = month + datetime.timedelta(days=rng.randint(0, min(26, (today - month).days)))
                of_the_day = [m for m in members if m.joined_on is None or m.joined_on <= day]
                expected = committee if kind == MeetingKind.COMMITTEE_MEETING and committee else of_the_day
                came = rng.sample(expected, k=round(len(expected) * rng.uniform(0.7, 0.95))) if expected else []
                present = {m.pk for m in came}
                meetings.append(
                    Meeting(
                        organisation=organisation,
                        kind=kind,
                        held_on=day,
                        place=rng.choice(PLACES),
                        host=members[0].name if members else "",
                        recorder=members[1].name if len(members) > 1 else "",
                        topic=TOPICS[kind],
                        expected=len(expected),
                    )
                )
                attendance.append(sorted(present))
                absences.append([(m.pk, rng.choices(reasons, weights)[0]) for m in expected if m.pk not in present])
    created = Meeting.objects.bulk_create(meetings, batch_size=5000)
    committees.objects.bulk_create(committee_rows, batch_size=5000)
    through = Meeting.attendees.through._meta.db_table
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {through} (meeting_id, partymember_id) FROM STDIN") as copy,
    ):
        for meeting, came in zip(created, attendance, strict=True):  # ~3 million rows at city size
            for pk in came:
                copy.write_row((meeting.pk, pk))
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {MeetingAbsence._meta.db_table} (meeting_id, member_id, reason) FROM STDIN") as copy,
    ):
        for meeting, absent in zip(created, absences, strict=True):
            for pk, reason in absent:
                copy.write_row((meeting.pk, pk, reason))
    return len(created)


TOPICS = {
    MeetingKind.GENERAL_MEETING: "讨论发展党员和年度工作",
    MeetingKind.COMMITTEE_MEETING: "研究本月网格工作",
    MeetingKind.GROUP_MEETING: "楼栋党员学习交流",
    MeetingKind.PARTY_LECTURE: "学习党的创新理论",
    MeetingKind.PARTY_DAY: "志愿服务进楼栋",
    MeetingKind.FIRST_TOPIC: "学习重要讲话精神",
}


def build_reporting(size, streets, people, seen_numbers, rng, today, laxity):
    """Reporting units registered with the communities, their in-service members and the services
    of the last and this quarter; members with nothing logged in a quarter, more where things slide.
    The first unit (the demo login danwei's) is on the demo district's first street and meets the
    demo community cadre (shequ)."""
    communities = list(Area.objects.filter(level=AreaLevel.COMMUNITY, parent__in=streets).order_by("code"))
    grids_of = {}
    for code, pk in Area.objects.filter(level=AreaLevel.GRID, parent__in=communities).values_list("code", "pk"):
        grids_of.setdefault(code[:12], []).append(pk)
    unit_count = max(2, len(streets)) if size == "small" else 500
    member_count = 10 * unit_count if size == "small" else 12_000
    logins = login_areas()
    first_street = logins["street"] if logins["street"] in streets else streets[0]
    first_community = logins["community"] if logins["community"] in communities else communities[0]
    units = [ReportingUnit(name=UNIT_NAME, kind=UnitKind.AGENCY, party_organisation_name="机关党委", area=first_street)]
    for n in range(1, unit_count):
        kind = UNIT_KINDS[n % 3]
        label = {UnitKind.AGENCY: "局", UnitKind.STATE_ENTERPRISE: "有限公司", UnitKind.INSTITUTION: "中心"}[kind]
        units.append(
            ReportingUnit(
                name=f"长春市第{n}{'机关' if kind == UnitKind.AGENCY else ''}{label}" if n > 1 else "长春市第一医院",
                kind=kind,
                party_organisation_name="党委",
                area=streets[n % len(streets)],
                contact_name=people.name(),
                contact_phone=f"1380{n:07d}",
            )
        )
    units = ReportingUnit.objects.bulk_create(units)
    registrations = []
    for n, unit in enumerate(units):
        chosen = rng.sample(communities, k=min(len(communities), 1 + n % 4))
        if n == 0:  # the demo community cadre meets the first unit, whose first members report there
            chosen = [first_community, *(c for c in chosen if c != first_community)][: len(chosen)]
        for community in chosen:
            registrations.append(
                UnitRegistration(
                    unit=unit,
                    community=community,
                    agreement="组织共建、活动共办、资源共享",
                    resources=rng.choice(("活动场地", "志愿服务队", "慰问物资", "专业咨询")),
                )
            )
    UnitRegistration.objects.bulk_create(registrations, batch_size=5000, ignore_conflicts=True)
    registered = {}
    for r in registrations:
        registered.setdefault(r.unit_id, []).append(r.community)
    members = []
    for n in range(member_count):
        unit = units[n % len(units)]
        community = registered[unit.pk][0] if n < 10 else rng.choice(registered[unit.pk])
        name, gender, _born, phone, number = people.next()
        members.append(
            InServiceMember(
                name=name,
                gender=gender,
                phone=phone,
                id_number=number,
                unit=unit,
                community=community,
                grid_id=rng.choice(grids_of.get(community.code, [None])),
                team=rng.choice(ServiceTeam.values),
                reported_on=today - datetime.timedelta(days=rng.randint(20, 900)),
            )
        )
    members = InServiceMember.objects.bulk_create(members, batch_size=5000)
    services = []
    confirming = random.Random(2205)  # its own stream: the rest of the demo stays as it was
    quarters = []
    quarter = Quarter.of(demo_start(today))
    while quarter.start <= today:
        quarters.append((quarter.start, min(today, quarter.end)))
        quarter = quarter.next()
    for member in members:
        idle = share(IDLE, laxity(member.community.code))
        for first, last in quarters:
            first = max(first, member.reported_on)
            if first > last or rng.random() < idle:
                continue  # nothing logged in the quarter: the community's list shows them
            for _ in range(rng.randint(1, 4)):
                day = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
                # Confirmed but for some of the last month's, which wait for the community.
                confirmed = (today - day).days > 30 or rng.random() < 0.6
                services.append(
                    ServiceRecord(
                        member=member,
                        served_on=day,
                        hours=rng.choice((1, 1.5, 2, 3, 4)),
                        description=rng.choice(SERVICES),
                        confirmed_at=confirmed_after(day, confirming) if confirmed else None,
                    )
                )
    ServiceRecord.objects.bulk_create(services, batch_size=5000)
    return len(units), len(members), len(services)


def confirmed_after(day, rng):
    """When the community confirmed a service of `day`: within two weeks after it, never later
    than now (not every record at the moment the demo was seeded)."""
    when = timezone.make_aware(
        datetime.datetime.combine(
            day + datetime.timedelta(days=rng.randint(1, 14)), datetime.time(9 + rng.randint(0, 8))
        )
    )
    return min(when, timezone.now())
