"""The lists' part of the demo city (issue 19, seeds 001 and 003): each filled street's power-and-
responsibility list (~100 items, as Liupanshui's 103), each community's admission list (14 自治事项
+ 30 协助事项, seed 001) and public-service list (37 items, as Jilin's), most published; for some, the
superseded version before (a longer power list cut down, as Jilin's 230 → 109; admission lists that
gained and lost items), so that versions compare; a draft awaiting publication in the demo
community; and at the demo community's gate a few tasks of the district's departments: one
admitted by its list, one stopped awaiting the street, one approved, one refused.

Deterministic (one seeded RNG, areas in code order) and written with bulk_create."""

import datetime
import random
import time

import pghistory
from django.db import transaction
from django.utils import timezone

from core.importing import analyze_if_bulk
from orgs.choices import AreaLevel, Role
from orgs.models import Area, Department, DepartmentKind, RoleAssignment

from .choices import AdmissionCategory, ListKind, TaskStatus, VersionStatus
from .models import GateTask, ListItem, ListVersion, ServiceList

SEED = 1903
DEMO_COMMUNITY = "220104001001"  # the demo login "shequ"'s: a draft awaits publication there
SUPERSEDED_SHARE = 0.3  # of the lists: an older version kept, superseded by the current one

POWER_AREAS = {
    "党的建设": (
        "基层党组织建设",
        "党员教育管理",
        "党风廉政建设",
        "意识形态工作",
        "统一战线工作",
        "群团组织建设",
        "非公企业和社会组织党建",
        "党建引领基层治理",
    ),
    "经济发展": (
        "辖区经济运行监测",
        "招商引资服务",
        "企业服务与营商环境",
        "统计调查",
        "楼宇经济发展",
        "个体工商户服务",
    ),
    "民生服务": (
        "社会救助",
        "养老服务",
        "残疾人服务",
        "退役军人服务",
        "就业创业服务",
        "医疗保障服务",
        "未成年人保护",
        "殡葬改革",
    ),
    "平安建设": ("矛盾纠纷排查化解", "信访工作", "社会治安综合治理", "禁毒工作", "反邪教工作", "网格化服务管理"),
    "城市管理": (
        "市容环境卫生",
        "违法建设巡查",
        "老旧小区改造",
        "物业服务监督",
        "垃圾分类",
        "园林绿化管护",
        "占道经营治理",
    ),
    "应急管理": ("安全生产监督", "消防安全", "防汛抗旱", "自然灾害防治", "应急预案管理", "燃气安全"),
    "生态环境": ("大气污染防治", "河湖长制", "扬尘污染防治", "噪声污染防治"),
}
POWER_VERBS = ("组织开展{x}工作", "{x}的监督检查", "{x}工作的统筹协调", "协助区级部门开展{x}")
POWER_BASIS = {
    "党的建设": "《中国共产党章程》《中国共产党支部工作条例（试行）》",
    "经济发展": "《中华人民共和国统计法》《优化营商环境条例》",
    "民生服务": "《社会救助暂行办法》《中华人民共和国老年人权益保障法》",
    "平安建设": "《信访工作条例》《中华人民共和国人民调解法》",
    "城市管理": "《城市市容和环境卫生管理条例》《物业管理条例》",
    "应急管理": "《中华人民共和国安全生产法》《中华人民共和国消防法》",
    "生态环境": "《中华人民共和国大气污染防治法》《中华人民共和国环境保护法》",
}
SELF_GOVERNING = (
    "召集社区居民会议",
    "制定和修订居民公约",
    "兴办社区公益事业",
    "组织社区协商议事",
    "推行居务公开",
    "组织民主评议社区工作",
    "组织社区志愿服务",
    "调解居民纠纷",
    "组织社区文化体育活动",
    "维护社区环境卫生",
    "培育社区社会组织",
    "建设居民小组",
    "组织社区治安联防",
    "管护社区公共设施",
)
ASSISTING = (
    "协助开展人口普查",
    "协助开展城乡居民医疗保险参保登记",
    "协助开展城乡居民养老保险参保登记",
    "协助开展就业困难人员认定初审",
    "协助受理最低生活保障申请",
    "协助受理特困人员救助供养申请",
    "协助受理临时救助申请",
    "协助受理残疾人证申领",
    "协助受理高龄津贴申请",
    "协助开展退役军人服务保障",
    "协助开展计划生育家庭奖励扶助初审",
    "协助开展流动人口登记",
    "协助开展出租房屋登记",
    "协助开展禁毒宣传",
    "协助开展反诈骗宣传",
    "协助开展消防安全检查",
    "协助开展安全生产宣传",
    "协助开展防汛抗旱",
    "协助开展征兵工作",
    "协助开展爱国卫生运动",
    "协助组织疫苗接种",
    "协助开展食品安全宣传",
    "协助开展垃圾分类宣传指导",
    "协助开展生态环境保护宣传",
    "协助开展法治宣传教育",
    "协助开展社区矫正",
    "协助开展刑满释放人员安置帮教",
    "协助开展精神障碍患者关爱帮扶",
    "协助开展未成年人保护",
    "协助办理老年人优待证",
)
ASSISTING_BODIES = (
    "区民政局",
    "区人社局",
    "区医保局",
    "区卫健局",
    "公安派出所",
    "区司法局",
    "区应急管理局",
    "区城管执法局",
)
SERVICES = (
    ("居住证申领受理", "公安派出所", 15, "身份证、居住登记凭证、近期照片"),
    ("老年人优待证办理", "社区居委会", 5, "身份证、户口簿、近期照片"),
    ("高龄津贴申领", "区民政局", 20, "身份证、户口簿、银行卡"),
    ("城乡居民基本养老保险参保登记", "区社保中心", 0, "身份证、户口簿"),
    ("城乡居民基本医疗保险参保登记", "区医保局", 0, "身份证、户口簿"),
    ("最低生活保障申请", "区民政局", 30, "身份证、户口簿、家庭收入和财产状况说明、授权核对书"),
    ("临时救助申请", "街道办事处", 10, "身份证、户口簿、困难情况说明及证明材料"),
    ("特困人员救助供养申请", "区民政局", 30, "身份证、户口簿、收入和财产状况说明"),
    ("残疾人证申领", "区残联", 20, "身份证、户口簿、近期照片、医疗诊断材料"),
    ("残疾人两项补贴申请", "区民政局", 20, "身份证、残疾人证、银行卡"),
    ("失业登记", "街道就业服务站", 0, "身份证、解除劳动合同证明"),
    ("就业创业证申领", "街道就业服务站", 5, "身份证、近期照片"),
    ("灵活就业人员登记", "街道就业服务站", 0, "身份证"),
    ("生育登记服务", "社区居委会", 0, "夫妻双方身份证、结婚证"),
    ("独生子女父母光荣证办理", "街道办事处", 10, "夫妻双方身份证、户口簿、结婚证"),
    ("退役军人优待证申领", "街道退役军人服务站", 20, "身份证、退役证件、近期照片"),
    ("流动人口居住登记", "社区居委会", 0, "身份证、租赁合同或住所证明"),
    ("孤儿基本生活保障金申请", "区民政局", 20, "身份证、户口簿、父母死亡或宣告失踪证明"),
    ("困境儿童认定申请", "区民政局", 20, "监护人身份证、儿童户口簿、困境情况证明"),
    ("法律援助申请受理", "街道司法所", 7, "身份证、经济困难状况说明、案件材料"),
    ("人民调解申请", "社区人民调解委员会", 15, "身份证、纠纷情况说明"),
    ("社区图书室借阅", "社区党群服务中心", 0, "身份证"),
    ("公共文化活动场地预约", "社区党群服务中心", 3, "身份证、活动方案"),
    ("居民健康档案建立", "社区卫生服务站", 0, "身份证、医保卡"),
    ("家庭医生签约服务", "社区卫生服务站", 0, "身份证、医保卡"),
    ("适龄儿童预防接种登记", "社区卫生服务站", 0, "儿童出生医学证明、预防接种证"),
    ("老年人健康体检预约", "社区卫生服务站", 3, "身份证、医保卡"),
    ("居家养老服务申请", "街道养老服务中心", 10, "身份证、户口簿、能力评估材料"),
    ("社区老年助餐服务", "社区老年食堂", 0, "身份证"),
    ("惠民殡葬补贴申请", "区民政局", 20, "死者死亡证明、火化证明、经办人身份证"),
    ("计划生育特别扶助申请", "区卫健局", 30, "身份证、户口簿、独生子女伤残或死亡证明"),
    ("医疗救助申请", "区医保局", 20, "身份证、医疗费用票据、出院小结"),
    ("公共租赁住房申请受理", "区住建局", 30, "身份证、户口簿、收入和住房状况证明"),
    ("住房保障资格申请受理", "区住建局", 30, "身份证、户口簿、婚姻状况证明"),
    ("义务兵家庭优待金申领", "街道退役军人服务站", 20, "入伍通知书、户口簿、银行卡"),
    ("低收入家庭认定申请", "区民政局", 30, "身份证、户口簿、收入状况说明"),
    ("社区托育服务咨询", "社区居委会", 0, "儿童户口簿"),
)
SERVICE_STEPS = "申请人提交材料 → 社区（便民服务站）受理初审 → 街道审核 → 主管部门审批 → 结果告知申请人"
SERVICE_BASIS = "《吉林省基层公共服务事项清单》《城乡社区服务体系建设规划》"


def power_names():
    """The standard power list of a street: (category, name), about 100 items as a province issues them."""
    names = []
    for category, subjects in POWER_AREAS.items():
        for index, subject in enumerate(subjects):
            for verb in POWER_VERBS[: 2 + (index % 2)]:
                names.append((category, verb.format(x=subject)))
    return names


def power_items(rng, extra=0):
    """A street's power list: the standard one with a street's few own and a few left out; `extra`
    items more for an older, longer version (before the province cut the lists)."""
    names = [entry for entry in power_names() if rng.random() > 0.06]
    for n in range(extra):
        category = rng.choice(list(POWER_AREAS))
        names.append((category, f"{rng.choice(POWER_AREAS[category])}台账报送（{n + 1}）"))
    return [
        {
            "name": name,
            "category": category,
            "legal_basis": POWER_BASIS[category],
            "responsible": "街道党工委、办事处"
            if category == "党的建设"
            else rng.choice(("街道办事处", "街道综合执法队", "街道社会事务办")),
        }
        for category, name in names
    ]


def admission_items(rng, older=False):
    items = [
        {
            "name": name,
            "category": AdmissionCategory.SELF_GOVERNING,
            "legal_basis": "《中华人民共和国城市居民委员会组织法》",
            "responsible": "社区居民委员会",
        }
        for name in SELF_GOVERNING
    ]
    assisting = list(ASSISTING)
    if older:  # the version before: two items since removed, one since added
        assisting = [name for name in assisting if name != "协助开展反诈骗宣传"] + [
            "协助开展报刊征订",
            "协助开展各类创建评比迎检",
        ]
    items += [
        {
            "name": name,
            "category": AdmissionCategory.ASSISTING,
            "legal_basis": "《吉林省社区工作事项准入办法》",
            "responsible": rng.choice(ASSISTING_BODIES),
        }
        for name in assisting
    ]
    return items


def service_items(rng, street=False, older=False):
    rows = SERVICES if not street else SERVICES[:30]
    return [
        {
            "name": name,
            "category": "公共服务",
            "legal_basis": SERVICE_BASIS,
            "responsible": body,
            "steps": SERVICE_STEPS if days else "申请人现场提交材料 → 窗口即时办结",
            "time_limit": (days + 10 if older and days else days),
            "materials": materials,
        }
        for name, body, days, materials in rows
    ]


class Writer:
    """Lists, versions and items gathered and written in three bulk inserts."""

    def __init__(self, now):
        self.now = now
        self.lists, self.versions, self.items = [], [], []

    def add(self, area, kind, versions):
        """`versions`: [(status, items, note)] oldest first."""
        service_list = ServiceList(area=area, kind=kind)
        self.lists.append(service_list)
        for number, (status, items, note) in enumerate(versions, start=1):
            published = (
                self.now - datetime.timedelta(days=400 * (len(versions) - number) + 30)
                if status != VersionStatus.DRAFT
                else None
            )
            version = ListVersion(
                service_list=service_list, number=number, status=status, note=note, published_at=published
            )
            self.versions.append(version)
            for order, item in enumerate(items, start=1):
                self.items.append(ListItem(version=version, order=order, **item))

    def write(self):
        ServiceList.objects.bulk_create(self.lists, batch_size=2000)
        for version in self.versions:
            version.service_list_id = version.service_list.pk
        ListVersion.objects.bulk_create(self.versions, batch_size=2000)
        for item in self.items:
            item.version_id = item.version.pk
        ListItem.objects.bulk_create(self.items, batch_size=5000)


def fill_demo_lists(size):
    """seed_demo's filler (core.registry). Returns the line the command prints."""
    started = time.perf_counter()
    rng = random.Random(SEED)
    now = timezone.now()
    communities = list(
        Area.objects.filter(level=AreaLevel.COMMUNITY, children__level=AreaLevel.GRID).distinct().order_by("code")
    )
    if not communities:
        return "演示区划中没有社区，未建立清单。"
    streets = list(Area.objects.filter(pk__in={c.parent_id for c in communities}).order_by("code"))
    writer = Writer(now)
    published, superseded = VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED
    with pghistory.context(source="seed_demo"), transaction.atomic():
        for street in streets:
            if rng.random() < SUPERSEDED_SHARE:
                versions = [
                    (superseded, power_items(rng, extra=30), "首版权责清单"),
                    (published, power_items(rng), "精简后的权责清单"),
                ]
            else:
                versions = [(published, power_items(rng), "")]
            writer.add(street, ListKind.POWER, versions)
            writer.add(street, ListKind.PUBLIC_SERVICE, [(published, service_items(rng, street=True), "")])
        for community in communities:
            if rng.random() < SUPERSEDED_SHARE:
                versions = [
                    (superseded, admission_items(rng, older=True), "首版准入清单"),
                    (published, admission_items(rng), "取消“报刊征订”“创建评比迎检”"),
                ]
            else:
                versions = [(published, admission_items(rng), "")]
            writer.add(community, ListKind.ADMISSION, versions)
            services = [(published, service_items(rng), "")]
            if community.code == DEMO_COMMUNITY:  # the demo community's draft awaits publication
                draft = service_items(rng) + [
                    {
                        "name": "社区“一站式”证明代办",
                        "category": "公共服务",
                        "legal_basis": SERVICE_BASIS,
                        "responsible": "社区居委会",
                        "steps": SERVICE_STEPS,
                        "time_limit": 3,
                        "materials": "身份证",
                    }
                ]
                services = [
                    (superseded, service_items(rng, older=True), "首版"),
                    (published, service_items(rng), "办理时限压缩"),
                    (VersionStatus.DRAFT, draft, "新增证明代办"),
                ]
            writer.add(community, ListKind.PUBLIC_SERVICE, services)
        writer.write()
        tasks = fill_gate(communities, rng, now)
        analyze_if_bulk(len(writer.items), ListItem._meta.db_table, ListVersion._meta.db_table)
    return (
        f"已建立清单：{len(writer.lists)} 份清单、{len(writer.versions)} 个版本、{len(writer.items)} 项事项，"
        f"{tasks} 项准入事项，用时 {time.perf_counter() - started:.1f} 秒。"
    )


def fill_gate(communities, rng, now):
    """At the demo community's gate (or the first community's): tasks of the district's departments —
    one admitted by the list, one stopped awaiting the street (told to it), one approved, one refused."""
    from .admission import GATE, STOP, subject_of

    community = next((c for c in communities if c.code == DEMO_COMMUNITY), communities[0])
    district = community.parent.parent
    by_kind = {d.kind.name: d for d in Department.objects.filter(area=district).select_related("kind").order_by("-pk")}
    if "民政" not in by_kind:
        kind, _created = DepartmentKind.objects.get_or_create(name="民政")
        by_kind["民政"] = Department.objects.create(area=district, kind=kind, name=f"{district.name}民政局")
    # Who hands each task down: civil affairs the allowance, fire safety the 城管 or 应急, the census 统计 …
    wanted = ("民政", "应急管理", "市场监管", "住建")
    departments = [by_kind.get(name, by_kind["民政"]) for name in wanted]
    street_cadre = (
        RoleAssignment.objects.filter(area=community.parent, role=Role.STREET_CADRE).select_related("user").first()
    )
    decider = street_cadre.user if street_cadre else None
    day = datetime.timedelta(days=1)
    rows = [
        ("协助受理高龄津贴申请", "核对辖区80周岁以上老人名单，受理高龄津贴申请。", TaskStatus.ADMITTED, ""),
        ("开展辖区商户消防安全台账填报", "逐户填报商户消防安全台账，每月上报。", TaskStatus.STOPPED, ""),
        (
            "协助开展第五次全国经济普查入户登记",
            "经济普查入户登记，按普查办要求完成。",
            TaskStatus.APPROVED,
            "经济普查为法定任务，临时性工作，同意进入社区，街道统筹人员支持。",
        ),
        (
            "报送社区创建评比迎检材料",
            "准备创建评比迎检展板和台账。",
            TaskStatus.REFUSED,
            "创建评比迎检已从准入清单中取消，不得转嫁社区。",
        ),
    ]
    admission = {
        item.name: item
        for item in ListItem.objects.filter(
            version__service_list__area=community,
            version__service_list__kind=ListKind.ADMISSION,
            version__status=VersionStatus.PUBLISHED,
        )
    }
    tasks = []
    for index, (name, content, status, reason) in enumerate(rows):
        decided = status in (TaskStatus.APPROVED, TaskStatus.REFUSED)
        tasks.append(
            GateTask(
                department=departments[index],
                community=community,
                name=name,
                content=content,
                due_on=(now + 30 * day).date(),
                status=status,
                matched_item=admission.get(name),
                reason=reason,
                by=decider if decided else None,
            )
        )
    GateTask.objects.bulk_create(tasks)
    for task in tasks:
        if task.status == TaskStatus.STOPPED:
            GATE.announce(STOP, task, subject_of(task), None)
    return len(tasks)
