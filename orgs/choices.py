from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    """The levels of the area tree, top to bottom (DESIGN §1)."""

    CITY = "city", _("市")
    DISTRICT = "district", _("区/县")
    STREET = "street", _("街道/乡镇")
    COMMUNITY = "community", _("社区/村")
    GRID = "grid", _("网格")
    BUILDING = "building", _("楼栋")
    UNIT = "unit", _("单元")


# Position of each level from the top: a child's rank is always greater than its parent's.
LEVEL_RANK = {level: rank for rank, level in enumerate(AreaLevel.values)}

# What import sheets write in the 层级 column, including the rural synonyms of seed 003.
LEVEL_FROM_CHINESE = {
    "市": AreaLevel.CITY,
    "区": AreaLevel.DISTRICT,
    "县": AreaLevel.DISTRICT,
    "区/县": AreaLevel.DISTRICT,
    "街道": AreaLevel.STREET,
    "乡镇": AreaLevel.STREET,
    "乡": AreaLevel.STREET,
    "镇": AreaLevel.STREET,
    "街道/乡镇": AreaLevel.STREET,
    "社区": AreaLevel.COMMUNITY,
    "村": AreaLevel.COMMUNITY,
    "社区/村": AreaLevel.COMMUNITY,
    "网格": AreaLevel.GRID,
    "屯": AreaLevel.GRID,
    "组": AreaLevel.GRID,
    "楼栋": AreaLevel.BUILDING,
    "单元": AreaLevel.UNIT,
}
LEVEL_TO_CHINESE = {
    AreaLevel.CITY: "市",
    AreaLevel.DISTRICT: "区",
    AreaLevel.STREET: "街道",
    AreaLevel.COMMUNITY: "社区",
    AreaLevel.GRID: "网格",
    AreaLevel.BUILDING: "楼栋",
    AreaLevel.UNIT: "单元",
}


class Role(models.TextChoices):
    """Roles of DESIGN §2; a role assignment pairs one with an area (the scope)."""

    ORG_DEPARTMENT = "org_department", _("组织部")
    STREET_CADRE = "street_cadre", _("街道干部")
    COMMUNITY_CADRE = "community_cadre", _("社区干部")
    GRID_WORKER = "grid_worker", _("网格员")
    DEPARTMENT = "department", _("职能部门")


# Where each role makes sense: a grid worker over a city, or an organisation department over a
# grid, is refused (the form, the API and the user pages ask `role_level_error`).
ROLE_LEVELS = {
    Role.ORG_DEPARTMENT: (AreaLevel.CITY, AreaLevel.DISTRICT),
    Role.STREET_CADRE: (AreaLevel.STREET,),
    Role.COMMUNITY_CADRE: (AreaLevel.COMMUNITY,),
    Role.GRID_WORKER: (AreaLevel.GRID,),
    Role.DEPARTMENT: (AreaLevel.CITY, AreaLevel.DISTRICT, AreaLevel.STREET),
}


def role_level_error(role, area):
    """Why `role` cannot be granted over `area` (None when it can), in Chinese."""
    levels = ROLE_LEVELS.get(role, ())
    if area.level in levels:
        return None
    from django.utils.translation import gettext as _

    return _("“{role}”只能授予在{levels}一级，不能授予在{level}“{name}”。").format(
        role=Role(role).label,
        levels="、".join(str(AreaLevel(level).label) for level in levels),
        level=area.get_level_display(),
        name=area.name,
    )
