"""The lists' side of the cast's tree: community A1's admission and public-service lists (each a
published version, the admission list with a superseded one before it), street A's power list,
朝阳区's civil-affairs bureau (minzheng, a 职能部门) and 南关区's (the outsider department), and
community A1's cadre."""

import pytest

from orgs.choices import Role
from orgs.models import Area, Department, DepartmentKind, RoleAssignment
from services.choices import AdmissionCategory, ListKind, VersionStatus
from services.models import ListItem, ListVersion, ServiceList
from tests.conftest import make_user

DISTRICT, STREET_A, COMMUNITY_A1, COMMUNITY_A2 = "220104", "220104001", "220104001001", "220104001002"
STREET_B, COMMUNITY_B1, NANGUAN = "220104002", "220104002001", "220102"
ON_THE_LIST = "协助受理高龄津贴申请"


def department_user(username, department):
    user = make_user(username, None, None)
    RoleAssignment.objects.create(user=user, area=department.area, role=Role.DEPARTMENT, department=department)
    return user


def make_version(service_list, status, items, number=None):
    version = ListVersion.objects.create(service_list=service_list, status=status)
    ListItem.objects.bulk_create(ListItem(version=version, order=n, **item) for n, item in enumerate(items, start=1))
    return version


def admission(name, category=AdmissionCategory.ASSISTING, **more):
    return {"name": name, "category": category, "responsible": "区民政局", **more}


@pytest.fixture
def departments(areas):
    kind = DepartmentKind.objects.get_or_create(name="民政")[0]
    nanguan = Area.objects.create(code=NANGUAN, name="南关区", level="district", parent=areas["2201"])
    return {
        "chaoyang": Department.objects.create(name="朝阳区民政局", kind=kind, area=areas[DISTRICT]),
        "chaoyang_other": Department.objects.create(name="朝阳区城管执法局", kind=kind, area=areas[DISTRICT]),
        "nanguan": Department.objects.create(name="南关区民政局", kind=kind, area=nanguan),
    }


@pytest.fixture
def minzheng(departments):
    """朝阳区民政局's user (职能部门)."""
    return department_user("minzheng", departments["chaoyang"])


@pytest.fixture
def chengguan(departments):
    """Another department of the same district: sees none of minzheng's tasks."""
    return department_user("chengguan", departments["chaoyang_other"])


@pytest.fixture
def nanguan_department(departments):
    return department_user("nanguan_minzheng", departments["nanguan"])


@pytest.fixture
def community_a1(areas):
    return make_user("community_a1", Role.COMMUNITY_CADRE, areas[COMMUNITY_A1])


@pytest.fixture
def lists(areas):
    """Community A1's admission list (v1 superseded, v2 published), its public-service list (v1
    published, v2 a draft), street A's power list (v1 published) and community B1's admission list."""
    a1 = areas[COMMUNITY_A1]
    admission_list = ServiceList.objects.create(area=a1, kind=ListKind.ADMISSION)
    old = make_version(
        admission_list,
        VersionStatus.SUPERSEDED,
        [admission("组织社区协商议事", AdmissionCategory.SELF_GOVERNING), admission("协助开展报刊征订")],
    )
    current = make_version(
        admission_list,
        VersionStatus.PUBLISHED,
        [
            admission("组织社区协商议事", AdmissionCategory.SELF_GOVERNING, legal_basis="《城市居民委员会组织法》"),
            admission(ON_THE_LIST),
        ],
    )
    service_list = ServiceList.objects.create(area=a1, kind=ListKind.PUBLIC_SERVICE)
    service = make_version(
        service_list,
        VersionStatus.PUBLISHED,
        [
            {
                "name": "老年人优待证办理",
                "category": "公共服务",
                "responsible": "社区居委会",
                "steps": "提交材料 → 社区受理 → 发证",
                "time_limit": 5,
                "materials": "身份证、户口簿、近期照片",
            }
        ],
    )
    draft = make_version(service_list, VersionStatus.DRAFT, [{"name": "未发布的草稿事项", "category": "公共服务"}])
    power_list = ServiceList.objects.create(area=areas[STREET_A], kind=ListKind.POWER)
    power = make_version(power_list, VersionStatus.PUBLISHED, [{"name": "组织开展基层党组织建设工作"}])
    b1_list = ServiceList.objects.create(area=areas[COMMUNITY_B1], kind=ListKind.ADMISSION)
    b1 = make_version(b1_list, VersionStatus.PUBLISHED, [admission(ON_THE_LIST)])
    return {
        "admission": admission_list,
        "old": old,
        "current": current,
        "service_list": service_list,
        "service": service,
        "draft": draft,
        "draft_item": draft.items.get(),
        "power_list": power_list,
        "power": power,
        "b1": b1,
    }


# The requests' cast (诉求): its fixtures, for the requests' tests.
from .requests_cast import a_request, categories  # noqa: E402, F401
