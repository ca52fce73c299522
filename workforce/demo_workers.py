"""社区工作者's part of the demo city (seeds 003 and 004): for each filled community 8–15 workers — as
many as the staffing standard (3 per 1,000 households) asks of its compounds' households, give or take,
so that some communities fall short — one 社区党组织书记, a few 两委成员 and 专职网格员, the rest 其他;
each on the ladder (三岗十八级), with promotions since they were hired, a training record every
quarter (some short of the hours), 40–60 % of a community certified (a few certificates expiring
within 90 days) and last year's 一定双评 ratings.

The secretary is a party member of the community's organisation (the party register's ID number) who
rose from 专职网格员 through 两委; one 两委 member is a grid worker of the roster (the roster's ID
number), so that the worker's page shows one career across the apps (seed 004). Deterministic
(seeded random), written with bulk_create."""

import datetime
import random
from decimal import Decimal

import pghistory
from django.db import transaction
from django.utils import timezone

from core.identity import with_check_character
from grids.models import HeadAssignment
from orgs.choices import AreaLevel
from orgs.models import Area
from party.models import PartyMember

from .indicators_workers import households
from .models_workers import (
    Certificate,
    CertificateLevel,
    ChangeKind,
    Education,
    Rating,
    TrainingRecord,
    Worker,
    WorkerChange,
    WorkerPost,
    WorkerRating,
    ladder,
    required_workers,
)

SEED = 2021
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红梅琳雪丹晨宇欣怡"
SUBJECTS = (
    "基层党建业务培训",
    "社区治理能力提升班",
    "网格化服务管理实务",
    "社会工作专业知识",
    "矛盾纠纷调解实务",
    "应急管理与安全生产",
    "政策法规学习",
)
GRID_POST = "grid_worker"  # grids.choices.Post.GRID_WORKER (workforce reads grids' models only)


def make_name(rng):
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _n in range(rng.choice((1, 2))))


class Numbers:
    """Distinct made-up ID numbers for the workers not found in the roster or the party register."""

    def __init__(self, rng, taken):
        self.rng, self.taken = rng, set(taken)

    def __call__(self, region, born_from=1968, born_to=2000):
        rng = self.rng
        while True:
            birth = f"{rng.randint(born_from, born_to)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
            number = with_check_character(f"{region}{birth}{rng.randint(500, 999):03d}")
            if number not in self.taken:
                self.taken.add(number)
                return number


def grade_in(code, category, rng, low_share=0.0, high_share=0.6):
    low, high = ladder(code)["categories"][category]["grades"]
    span = high - low
    return rng.randint(low + int(span * low_share), low + int(span * high_share))


def fill_demo_workers(size):
    """seed_demo's filler (core.registry). Returns the line the command prints."""
    rng = random.Random(SEED)
    today = timezone.localdate()
    communities = list(
        Area.objects.filter(level=AreaLevel.COMMUNITY, children__level=AreaLevel.GRID).distinct().order_by("code")
    )
    if not communities:
        return "演示区划中没有社区，未建立社区工作者。"
    if Worker.objects.exists():
        return "社区工作者已存在，未重复建立。"
    weights = households()
    # One party member of each community's organisations (the secretary-to-be), one grid worker of
    # each community's roster (the 两委 member who was a grid worker): one query each.
    members = {
        row["organisation__area_id"]: row
        for row in PartyMember.objects.filter(organisation__area__level=AreaLevel.COMMUNITY)
        .exclude(id_number="")
        .order_by("organisation__area_id", "pk")
        .distinct("organisation__area_id")
        .values("organisation__area_id", "id_number", "name", "gender", "phone", "joined_on")
    }
    grid_workers = {
        row["area__parent_id"]: row
        for row in HeadAssignment.objects.filter(post=GRID_POST, area__level=AreaLevel.GRID)
        .exclude(person__id_number="")
        .order_by("area__parent_id", "start_date", "pk")
        .distinct("area__parent_id")
        .values("area__parent_id", "person__id_number", "person__name", "person__gender", "person__phone", "start_date")
    }
    taken = {m["id_number"] for m in members.values()} | {g["person__id_number"] for g in grid_workers.values()}
    numbers = Numbers(rng, taken)
    workers, histories = [], []  # histories: [(worker, [(date, kind, post, category, grade, reason)])]
    for community in communities:
        code = community.code
        needed = required_workers(weights.get(community.pk, 0), code) if weights.get(community.pk) else 12
        count = max(8, min(15, needed + rng.choice((-3, -2, -1, 0, 0, 1, 2))))
        posts = [WorkerPost.SECRETARY] + [WorkerPost.COMMITTEE] * rng.randint(2, 4)
        posts += [WorkerPost.GRID] * rng.randint(3, 6)
        posts += [WorkerPost.OTHER] * max(count - len(posts), 0)
        for index, post in enumerate(posts[:count]):
            person = {"name": make_name(rng), "gender": "", "phone": f"13{rng.randint(100000000, 999999999)}"}
            hired = datetime.date(rng.randint(2008, today.year - 1), rng.randint(1, 12), rng.randint(1, 28))
            steps = []
            if post == WorkerPost.SECRETARY:
                member = members.get(community.pk)
                if member:
                    person = {"name": member["name"], "gender": member["gender"], "phone": member["phone"] or ""}
                    number = member["id_number"]
                else:
                    number = numbers(code[:6], 1970, 1990)
                # seed 004's chain: 专职网格员 → 两委 → 书记
                hired = datetime.date(rng.randint(2008, 2013), rng.randint(1, 12), rng.randint(1, 28))
                start = (WorkerPost.GRID, "member", grade_in(code, "member", rng, 0.1, 0.3))
                to_committee = hired.replace(year=hired.year + rng.randint(3, 5))
                to_secretary = to_committee.replace(year=to_committee.year + rng.randint(3, 5))
                steps = [
                    (
                        to_committee,
                        ChangeKind.POST,
                        WorkerPost.COMMITTEE,
                        "deputy",
                        grade_in(code, "deputy", rng, 0.2, 0.4),
                        "换届当选社区两委成员",
                    ),
                    (
                        to_secretary,
                        ChangeKind.POST,
                        WorkerPost.SECRETARY,
                        "principal",
                        grade_in(code, "principal", rng, 0.2, 0.5),
                        "换届当选社区党组织书记",
                    ),
                ]
            elif post == WorkerPost.COMMITTEE and index == 1 and grid_workers.get(community.pk):
                row = grid_workers[community.pk]
                person = {
                    "name": row["person__name"],
                    "gender": row["person__gender"],
                    "phone": row["person__phone"] or "",
                }
                number = row["person__id_number"]
                hired = row["start_date"]
                start = (WorkerPost.GRID, "member", grade_in(code, "member", rng, 0.1, 0.3))
                moved = max(hired.replace(year=hired.year + rng.randint(2, 3)), hired + datetime.timedelta(days=400))
                if moved < today:
                    steps = [
                        (
                            moved,
                            ChangeKind.POST,
                            WorkerPost.COMMITTEE,
                            "deputy",
                            grade_in(code, "deputy", rng, 0.1, 0.3),
                            "换届当选社区两委成员",
                        )
                    ]
                else:
                    start = (WorkerPost.COMMITTEE, "deputy", grade_in(code, "deputy", rng, 0.1, 0.3))
            else:
                number = numbers(code[:6])
                category = {WorkerPost.COMMITTEE: "deputy"}.get(post, "member")
                start = (post, category, grade_in(code, category, rng, 0.0, 0.3))
                if hired.year <= today.year - 3 and rng.random() < 0.7:  # a promotion (晋级) every few years
                    when = hired.replace(year=hired.year + rng.randint(2, 3))
                    low, high = ladder(code)["categories"][category]["grades"]
                    steps = [
                        (
                            when,
                            ChangeKind.PROMOTION,
                            post,
                            category,
                            min(start[2] + rng.randint(1, 2), high),
                            "年度考核优秀晋级",
                        )
                    ]
            steps = [s for s in steps if s[0] < today]
            post_now, category_now, grade_now = (steps[-1][2:5]) if steps else start
            worker = Worker(
                area=community,
                name=person["name"],
                gender=person["gender"] or ("male" if int(number[16]) % 2 else "female"),
                id_number=number,
                phone=person["phone"],
                education=rng.choices(Education.values, weights=(5, 45, 35, 13, 2))[0],
                post=post_now,
                category=category_now,
                grade=grade_now,
                hired_on=hired,
                birth_date=datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14])),
            )
            workers.append(worker)
            histories.append((worker, start, steps))
    with pghistory.context(source="seed_demo"), transaction.atomic():
        Worker.objects.bulk_create(workers)
        changes, trainings, certificates, ratings = [], [], [], []
        for worker, start, steps in histories:
            before = start
            for when, kind, post, category, grade, reason in steps:
                changes.append(
                    WorkerChange(
                        worker=worker,
                        changed_on=when,
                        kind=kind,
                        post_before=before[0],
                        category_before=before[1],
                        grade_before=before[2],
                        post=post,
                        category=category,
                        grade=grade,
                        reason=reason,
                    )
                )
                before = (post, category, grade)
        for community in communities:
            share = rng.uniform(0.4, 0.6)
            for worker in (w for w in workers if w.area_id == community.pk):
                for year in (today.year - 1, today.year):
                    for quarter in range(4):
                        day = datetime.date(year, quarter * 3 + rng.randint(1, 3), rng.randint(1, 28))
                        if day > today:
                            break
                        hours = Decimal(rng.choice((8, 10, 12, 12, 14, 16, 16)))  # 48 学时 a year, give or take
                        trainings.append(
                            TrainingRecord(worker=worker, trained_on=day, hours=hours, subject=rng.choice(SUBJECTS))
                        )
                if rng.random() < share:
                    level = rng.choices(CertificateLevel.values, weights=(70, 25, 5))[0]
                    obtained = datetime.date(rng.randint(2012, today.year - 1), rng.randint(1, 12), rng.randint(1, 28))
                    expires = today + datetime.timedelta(days=rng.randint(5, 85)) if rng.random() < 0.06 else None
                    certificates.append(
                        Certificate(
                            worker=worker,
                            level=level,
                            number=f"{obtained.year}{community.code[-6:]}{len(certificates):05d}",
                            obtained_on=obtained,
                            expires_on=expires,
                        )
                    )
                if worker.hired_on.year < today.year - 1:
                    rating = rng.choices(Rating.values, weights=(15, 75, 8, 2))[0]
                    ratings.append(WorkerRating(worker=worker, year=today.year - 1, rating=rating))
        WorkerChange.objects.bulk_create(changes)
        TrainingRecord.objects.bulk_create(trainings)
        Certificate.objects.bulk_create(certificates)
        WorkerRating.objects.bulk_create(ratings)
    return (
        f"社区工作者：{len(workers)} 人（{len(communities)} 个社区），岗位等级变动 {len(changes)} 条，"
        f"培训记录 {len(trainings)} 条，证书 {len(certificates)} 本，年度评定 {len(ratings)} 条。"
    )
