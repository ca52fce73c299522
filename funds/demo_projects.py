"""双向认领's part of the demo city (seeds 004 and 001): a year of demands posted by every filled
community and its grids — about seven in ten claimed within days (a few after weeks), one in ten
closed unclaimed, the rest open, some past FUNDS_UNCLAIMED_DAYS — claimed by the reporting units
registered there, the community's party organisation or a 五彩 team; the units' resources for their
streets, claimed part by part by the communities; the projects they made, most closed with their
report, some stopped, some running and a few late, each with its milestones. The demo's unit
account (danwei, 长春市住房和城乡建设局) has demands open to it and owns a running project, to which
its members' service records are counted. Deterministic; written with bulk_create."""

import datetime
import random
import time
from decimal import Decimal

import pghistory
from django.db import transaction
from django.utils import timezone

from orgs.choices import AreaLevel
from orgs.models import Area
from party.models import PartyOrganisation, ReportingUnit, ServiceRecord, UnitRegistration

from .models import ClaimKind, Project, ProjectStatus, ProviderKind
from .models_projects import (
    Demand,
    DemandStatus,
    ProjectMilestone,
    ProjectService,
    Resource,
    ResourceStatus,
    Urgency,
)

SEED = 2020
UNIT_NAME = "长春市住房和城乡建设局"  # party's demo unit, whose account is danwei (party/demo.py)
NEEDS = (
    ("独居老人助餐送餐", "每日午餐送餐上门，需志愿者轮值"),
    ("楼道照明维修", "老旧楼栋楼道灯损坏，夜间出行不便"),
    ("儿童课后托管", "双职工家庭放学后无人看护"),
    ("健康义诊进社区", "老年居民慢病随访、血压血糖检测"),
    ("防诈骗宣传", "老年人近期接到多起诈骗电话"),
    ("无障碍坡道改造", "单元门口台阶，轮椅无法通行"),
    ("困难家庭助学", "低保家庭子女学习用品与辅导"),
    ("小区垃圾分类督导", "垃圾投放点缺少督导员"),
    ("法律咨询服务", "居民遗产、租赁纠纷咨询"),
    ("空巢老人心理陪伴", "定期上门陪伴聊天"),
)
OFFERS = (
    ("志愿维修服务", "水电、门窗小修，每次两人", "人次"),
    ("健康义诊", "全科医生与护士各一名", "场"),
    ("法律咨询", "律师坐班答疑", "小时"),
    ("活动场地", "单位会议室周末开放", "次"),
    ("政策宣讲", "住房、社保政策讲解", "场"),
)
STEPS = ("对接需求、制定方案", "组织志愿者实施", "回访居民、总结")
PER_COMMUNITY = {"small": 12, "city": 4}  # a year's demands of a community and its grids


def fill_demo_projects(size):
    """seed_demo's filler (core.registry). Returns the line the command prints."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    today = timezone.localdate()
    communities = list(
        Area.objects.filter(level=AreaLevel.COMMUNITY, children__level=AreaLevel.GRID)
        .distinct()
        .select_related("parent")
        .order_by("code")
    )
    if not communities:
        return "演示区划中没有社区，未生成需求与项目。"
    grids_of = {}
    for grid in Area.objects.filter(level=AreaLevel.GRID, parent__in=communities).order_by("code"):
        grids_of.setdefault(grid.parent_id, []).append(grid)
    units_of = {}
    for registration in UnitRegistration.objects.filter(community__in=communities).select_related("unit"):
        units_of.setdefault(registration.community_id, []).append(registration.unit)
    organisations = {o.area_id: o for o in PartyOrganisation.objects.filter(area__in=communities).order_by("pk")}
    own_unit = ReportingUnit.objects.filter(name=UNIT_NAME).first()
    with pghistory.context(source="seed_demo"), transaction.atomic():
        demands, projects = build_demands(communities, grids_of, units_of, organisations, own_unit, rng, today, size)
        resources, claimed = build_resources(communities, units_of, rng, today)
        projects += claimed
        Project.objects.bulk_create(projects, batch_size=2000)
        build_milestones(projects, rng, today)
        counted = count_services(projects, rng, today)
    closed = sum(1 for p in projects if p.status == ProjectStatus.CLOSED)
    taken = sum(1 for d in demands if d.status == DemandStatus.CLAIMED)
    return (
        f"需求与项目：需求 {len(demands)} 条（已认领 {taken}），资源 {len(resources)} 项，"
        f"项目 {len(projects)} 个（已结项 {closed}），计入项目的服务记录 {counted} 条，"
        f"用时 {time.perf_counter() - started:.1f} 秒。"
    )


def moment(day, rng):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8 + rng.randint(0, 9), rng.randint(0, 59))))


def provider_for(project, community, units_of, organisations, rng, unit=None):
    """Who serves a claimed demand: a unit registered there (half), the community's party
    organisation, or a 五彩 team."""
    units = units_of.get(community.pk, [])
    roll = rng.random()
    if unit is not None or (units and roll < 0.55):
        chosen = unit or rng.choice(units)
        project.provider_kind, project.unit, project.provider_label = ProviderKind.UNIT, chosen, chosen.name
    elif community.pk in organisations and roll < 0.8:
        organisation = organisations[community.pk]
        project.provider_kind, project.organisation = ProviderKind.ORGANISATION, organisation
        project.provider_label = organisation.name
    else:
        team = rng.choice(("red", "green", "blue", "white", "gold"))
        project.provider_kind, project.team = ProviderKind.TEAM, team
        project.provider_label = f"{community.name}{project.get_team_display()}志愿服务队"
    return project


def settle(project, rng, today):
    """A project's course: most of those due closed with their report, some stopped, some late."""
    if project.due_on is not None and project.due_on < today:
        roll = rng.random()
        if roll < 0.82:
            project.status = ProjectStatus.CLOSED
            project.closed_on = min(today, project.due_on + datetime.timedelta(days=rng.randint(-10, 5)))
            project.closed_on = max(project.closed_on, project.started_on)
            project.report = "按计划完成，居民满意。"
        elif roll < 0.88:
            project.status, project.reason = ProjectStatus.STOPPED, "居民需求变化，经双方协商终止。"
        # else: still running, past its due date (late)
    return project


def posters_of(demands):
    """Who posted a demand, where the demo has an account: the grid's worker, else the community's
    cadre (the demo's logins); {area code: user id}."""
    from orgs.choices import Role
    from orgs.models import RoleAssignment

    codes = {demand.area.code for demand in demands}
    codes |= {code[:-3] for code in codes}  # a grid's community
    posters = {}
    for code, role, user in RoleAssignment.objects.filter(
        area__code__in=codes, role__in=(Role.GRID_WORKER, Role.COMMUNITY_CADRE)
    ).values_list("area__code", "role", "user"):
        if role == Role.GRID_WORKER or code not in posters:
            posters[code] = user
    return {
        code: posters.get(code) or posters.get(code[:-3])
        for code in {demand.area.code for demand in demands}
        if posters.get(code) or posters.get(code[:-3])
    }


def build_demands(communities, grids_of, units_of, organisations, own_unit, rng, today, size):
    demands, plans = [], []
    per = PER_COMMUNITY.get(size, PER_COMMUNITY["small"])
    own_communities = set(own_unit.registrations.values_list("community_id", flat=True)) if own_unit else set()
    for community in communities:
        places = [community, *grids_of.get(community.pk, [])]
        for n in range(per):
            title, description = NEEDS[rng.randrange(len(NEEDS))]
            posted = today - datetime.timedelta(days=rng.randint(0, 364))
            roll = rng.random()
            demand = Demand(
                area=rng.choice(places),
                title=title,
                description=description,
                urgency=rng.choice((Urgency.NORMAL, Urgency.NORMAL, Urgency.URGENT, Urgency.CRITICAL)),
                people=rng.randint(3, 60),
                posted_at=moment(posted, rng),
            )
            own = own_unit is not None and community.pk in own_communities and n < 3
            if own and n < 2:  # the unit's account finds demands open to it: one fresh, one waiting long
                demand.posted_at = moment(today - datetime.timedelta(days=(2, 20)[n]), rng)
            elif roll < 0.7 or own:
                wait = rng.randint(0, 6) if rng.random() < 0.8 else rng.randint(7, 40)
                claimed_on = min(today, posted + datetime.timedelta(days=wait))
                demand.status, demand.claimed_at = DemandStatus.CLAIMED, moment(claimed_on, rng)
                if own:  # the unit's own running project, begun two months ago
                    demand.posted_at = moment(today - datetime.timedelta(days=62), rng)
                    demand.claimed_at = moment(today - datetime.timedelta(days=60), rng)
                plans.append((demand, community, own))
            elif roll < 0.8:
                demand.status, demand.reason = DemandStatus.CLOSED, "已通过其他渠道解决。"
            elif (today - posted).days > 60:  # none waits for months: the community settles it otherwise
                demand.status, demand.reason = DemandStatus.CLOSED, "长期无人认领，社区已协调其他力量解决。"
            demands.append(demand)
    posters = posters_of(demands)
    for demand in demands:
        demand.posted_by_id = posters.get(demand.area.code)
    Demand.objects.bulk_create(demands, batch_size=2000)
    accounts = dict(
        ReportingUnit.users.through.objects.order_by("-user_id").values_list("reportingunit_id", "user_id")
    )
    projects = []
    for demand, community, own in plans:
        begun = timezone.localdate(demand.claimed_at)
        project = Project(
            area=demand.area,
            title=demand.title,
            description=demand.description,
            started_on=begun,
            due_on=begun + datetime.timedelta(days=120 if own else rng.randint(20, 90)),
            demand=demand,
            claim_kind=ClaimKind.DEMAND,
        )
        provider_for(project, community, units_of, organisations, rng, unit=own_unit if own else None)
        # who clicked 认领: the unit's own account where it has one, else the cadre who posted the
        # demand and recorded the claim for the party organisation or the team
        project.claimed_by_id = accounts.get(project.unit_id) or demand.posted_by_id
        projects.append(project if own else settle(project, rng, today))
    return demands, projects


def build_resources(communities, units_of, rng, today):
    """Each unit offers a resource to the street of a community it registered with; the
    communities of that street claim it part by part."""
    by_street = {}
    for community in communities:
        by_street.setdefault(community.parent_id, []).append(community)
    offered, seen = [], set()
    for community in communities:
        for unit in units_of.get(community.pk, []):
            if (unit.pk, community.parent_id) in seen:
                continue
            seen.add((unit.pk, community.parent_id))
            title, description, measure = OFFERS[rng.randrange(len(OFFERS))]
            begun = today - datetime.timedelta(days=rng.randint(30, 330))
            offered.append(
                (
                    Resource(
                        area=community.parent,
                        title=title,
                        description=description,
                        quantity=Decimal(rng.choice((10, 20, 24, 40))),
                        measure=measure,
                        available_from=begun,
                        available_to=begun + datetime.timedelta(days=365),
                        provider_kind=ProviderKind.UNIT,
                        unit=unit,
                        provider_label=unit.name,
                        posted_at=moment(begun, rng),
                    ),
                    community.parent,
                )
            )
    resources = Resource.objects.bulk_create([r for r, _street in offered], batch_size=2000)
    Resource.serves.through.objects.bulk_create(
        Resource.serves.through(resource_id=r.pk, area_id=street.pk) for r, street in offered
    )
    projects, used_up = [], []
    for resource, street in offered:
        left = resource.quantity
        for community in rng.sample(by_street[street.pk], k=min(len(by_street[street.pk]), rng.randint(0, 3))):
            take = min(left, Decimal(rng.choice((2, 4, 6, 10))))
            if take <= 0:
                break
            left -= take
            begun = min(today, resource.available_from + datetime.timedelta(days=rng.randint(3, 120)))
            project = Project(
                area=community,
                title=f"{resource.title}进{community.name}",
                description=resource.description,
                started_on=begun,
                due_on=begun + datetime.timedelta(days=rng.randint(14, 60)),
                resource=resource,
                resource_quantity=take,
                claim_kind=ClaimKind.RESOURCE,
                provider_kind=ProviderKind.UNIT,
                unit=resource.unit,
                provider_label=resource.provider_label,
            )
            projects.append(settle(project, rng, today))
        if left == 0:
            used_up.append(resource.pk)
    Resource.objects.filter(pk__in=used_up).update(status=ResourceStatus.USED_UP)
    return resources, projects


def build_milestones(projects, rng, today):
    milestones = []
    for project in projects:
        span = ((project.due_on or project.started_on) - project.started_on).days
        for n, title in enumerate(STEPS):
            due = project.started_on + datetime.timedelta(days=span * (n + 1) // len(STEPS))
            done = None
            if project.status == ProjectStatus.CLOSED or (due < today and rng.random() < 0.7):
                done = min(due, today, project.closed_on or today)
            milestones.append(ProjectMilestone(project=project, title=title, due_on=due, done_on=done))
    ProjectMilestone.objects.bulk_create(milestones, batch_size=5000)


def count_services(projects, rng, today):
    """The volunteers' hours: for every project a reporting unit provides, a few of the service
    records its in-service members logged at the project's community while it ran (since it began,
    until it closed), each counted for one project only — as a cadre ticks them on the project's
    page (funds.projects_flow.count_services). One read of the candidates, one write."""
    by_unit = {}
    for project in projects:
        if project.unit_id:
            community = project.area.parent if project.area.level == AreaLevel.GRID else project.area
            by_unit.setdefault((project.unit_id, community.pk), []).append(project)
    if not by_unit:
        return 0
    records = {}
    for pk, unit, community, served_on in (
        ServiceRecord.objects.filter(
            member__unit__in={unit for unit, _ in by_unit}, member__community__in={c for _, c in by_unit}
        )
        .order_by("served_on", "pk")
        .values_list("pk", "member__unit", "member__community", "served_on")
    ):
        if (unit, community) in by_unit:
            records.setdefault((unit, community), []).append((pk, served_on))
    links = []
    for key, its_projects in by_unit.items():
        free = records.get(key, [])
        for project in sorted(its_projects, key=lambda p: p.started_on):
            end = project.closed_on or today
            during = [(pk, day) for pk, day in free if project.started_on <= day <= end]
            taken = during[: rng.randint(3, 8)]
            links += [ProjectService(project=project, record_id=pk) for pk, _ in taken]
            free = [item for item in free if item not in taken]
    ProjectService.objects.bulk_create(links, batch_size=5000)
    return len(links)
