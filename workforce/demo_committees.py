"""社区两委's part of the demo city (seeds 000–004): every demo community's party committee and
residents' committee with the term of the 2021 换届 (due again in 2026: the elections-due tile has
work) and the term of 2016 before it, 5–7 members each; the party secretary is the director in
about nine communities in ten (一肩挑), 30–50% of the party committee sit on both (交叉任职),
40–50% women, and the 2021 terms younger and better schooled than the 2016 ones. Where the party's
demo gave the community's party organisation a secretary, that person (name and ID number) is the
书记: one person, one history. A few 名书记工作室 with a session every quarter, and their 1+10 pairs.
Deterministic (seeded random); written with bulk_create."""

import datetime
import random

import pghistory
from django.db import transaction

from core.calendar import Quarter
from core.identity import birth_date_from_id, gender_from_id, with_check_character
from orgs.choices import AreaLevel
from orgs.models import Area
from party.choices import Education, OrgKind
from party.models import PartyOrganisation

from .models_committees import (
    Committee,
    CommitteeMember,
    CommitteeTerm,
    MentorPair,
    MentorStudio,
    Post,
    StudioSession,
    term_end,
)

SEED = 2021
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = (
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "玉兰",
    "海燕",
    "志强",
    "晓东",
    "春梅",
    "红梅",
    "国庆",
    "丹",
    "萍",
    "鹏",
    "华",
    "亮",
    "婷",
    "雪",
    "琳",
)
TOPICS = (
    "社区治理难题会诊",
    "换届后新任书记履职培训",
    "网格化服务经验交流",
    "党建引领物业管理案例研讨",
    "群众工作方法分享",
    "“四岗十八级”职业发展座谈",
)
# The 2016 and 2021 terms' people: (share under 35, share of college, birth years of the others)
PROFILE = {2016: (0.10, 0.55, (1958, 1983)), 2021: (0.28, 0.82, (1966, 1988))}
ONE_SHOULDER = 0.92
COMMUNITY_KINDS = (OrgKind.COMMUNITY_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


class People:
    """Made-up people of a community: a name and a valid ID number of the community's district,
    each with a gender, birth date and education."""

    def __init__(self, rng, area, profile_year):
        self.rng, self.prefix, self.year = rng, (area.code[:6] + "000000")[:6], profile_year
        self.serial = 0

    def make(self, *, woman=None, young=None, college=None, year=None):
        rng = self.rng
        young_share, college_share, (first, last) = PROFILE[year or self.year]
        woman = rng.random() < 0.46 if woman is None else woman
        young = rng.random() < young_share if young is None else young
        elected = 2021 if (year or self.year) == 2021 else 2016
        born = rng.randint(elected - 34, elected - 26) if young else rng.randint(first, min(last, elected - 36))
        self.serial += 1
        sequence = (self.serial * 2 + (0 if woman else 1)) % 1000
        body = f"{self.prefix}{born}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{sequence:03d}"
        schooled = rng.random() < college_share if college is None else college
        education = (
            rng.choice((Education.COLLEGE, Education.BACHELOR, Education.BACHELOR, Education.POSTGRADUATE))
            if schooled
            else rng.choice((Education.SECONDARY, Education.SECONDARY, Education.JUNIOR))
        )
        name = rng.choice(SURNAMES) + rng.choice(GIVEN)
        return {"name": name, "id_number": with_check_character(body), "education": education}


def person_of(member):
    return {"name": member.name, "id_number": member.id_number, "education": ""}


def secretaries_by_area(communities):
    """{community id: (name, ID number)} of the party demo's community organisations' secretaries."""
    found = {}
    rows = (
        PartyOrganisation.objects.filter(area__in=communities, kind__in=COMMUNITY_KINDS, secretary__isnull=False)
        .exclude(secretary__id_number="")
        .order_by("area_id", "kind", "pk")
        .values_list("area_id", "kind", "secretary__name", "secretary__id_number")
    )
    rank = {kind: n for n, kind in enumerate(COMMUNITY_KINDS)}
    for area_id, kind, name, id_number in rows:
        if area_id not in found or rank[kind] < found[area_id][0]:
            found[area_id] = (rank[kind], name, id_number)
    return {area_id: (name, id_number) for area_id, (_r, name, id_number) in found.items()}


def member(term, person, post, rng):
    gender = gender_from_id(person["id_number"])
    return CommitteeMember(
        term=term,
        area_id=term.area_id,
        name=person["name"],
        id_number=person["id_number"],
        gender=gender,
        birth_date=birth_date_from_id(person["id_number"]),
        education=person["education"] or rng.choice((Education.BACHELOR, Education.COLLEGE)),
        post=post,
        started_on=term.elected_on,
    )


def committee_pair(rng, people, party_term, residents_term, secretary, year):
    """The members of a community's two terms of one election: the secretary (the director too in
    most communities), the party committee and the residents' committee sharing 30–50% of the
    party committee's members."""
    party_size, residents_size = rng.randint(5, 7), rng.randint(5, 7)
    one_shoulder = rng.random() < ONE_SHOULDER
    party_people = [secretary] + [people.make(year=year) for _ in range(party_size - 1)]
    shared = max(2, round(party_size * rng.uniform(0.3, 0.5)))  # the secretary counted where 一肩挑
    crossing = party_people[:shared] if one_shoulder else party_people[1 : shared + 1]
    crossing = crossing[:residents_size]
    director = secretary if one_shoulder else people.make(year=year)
    others = [p for p in crossing if p is not director]
    residents_people = [director] + others
    while len(residents_people) < residents_size:
        residents_people.append(people.make(year=year))
    rows = [member(party_term, party_people[0], Post.SECRETARY, rng)]
    rows.append(member(party_term, party_people[1], Post.DEPUTY_SECRETARY, rng))
    rows += [member(party_term, p, Post.MEMBER, rng) for p in party_people[2:]]
    rows.append(member(residents_term, residents_people[0], Post.DIRECTOR, rng))
    rows.append(member(residents_term, residents_people[1], Post.DEPUTY_DIRECTOR, rng))
    rows += [member(residents_term, p, Post.MEMBER, rng) for p in residents_people[2:]]
    return rows


def fill_demo_committees(size):
    """seed_demo's filler (core.registry). Returns the line the command prints."""
    rng = random.Random(SEED)
    communities = list(
        Area.objects.filter(level=AreaLevel.COMMUNITY, children__level=AreaLevel.GRID).distinct().order_by("code")
    )
    if not communities:
        return "演示区划中没有社区，未建立两委班子。"
    secretaries = secretaries_by_area(communities)
    terms, plans = [], []
    for community in communities:
        elected = {
            2016: datetime.date(2016, rng.randint(5, 9), rng.randint(1, 28)),
            2021: datetime.date(2021, rng.randint(5, 11), rng.randint(1, 28)),
        }
        pair = {}
        for year, number in ((2016, 9), (2021, 10)):
            for committee in Committee.values:
                day = elected[year] + datetime.timedelta(days=0 if committee == Committee.PARTY else rng.randint(7, 30))
                if year == 2016:
                    end = elected[2021] - datetime.timedelta(days=1)
                else:
                    end = term_end(day)
                pair[(year, committee)] = CommitteeTerm(
                    area=community, committee=committee, number=number, elected_on=day, ends_on=end
                )
        terms.extend(pair.values())
        plans.append((community, pair))
    with pghistory.context(source="seed_demo"), transaction.atomic():
        CommitteeTerm.objects.bulk_create(terms, batch_size=5000)
        members, current_secretaries = [], {}
        for community, pair in plans:
            people = People(rng, community, 2021)
            known = secretaries.get(community.pk)
            secretary_now = (
                {"name": known[0], "id_number": known[1], "education": ""} if known else people.make(year=2021)
            )
            # The 2016 secretary: the same person in half the communities, an older one elsewhere.
            secretary_then = secretary_now if rng.random() < 0.5 else people.make(year=2016, young=False)
            for year, secretary in ((2016, secretary_then), (2021, secretary_now)):
                members += committee_pair(
                    rng, people, pair[(year, Committee.PARTY)], pair[(year, Committee.RESIDENTS)], secretary, year
                )
            current_secretaries[community.pk] = (community, secretary_now)
        CommitteeMember.objects.bulk_create(members, batch_size=5000)
        studios, sessions, pairs = mentoring(rng, communities, current_secretaries)
    return (
        f"两委班子 {len(terms)} 届（{len(communities)} 个社区 × 2 个班子 × 2 届），成员 {len(members)} 人次；"
        f"名书记工作室 {studios} 个（活动 {sessions} 次），1+10 传帮带 {pairs} 对。"
    )


DEMO_STREET = "220104001"  # the demo logins "jiedao"'s and "shequ"'s street


def mentoring(rng, communities, secretaries):
    """A 名书记工作室 in about one street in three (its senior secretary's, at the street), a session every
    quarter since it was founded, and its 1+10 pairs with the street's other secretaries."""
    by_street = {}
    for community in communities:
        by_street.setdefault(community.parent_id, []).append(community)
    today = datetime.date.today()
    studios, chosen = [], []
    demo = Area.objects.filter(code=DEMO_STREET).first()  # the demo logins' street has one as well
    for n, (street_id, members) in enumerate(sorted(by_street.items())):
        if (n % 3 and (demo is None or street_id != demo.pk)) or len(members) < 2:
            continue
        mentor_area = members[0]
        _area, person = secretaries[mentor_area.pk]
        founded = datetime.date(rng.choice((2021, 2022, 2023)), rng.choice((3, 6, 9)), 1)
        studios.append(
            MentorStudio(
                area_id=street_id,
                name=f"{person['name']}名书记工作室",
                secretary_name=person["name"],
                id_number=person["id_number"],
                founded_on=founded,
            )
        )
        chosen.append((mentor_area, person, members[1:11]))
    MentorStudio.objects.bulk_create(studios)
    sessions, pairs = [], []
    for studio, (mentor_area, person, mentees) in zip(studios, chosen, strict=True):
        quarter = Quarter.of(studio.founded_on)
        while quarter.start <= today:
            # the founding quarter's session is on or after the founding day (founded on the 1st of
            # a quarter's last month, a day drawn from the quarter's start could fall before it)
            day = min(max(quarter.start + datetime.timedelta(days=rng.randint(10, 60)), studio.founded_on), today)
            sessions.append(
                StudioSession(
                    studio=studio,
                    area_id=studio.area_id,
                    held_on=day,
                    topic=rng.choice(TOPICS),
                    attendees=rng.randint(8, 25),
                )
            )
            quarter = Quarter.of(quarter.end + datetime.timedelta(days=1))
        for mentee_area in mentees:
            _a, mentee = secretaries[mentee_area.pk]
            if mentee["id_number"] == person["id_number"]:
                continue
            pairs.append(
                MentorPair(
                    area=mentee_area,
                    mentor_name=person["name"],
                    mentor_id_number=person["id_number"],
                    mentor_area=mentor_area,
                    mentee_name=mentee["name"],
                    mentee_id_number=mentee["id_number"],
                    started_on=studio.founded_on,
                )
            )
    StudioSession.objects.bulk_create(sessions, batch_size=5000)
    MentorPair.objects.bulk_create(pairs, batch_size=5000)
    return len(studios), len(sessions), len(pairs)
