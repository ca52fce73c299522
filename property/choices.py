from django.db import models
from django.utils.translation import gettext_lazy as _


class ManagementMode(models.TextChoices):
    """小区管理模式 (seed 001): a company, the community, the owners, a state-owned enterprise — or
    none, which puts the compound on the ledger (无物业小区台账, seed 003)."""

    PROFESSIONAL = "professional", _("专业物业")
    COMMUNITY = "community", _("社区代管")
    OWNERS = "owners", _("业主自管")
    STATE = "state", _("国企兜管")
    NONE = "none", _("无物业")


# The modes a property company serves under: required for 专业物业, allowed for 国企兜管.
MODES_WITH_COMPANY = (ManagementMode.PROFESSIONAL, ManagementMode.STATE)


class LedgerStatus(models.TextChoices):
    OPEN = "open", _("待销号")
    CLOSED = "closed", _("已销号")


class CommitteeRole(models.TextChoices):
    DIRECTOR = "director", _("主任")
    DEPUTY = "deputy", _("副主任")
    MEMBER = "member", _("委员")


# 四有一定 (seed 001): the checklist of a compound, kept per quarter.
CHECKLIST_ITEMS = ("greening", "repairs", "parking", "security", "cleaning")
