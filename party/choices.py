from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    """The kinds of party organisation of seeds 000–004: the geographic chain 街道大工委 — 社区大党委 —
    网格党支部 — 楼栋党小组, and those that do not follow geography."""

    STREET_COMMITTEE = "street_committee", _("街道党工委（大工委）")
    COMMUNITY_COMMITTEE = "community_committee", _("社区党委（大党委）")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    GRID_BRANCH = "grid_branch", _("网格党支部")
    COMPOUND_BRANCH = "compound_branch", _("小区党支部")
    BUILDING_GROUP = "building_group", _("楼栋党小组")
    INDUSTRY_COMMITTEE = "industry_committee", _("行业党委")
    COMPOSITE = "composite", _("综合党组织（商圈/楼宇/市场）")
    ALLIANCE = "alliance", _("区域党建联盟")
    NON_PUBLIC = "non_public", _("非公企业党组织")
    SOCIAL_ORGANISATION = "social_organisation", _("社会组织党组织")


class MemberStatus(models.TextChoices):
    FULL = "full", _("正式党员")
    PROBATIONARY = "probationary", _("预备党员")


class Education(models.TextChoices):
    POSTGRADUATE = "postgraduate", _("研究生")
    BACHELOR = "bachelor", _("大学本科")
    COLLEGE = "college", _("大学专科")
    SECONDARY = "secondary", _("中专/高中")
    JUNIOR = "junior", _("初中及以下")


class MeetingKind(models.TextChoices):
    """三会一课, 主题党日 (seed 004's "5+N"), 第一议题 (seed 002)."""

    GENERAL_MEETING = "general_meeting", _("支部党员大会")
    COMMITTEE_MEETING = "committee_meeting", _("支委会（党委会）")
    GROUP_MEETING = "group_meeting", _("党小组会")
    PARTY_LECTURE = "party_lecture", _("党课")
    PARTY_DAY = "party_day", _("主题党日")
    FIRST_TOPIC = "first_topic", _("第一议题学习")


class AbsenceReason(models.TextChoices):
    """Why a member expected at a meeting did not come (请假原因)."""

    WORK = "work", _("因公请假")
    ILLNESS = "illness", _("因病请假")
    PERSONAL = "personal", _("因事请假")
    AWAY = "away", _("外出（流动）")
    NONE = "none", _("无故缺席")


MONTHLY, QUARTERLY = 1, 3
# How often each kind must be held, in months (三会一课: 党员大会 and 党课 quarterly, 支委会 and
# 党小组会 monthly; the party day monthly).
REQUIRED_EVERY = {
    MeetingKind.GENERAL_MEETING: QUARTERLY,
    MeetingKind.COMMITTEE_MEETING: MONTHLY,
    MeetingKind.GROUP_MEETING: MONTHLY,
    MeetingKind.PARTY_LECTURE: QUARTERLY,
    MeetingKind.PARTY_DAY: MONTHLY,
}
# Which organisations hold which meetings: a branch its general meeting, committee, lecture and
# party day; a party group its group meeting; a committee its committee meeting and lecture.
BRANCH_KINDS = (OrgKind.GENERAL_BRANCH, OrgKind.BRANCH, OrgKind.GRID_BRANCH, OrgKind.COMPOUND_BRANCH)
COMMITTEE_KINDS = (OrgKind.STREET_COMMITTEE, OrgKind.COMMUNITY_COMMITTEE, OrgKind.INDUSTRY_COMMITTEE)
REQUIRED_MEETINGS = {
    **{
        kind: (
            MeetingKind.GENERAL_MEETING,
            MeetingKind.COMMITTEE_MEETING,
            MeetingKind.PARTY_LECTURE,
            MeetingKind.PARTY_DAY,
        )
        for kind in BRANCH_KINDS
    },
    OrgKind.BUILDING_GROUP: (MeetingKind.GROUP_MEETING,),
    **{kind: (MeetingKind.COMMITTEE_MEETING, MeetingKind.PARTY_LECTURE) for kind in COMMITTEE_KINDS},
    OrgKind.NON_PUBLIC: (MeetingKind.GENERAL_MEETING, MeetingKind.PARTY_LECTURE, MeetingKind.PARTY_DAY),
    OrgKind.SOCIAL_ORGANISATION: (MeetingKind.GENERAL_MEETING, MeetingKind.PARTY_LECTURE, MeetingKind.PARTY_DAY),
}


class UnitKind(models.TextChoices):
    AGENCY = "agency", _("机关")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    INSTITUTION = "institution", _("事业单位")
    OTHER = "other", _("其他")


class ServiceTeam(models.TextChoices):
    """Seed 001's five-colour volunteer teams (五彩)."""

    RED = "red", _("红色教育")
    GREEN = "green", _("绿色文明")
    BLUE = "blue", _("蓝色安防")
    WHITE = "white", _("白色健康")
    GOLD = "gold", _("金色怡情")
