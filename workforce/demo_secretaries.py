"""书记项目、述职评议与街长路长巷长 in the demo city (seeds 000 and 003): every district, street and
community secretary claims 1–2 projects this year, each with 3–5 milestones across the quarters,
about one in eight late (a milestone past due and not done); about a third also completed one last
year (with its evidence); each secretary's 述职评议 of last year (30–80 voters, mostly 好 and 较好)
with last year's project attached; and 5–15 roads a street (街 / 路 / 巷), their chiefs, about one
in fourteen vacant, and the communities and grids along each. Deterministic; bulk_create."""

import datetime
import random

import pghistory
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from orgs.choices import AreaLevel
from orgs.models import Area

from .models_secretaries import (
    SECRETARY_LEVELS,
    Road,
    RoadKind,
    SecretaryMilestone,
    SecretaryProject,
    SecretaryProjectStatus,
    SecretaryReport,
)

SEED = 2021
LATE_SHARE = 0.12
VACANT_SHARE = 0.07
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "建国 海燕 志强 秀兰 明 丽 伟 静 军 敏 磊 洋 勇 艳 杰 娟 涛 超 霞 平 刚 "
    "桂英 红梅 玉兰 晓东 立新 振华 春梅 文博 思远"
).split()
PROJECTS = {
    AreaLevel.DISTRICT: (
        "“红色物业”全域覆盖工程",
        "党建引领城市基层治理示范区创建",
        "社区工作者队伍职业化建设",
        "“街长制”提质增效行动",
    ),
    AreaLevel.STREET: ("“一街一品”党建品牌培育", "老旧小区改造共建共治", "网格化服务管理提升", "“双报到”资源整合行动"),
    AreaLevel.COMMUNITY: (
        "“红色管家”楼院自治",
        "“一老一小”服务提质",
        "楼道微更新",
        "邻里议事会建设",
        "社区志愿服务“时间银行”",
    ),
}
STEPS = ("制定实施方案", "召开动员部署会", "组织实施主体工作", "开展中期评估", "总结验收", "宣传推广经验")
ROAD_WORDS = (
    "人民",
    "建设",
    "解放",
    "和平",
    "幸福",
    "光明",
    "新华",
    "胜利",
    "文化",
    "友谊",
    "东风",
    "朝阳",
    "长青",
    "松江",
    "明珠",
    "吉林",
    "前进",
    "红旗",
    "安达",
    "西安",
    "春城",
    "卫星",
    "繁荣",
    "同志",
    "延安",
    "湖西",
    "景阳",
    "硅谷",
    "永昌",
    "锦江",
)
ROAD_SUFFIX = {RoadKind.STREET: "大街", RoadKind.ROAD: "路", RoadKind.LANE: "巷"}
EVIDENCE = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def person(rng):
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def phone(rng):
    return rng.choice(("139", "138", "135", "186", "158")) + f"{rng.randrange(10**8):08d}"


def milestone_days(rng, started, ends, count):
    """`count` due days spread across the quarters between `started` and `ends`."""
    span = (ends - started).days
    return [started + datetime.timedelta(days=int(span * (i + 1) / count) - rng.randrange(0, 10)) for i in range(count)]


def this_year_projects(rng, area, secretary, year, today):
    """1–2 running (or finished) projects of `area` this year, their milestones; ~12 % late."""
    rows = []
    for index in range(rng.choice((1, 1, 2))):
        started = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(0, 60))
        ends = datetime.date(year, 12, 20)
        project = SecretaryProject(
            area_id=area["pk"],
            secretary=secretary,
            year=year,
            title=rng.choice(PROJECTS[area["level"]]) + ("" if index == 0 else "（二期）"),
            goal="围绕群众急难愁盼，年内完成既定目标并形成可复制的经验。",
            started_on=min(started, today),
            ends_on=ends,
        )
        late = rng.random() < LATE_SHARE
        steps = []
        due_days = milestone_days(rng, project.started_on, ends, rng.randint(3, 5))
        past = [day for day in due_days if day < today]
        late_step = rng.choice(past) if late and past else None
        for title, due in zip(STEPS, due_days, strict=False):
            done = None
            if due < today and due != late_step:
                done = due - datetime.timedelta(days=rng.randrange(0, 7))
            steps.append(SecretaryMilestone(title=title, due_on=due, done_on=done, note="按计划推进。" if done else ""))
        rows.append((project, steps))
    return rows


def last_year_project(rng, area, secretary, year, evidence):
    started = datetime.date(year, 2, 1)
    ends = datetime.date(year, 11, 30)
    project = SecretaryProject(
        area_id=area["pk"],
        secretary=secretary,
        year=year,
        title=rng.choice(PROJECTS[area["level"]]),
        goal="上年度书记项目，已完成验收。",
        started_on=started,
        ends_on=ends,
        status=SecretaryProjectStatus.COMPLETED,
        evidence=evidence,
        evidence_name="验收材料.pdf",
    )
    steps = [
        SecretaryMilestone(title=title, due_on=due, done_on=due, note="已完成。")
        for title, due in zip(STEPS, milestone_days(rng, started, ends, 4), strict=False)
    ]
    return project, steps


def review(rng, area, secretary, year):
    voters = rng.randint(30, 80)
    poor = rng.choice((0, 0, 0, 1))
    fair = rng.randint(0, max(1, voters // 12))
    fairly_good = rng.randint(voters // 8, voters // 3)
    good = voters - poor - fair - fairly_good
    return SecretaryReport(
        area_id=area["pk"],
        year=year,
        secretary=secretary,
        reported_on=datetime.date(year + 1, 1, rng.randint(10, 25)),
        summary="围绕年度书记项目和基层党建重点任务作述职，群众代表、党员代表现场评议。",
        voters=voters,
        good=good,
        fairly_good=fairly_good,
        fair=fair,
        poor=poor,
    )


def fill_roads(rng, today):
    """5–15 roads a street, their chiefs (~7 % vacant), and 1–4 communities or grids along each."""
    streets = list(Area.objects.filter(level=AreaLevel.STREET).order_by("code").values_list("pk", "code"))
    below = list(
        Area.objects.filter(level__in=(AreaLevel.COMMUNITY, AreaLevel.GRID)).order_by("code").values_list("pk", "code")
    )
    lengths = {len(code) for _pk, code in streets}
    under = {}
    for pk, code in below:
        for length in lengths:
            under.setdefault(code[:length], []).append(pk)
    roads, along = [], []
    for street_pk, street_code in streets:
        words = rng.sample(ROAD_WORDS, rng.randint(5, 15))
        for word in words:
            kind = rng.choice((RoadKind.STREET, RoadKind.ROAD, RoadKind.ROAD, RoadKind.LANE))
            vacant = rng.random() < VACANT_SHARE
            road = Road(
                area_id=street_pk,
                name=word + ROAD_SUFFIX[kind],
                kind=kind,
                chief_name="" if vacant else person(rng),
                chief_phone="" if vacant else phone(rng),
                chief_since=None if vacant else today - datetime.timedelta(days=rng.randrange(60, 1500)),
            )
            roads.append(road)
            choices = under.get(street_code, [])
            along.append(rng.sample(choices, min(len(choices), rng.randint(1, 4))))
    Road.objects.bulk_create(roads, batch_size=2000)
    Through = Road.along.through
    Through.objects.bulk_create(
        [Through(road_id=road.pk, area_id=area) for road, areas in zip(roads, along, strict=True) for area in areas],
        batch_size=5000,
    )
    return len(roads), sum(1 for road in roads if not road.chief_name)


def fill_demo_secretaries(size):
    """seed_demo's filler (core.registry). Returns the line the command prints."""
    if SecretaryProject.objects.exists() or Road.objects.exists():
        return "书记项目与街路巷已存在，未重复生成。"
    rng = random.Random(SEED)
    today = timezone.localdate()
    year = today.year
    areas = list(Area.objects.filter(level__in=SECRETARY_LEVELS).order_by("code").values("pk", "code", "level"))
    if not areas:
        return "演示区划中没有区、街道和社区，未生成书记项目。"
    with pghistory.context(source="seed_demo"), transaction.atomic():
        evidence = default_storage.save(f"workforce/secretaries/{year - 1}/验收材料.pdf", ContentFile(EVIDENCE))
        projects, steps, reports, last_year = [], [], [], {}
        for area in areas:
            secretary = person(rng)
            for project, its_steps in this_year_projects(rng, area, secretary, year, today):
                projects.append(project)
                steps.append(its_steps)
            if rng.random() < 0.35:
                project, its_steps = last_year_project(rng, area, secretary, year - 1, evidence)
                projects.append(project)
                steps.append(its_steps)
                last_year[area["pk"]] = project
            reports.append(review(rng, area, secretary, year - 1))
        SecretaryProject.objects.bulk_create(projects, batch_size=2000)
        milestones = []
        for project, its_steps in zip(projects, steps, strict=True):
            for step in its_steps:
                step.project_id = project.pk
                milestones.append(step)
        SecretaryMilestone.objects.bulk_create(milestones, batch_size=5000)
        SecretaryReport.objects.bulk_create(reports, batch_size=2000)
        Through = SecretaryReport.projects.through
        Through.objects.bulk_create(
            [
                Through(secretaryreport_id=report.pk, secretaryproject_id=last_year[report.area_id].pk)
                for report in reports
                if report.area_id in last_year
            ],
            batch_size=5000,
        )
        roads, vacant = fill_roads(rng, today)
    return (
        f"书记项目 {len(projects)} 个（节点 {len(milestones)} 个），述职评议 {len(reports)} 份；"
        f"街路巷 {roads} 条，其中空缺 {vacant} 条。"
    )
