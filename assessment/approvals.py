"""Entered values and their approval by level, as DHIS2 does it (issue #10): a community enters its
manual indicators with evidence and submits; its street submits when its communities have; the
district accepts the street; acceptance locks entry below it, and a submission or an acceptance
can be returned with a reason. Only accepted values count in the rollup.

Every function here checks what it must (open period, lock, completeness, evidence) and raises
ValidationError in Chinese; who may act is the views' question (permissions.py).

Each step holds the approval lock of its area (`hold`) and checks inside it: a street's submission
and the return of one of its communities, or a value saved while its area submits, are served one
after the other, and the later one is refused when the earlier has changed what it may do."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from orgs.choices import AreaLevel
from orgs.models import Area

from .choices import LOCKING, ApprovalStatus, Method, PeriodStatus
from .models import Approval, Entry, Evidence, Indicator, Period

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


def hold(period, area):
    """Take the approval lock of `area` until the transaction ends, and re-read the period's status.

    The lock is the row of the area and the row of its parent (FOR NO KEY UPDATE, the parent first):
    the approval rows themselves do not exist before a first submission. A step on a community and
    a step on its street both hold the street's row, a step on a street and one on its district the
    street's; so a submission, an acceptance, a return and a saved value of the same chain wait for
    one another, and each then sees what the other committed."""
    ids = [pk for pk in (area.parent_id, area.pk) if pk]
    list(Area.objects.select_for_update(no_key=True).filter(pk__in=ids).order_by("code").values_list("pk", flat=True))
    period.status = Period.objects.values_list("status", flat=True).get(pk=period.pk)


def accepted_above(period, area):
    """The acceptance of an area above `area` (its street's), or None: a community's submission is
    accepted with its street."""
    return (
        Approval.objects.filter(period=period, area__code__in=area.ancestor_codes(), status=ApprovalStatus.ACCEPTED)
        .select_related("area", "by")
        .first()
    )


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
    # The statuses read "已上报" and "已验收": no second "已" before them.
    if locking.area_id == area.pk:
        return _("本级{status}，如需修改请由上级退回。").format(status=locking.get_status_display())
    return _("{area}{status}，下级数据已锁定。").format(area=locking.area.name, status=locking.get_status_display())


def missing_leaves(period, area):
    """The entered leaves the area has no value for yet."""
    entered = set(Entry.objects.filter(period=period, area=area).values_list("indicator_id", flat=True))
    return [leaf for leaf in entered_leaves(period, area.level) if leaf.pk not in entered]


def lacking_evidence(period, area):
    """The entered leaves that ask for evidence and whose value the area has entered without any."""
    bare = set(
        Entry.objects.filter(period=period, area=area)
        .exclude(Exists(Evidence.objects.filter(entry=OuterRef("pk"))))
        .values_list("indicator_id", flat=True)
    )
    return [leaf for leaf in entered_leaves(period, area.level) if leaf.evidence_required and leaf.pk in bare]


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
    """Enter or correct a value: refused when locked. The caller adds its evidence in the same
    transaction (entry_views.entry_edit), still under the lock."""
    with transaction.atomic():
        hold(period, area)
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
        hold(period, area)
        check_open(period, area)
        missing = missing_leaves(period, area)
        if missing:
            raise ValidationError(_("还有指标未录入：{names}。").format(names="、".join(leaf.name for leaf in missing)))
        lacking = lacking_evidence(period, area)
        if lacking:
            raise ValidationError(
                _("以下指标须上传佐证材料后才能上报：{names}。").format(names="、".join(leaf.name for leaf in lacking))
            )
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
        hold(period, area)
        current = Approval.objects.select_for_update().filter(period=period, area=area).first()
        if period.status == PeriodStatus.CLOSED:
            raise ValidationError(_("考核周期已关闭，数据已冻结。"))
        if current is not None and current.status == ApprovalStatus.ACCEPTED:
            raise ValidationError(_("{area}已验收，无需再次验收。").format(area=area.name))
        if current is None or current.status != ApprovalStatus.SUBMITTED:
            raise ValidationError(_("{area}尚未上报或已被退回，不能验收。").format(area=area.name))
        return set_status(period, area, user, ApprovalStatus.ACCEPTED)


def return_refusal(period, area):
    """Why `area`'s submission or acceptance cannot be returned now, in Chinese, or None: a closed
    period, nothing submitted, or the area above it submitted or accepted (return that first)."""
    if period.status == PeriodStatus.CLOSED:
        return _("考核周期已关闭，数据已冻结。")
    current = Approval.objects.filter(period=period, area=area).first()
    if current is None or current.status not in LOCKING:
        return _("{area}没有可退回的上报。").format(area=area.name)
    if area.parent is not None:
        above = (
            Approval.objects.filter(
                period=period, area__code__in=[*area.parent.ancestor_codes(), area.parent.code], status__in=LOCKING
            )
            .select_related("area")
            .order_by("area__code")
            .first()
        )
        if above is not None:
            return _("{above}{status}，不能再退回其下级；如需更正，请先由上级退回{above}。").format(
                above=above.area.name, status=above.get_status_display()
            )
    return None


def return_(period, area, user, reason):
    """Send a submission or an acceptance back, with the reason, so that the area can correct it."""
    if not reason.strip():
        raise ValidationError(_("请填写退回原因。"))
    with transaction.atomic():
        hold(period, area)
        Approval.objects.select_for_update().filter(period=period, area=area).first()
        refusal = return_refusal(period, area)
        if refusal:
            raise ValidationError(refusal)
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
