"""Entered values and their approval by level, as DHIS2 does it (issue #10): a community enters its
manual indicators with evidence and submits; its street submits when its communities have; the
district accepts the street; acceptance locks entry below it, and a submission or an acceptance
can be returned with a reason. Only accepted values count in the rollup.

Every function here checks what it must (open period, lock, completeness) and raises
ValidationError in Chinese; who may act is the views' question (permissions.py)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from orgs.choices import AreaLevel

from .choices import LOCKING, ApprovalStatus, Method, PeriodStatus
from .models import Approval, Entry, Indicator

# The chain of submission: a level submits to the one above; the district accepts the streets.
SUBMITTING_LEVELS = (AreaLevel.COMMUNITY, AreaLevel.STREET)
ACCEPTED_LEVEL = AreaLevel.STREET


def entered_leaves(period, level):
    """The entered leaves of the period's set that apply to `level`, in order."""
    return list(
        Indicator.objects.filter(
            indicator_set_id=period.indicator_set_id, method=Method.ENTERED, levels__contains=[level]
        )
        .select_related("parent")
        .order_by("parent__parent__order", "parent__order", "order", "pk")
    )


def approval(period, area):
    return Approval.objects.filter(period=period, area=area).select_related("by").first()


def lock_reason(period, area):
    """Why the area's entered values cannot change now, in Chinese, or None: a closed period, or
    a submission or acceptance of the area or of an area above it."""
    if period.status == PeriodStatus.CLOSED:
        return _("考核周期已关闭，数据已冻结。")
    locking = (
        Approval.objects.filter(period=period, area__code__in=[*area.ancestor_codes(), area.code], status__in=LOCKING)
        .select_related("area")
        .order_by("area__code")
        .first()
    )
    if locking is None:
        return None
    if locking.area_id == area.pk:
        return _("本级已{status}，如需修改请由上级退回。").format(status=locking.get_status_display())
    return _("{area}已{status}，下级数据已锁定。").format(area=locking.area.name, status=locking.get_status_display())


def missing_leaves(period, area):
    """The entered leaves the area has no value for yet."""
    entered = set(Entry.objects.filter(period=period, area=area).values_list("indicator_id", flat=True))
    return [leaf for leaf in entered_leaves(period, area.level) if leaf.pk not in entered]


def waiting_children(period, area):
    """The children that must submit before the area may (a street's communities, where the set has
    entered leaves for communities), and have not."""
    child_level = {AreaLevel.STREET: AreaLevel.COMMUNITY}.get(area.level)
    if child_level is None or not entered_leaves(period, child_level):
        return []
    done = Approval.objects.filter(period=period, area__parent=area, status__in=LOCKING).values("area_id")
    return list(area.children.filter(level=child_level).exclude(pk__in=done).order_by("code"))


def check_open(period, area):
    reason = lock_reason(period, area)
    if reason:
        raise ValidationError(reason)


def save_entry(period, area, leaf, user, numerator, denominator, note):
    """Enter or correct a value: refused when locked."""
    with transaction.atomic():
        check_open(period, area)
        entry, _created = Entry.objects.update_or_create(
            period=period,
            indicator=leaf,
            area=area,
            defaults={"numerator": numerator, "denominator": denominator, "note": note, "entered_by": user},
        )
    return entry


def submit(period, area, user):
    if area.level not in SUBMITTING_LEVELS:
        raise ValidationError(_("只有街道和社区上报录入值。"))
    with transaction.atomic():
        check_open(period, area)
        missing = missing_leaves(period, area)
        if missing:
            raise ValidationError(_("还有指标未录入：{names}。").format(names="、".join(leaf.name for leaf in missing)))
        waiting = waiting_children(period, area)
        if waiting:
            raise ValidationError(
                _("还有社区未上报：{names}。").format(names="、".join(child.name for child in waiting[:10]))
            )
        return set_status(period, area, user, ApprovalStatus.SUBMITTED)


def accept(period, area, user):
    if area.level != ACCEPTED_LEVEL:
        raise ValidationError(_("由区（县）验收街道上报的录入值。"))
    with transaction.atomic():
        current = Approval.objects.select_for_update().filter(period=period, area=area).first()
        if period.status == PeriodStatus.CLOSED:
            raise ValidationError(_("考核周期已关闭，数据已冻结。"))
        if current is None or current.status != ApprovalStatus.SUBMITTED:
            raise ValidationError(_("该街道尚未上报，不能验收。"))
        return set_status(period, area, user, ApprovalStatus.ACCEPTED)


def return_(period, area, user, reason):
    """Send a submission or an acceptance back, with the reason, so that the area can correct it."""
    if not reason.strip():
        raise ValidationError(_("请填写退回原因。"))
    with transaction.atomic():
        if period.status == PeriodStatus.CLOSED:
            raise ValidationError(_("考核周期已关闭，数据已冻结。"))
        current = Approval.objects.select_for_update().filter(period=period, area=area).first()
        if current is None or current.status not in LOCKING:
            raise ValidationError(_("没有可退回的上报。"))
        if area.parent is not None:
            above = lock_reason(period, area.parent)
            if above:
                raise ValidationError(_("上级已上报或验收，请先退回上级。"))
        return set_status(period, area, user, ApprovalStatus.RETURNED, reason=reason.strip())


def set_status(period, area, user, status, reason=""):
    found, _created = Approval.objects.update_or_create(
        period=period, area=area, defaults={"status": status, "reason": reason, "by": user}
    )
    return found


def accepted_prefixes(period):
    """The codes of the areas whose values are accepted in the period: an entry counts when its
    area's code starts with one of them (the area, or its street, was accepted)."""
    return list(
        Approval.objects.filter(period=period, status=ApprovalStatus.ACCEPTED).values_list("area__code", flat=True)
    )
