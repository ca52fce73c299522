from django.db import models
from django.utils.translation import gettext_lazy as _

from core.choices import Gender  # noqa: F401  (the roster's genders are every app's)
from orgs.choices import AreaLevel


class Post(models.TextChoices):
    """The posts of the grid roster: the three heads (三长), grid workers and ten-household heads."""

    GRID_HEAD = "grid_head", _("网格长")
    BUILDING_HEAD = "building_head", _("楼栋长")
    UNIT_HEAD = "unit_head", _("单元长")
    GRID_WORKER = "grid_worker", _("网格员")
    TEN_HOUSEHOLD_HEAD = "ten_household_head", _("十联户长")


# The three heads: one holder at a time, on an area of the matching level.
HEAD_POSTS = {Post.GRID_HEAD: AreaLevel.GRID, Post.BUILDING_HEAD: AreaLevel.BUILDING, Post.UNIT_HEAD: AreaLevel.UNIT}
HEAD_OF_LEVEL = {level: post for post, level in HEAD_POSTS.items()}
# Every post hangs on an area of this level.
POST_LEVEL = {**HEAD_POSTS, Post.GRID_WORKER: AreaLevel.GRID, Post.TEN_HOUSEHOLD_HEAD: AreaLevel.GRID}

POST_FROM_CHINESE = {
    "网格长": Post.GRID_HEAD,
    "楼栋长": Post.BUILDING_HEAD,
    "楼长": Post.BUILDING_HEAD,
    "栋长": Post.BUILDING_HEAD,
    "单元长": Post.UNIT_HEAD,
    "网格员": Post.GRID_WORKER,
    "专职网格员": Post.GRID_WORKER,
    "兼职网格员": Post.GRID_WORKER,
    "十联户长": Post.TEN_HOUSEHOLD_HEAD,
    "十户长": Post.TEN_HOUSEHOLD_HEAD,
    "联户长": Post.TEN_HOUSEHOLD_HEAD,
}
POST_TO_CHINESE = {
    Post.GRID_HEAD: "网格长",
    Post.BUILDING_HEAD: "楼栋长",
    Post.UNIT_HEAD: "单元长",
    Post.GRID_WORKER: "网格员",
    Post.TEN_HOUSEHOLD_HEAD: "十联户长",
}


class Employment(models.TextChoices):
    FULL_TIME = "full_time", _("专职")
    PART_TIME = "part_time", _("兼职")


class PoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("中共党员")
    PROBATIONARY = "probationary", _("中共预备党员")
    LEAGUE_MEMBER = "league_member", _("共青团员")
    MASSES = "masses", _("群众")


PARTY_STATUSES = (PoliticalStatus.PARTY_MEMBER, PoliticalStatus.PROBATIONARY)

POLITICAL_STATUS_FROM_CHINESE = {
    "中共党员": PoliticalStatus.PARTY_MEMBER,
    "党员": PoliticalStatus.PARTY_MEMBER,
    "中国共产党党员": PoliticalStatus.PARTY_MEMBER,
    "共产党员": PoliticalStatus.PARTY_MEMBER,
    "中共预备党员": PoliticalStatus.PROBATIONARY,
    "预备党员": PoliticalStatus.PROBATIONARY,
    "共青团员": PoliticalStatus.LEAGUE_MEMBER,
    "团员": PoliticalStatus.LEAGUE_MEMBER,
    "群众": PoliticalStatus.MASSES,
}
POLITICAL_STATUS_TO_CHINESE = {
    PoliticalStatus.PARTY_MEMBER: "中共党员",
    PoliticalStatus.PROBATIONARY: "中共预备党员",
    PoliticalStatus.LEAGUE_MEMBER: "共青团员",
    PoliticalStatus.MASSES: "群众",
}
