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
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.transitions import UNSEEN, Notify, StateMachine, Subject, Transition
from orgs.choices import AreaLevel
from orgs.models import Area

from .choices import LOCKING, ApprovalStatus, Method, PeriodStatus
from .models import Approval, Entry, Evidence, Indicator, Period
from .permissions import ACCEPT, ENTER, RETURN

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


# --- the approval chain, declared (core/transitions.py) -----------------------------------------
# The subject of a step is the approval of an area in a period, {"period": …, "area": …}: its row
# is created by the first submission. Every step holds `hold` (the area's row and its parent's).


def frozen(key, record):
    """Every step's first refusal: a closed period (`hold` has re-read its status)."""
    if key["period"].status == PeriodStatus.CLOSED:
        return _("考核周期已关闭，数据已冻结。")
    return None


def submit_refusal(key, record):
    """What stops a submission besides its state: an area above that stands submitted or accepted,
    values or evidence missing, communities that have not submitted."""
    period, area = key["period"], key["area"]
    lock = lock_reason(period, area)
    if lock:
        return lock
    missing = missing_leaves(period, area)
    if missing:
        return _("还有指标未录入：{names}。").format(names="、".join(leaf.name for leaf in missing))
    lacking = lacking_evidence(period, area)
    if lacking:
        return _("以下指标须上传佐证材料后才能上报：{names}。").format(names="、".join(leaf.name for leaf in lacking))
    waiting = waiting_children(period, area)
    if waiting:
        return _("还有社区未上报：{names}。").format(names="、".join(child.name for child in waiting[:10]))
    return None


def above_refusal(key, record):
    """A submission or acceptance is returned only while the area above it stands neither submitted
    nor accepted (that one is returned first)."""
    period, area = key["period"], key["area"]
    if area.parent is None:
        return None
    above = (
        Approval.objects.filter(
            period=period, area__code__in=[*area.parent.ancestor_codes(), area.parent.code], status__in=LOCKING
        )
        .select_related("area")
        .order_by("area__code")
        .first()
    )
    if above is None:
        return None
    return _("{above}{status}，不能再退回其下级；如需更正，请先由上级退回{above}。").format(
        above=above.area.name, status=above.get_status_display()
    )


def area_of(subject):
    return getattr(subject, "area", subject)


# --- who is told (core/notices.py) --------------------------------------------------------------


def entry_page(area, period):
    return reverse("assessment:entry", args=[area.code]) + f"?period={period.pk}"


def own_page(subject):
    """The returned area's own entry page: where its cadres correct and submit again."""
    return entry_page(subject.key["area"], subject.key["period"])


def reviewing_page(subject):
    """The page of the area above: where the submitted area is listed with 验收 and 退回."""
    area = subject.key["area"]
    return entry_page(area.parent or area, subject.key["period"])


def period_words(subject):
    return {"period": subject.key["period"].label}


SUBMITTED_BODY = gettext_lazy("请查看其录入值与佐证材料，验收或退回。")


APPROVAL = StateMachine(
    Approval,
    [
        Transition(
            "submit",
            gettext_lazy("上报"),
            sources=[None, ApprovalStatus.RETURNED],
            target=ApprovalStatus.SUBMITTED,
            action=ENTER,
            title=gettext_lazy("上报录入值"),
            confirm=gettext_lazy("上报后本级录入值将锁定，需上级退回才能修改。确定上报{subject}的录入值吗？"),
            done=gettext_lazy("已上报，等待上级审核。"),
            refusals={
                ApprovalStatus.SUBMITTED: gettext_lazy("本级已上报，如需修改请由上级退回。"),
                ApprovalStatus.ACCEPTED: gettext_lazy("本级已验收，如需修改请由上级退回。"),
            },
            guard=submit_refusal,
            applies=lambda subject: area_of(subject).level in SUBMITTING_LEVELS,
            style="btn-primary",
            icon="bi-send",
            # A street's submission awaits the district's acceptance; a community's awaits its
            # street, which returns it or submits with it (the nearest holders of 退回 over it).
            notify=[
                Notify(
                    ACCEPT,
                    gettext_lazy("{subject}已上报{period}的录入值，待验收"),
                    SUBMITTED_BODY,
                    url=reviewing_page,
                    applies=lambda subject: area_of(subject).level == ACCEPTED_LEVEL,
                    words=period_words,
                ),
                Notify(
                    RETURN,
                    gettext_lazy("{subject}已上报{period}的录入值，待街道审核"),
                    gettext_lazy("请查看其录入值；所辖社区都上报后，由街道一并上报。"),
                    url=reviewing_page,
                    applies=lambda subject: area_of(subject).level == AreaLevel.COMMUNITY,
                    words=period_words,
                ),
            ],
        ),
        Transition(
            "accept",
            gettext_lazy("验收"),
            sources=[ApprovalStatus.SUBMITTED],
            target=ApprovalStatus.ACCEPTED,
            action=ACCEPT,
            title=gettext_lazy("验收{subject}的录入值"),
            confirm=gettext_lazy(
                "验收后，{subject}及所辖 {communities} 个社区在{period}的录入值计入得分，并锁定不能修改；"
                "如需更正，可再由区（县）退回。确定验收吗？"
            ),
            done=gettext_lazy("已验收{subject}的录入值，其所辖社区的录入值一并计分。"),
            refusal=gettext_lazy("{subject}尚未上报或已被退回，不能验收。"),
            refusals={ApprovalStatus.ACCEPTED: gettext_lazy("{subject}已验收，无需再次验收。")},
            applies=lambda subject: area_of(subject).level == ACCEPTED_LEVEL,
            style="btn-success",
        ),
        Transition(
            "return",
            gettext_lazy("退回"),
            sources=LOCKING,
            target=ApprovalStatus.RETURNED,
            action=RETURN,
            title=gettext_lazy("退回{subject}的录入值"),
            confirm=gettext_lazy("{period} · 退回后对方可以修改录入值并重新上报。"),
            done=gettext_lazy("已退回{subject}，已通知其填报人员；退回原因也显示在其填报页面上。"),
            reason=True,
            reason_label=gettext_lazy("退回原因"),
            reason_help=gettext_lazy("将显示在被退回单位的填报页面上。"),
            refusal=gettext_lazy("{subject}没有可退回的上报。"),
            guard=above_refusal,
            style="btn-outline-warning",
            # The returned area's cadres (the nearest who enter its values), with the reason.
            notify=[
                Notify(
                    ENTER,
                    gettext_lazy("{subject}{period}的录入值被退回"),
                    gettext_lazy("退回原因：{reason}\n请修改后重新上报。"),
                    url=own_page,
                    words=period_words,
                ),
            ],
        ),
    ],
    initial_label=gettext_lazy("填报中"),
    locks=lambda key: hold(key["period"], key["area"]),
    guard=frozen,
)


def step(name, period, area, user, reason="", seen=UNSEEN):
    """Take a step of the chain on `area`'s approval in `period` (refusals: ValidationError in Chinese)."""
    return APPROVAL.take(
        name,
        {"period": period, "area": area},
        user,
        reason=reason,
        seen=seen,
        subject=Subject({"period": period, "area": area}, area, area.name, words={"period": period.label}),
    )


def submit(period, area, user, seen=UNSEEN):
    if area.level not in SUBMITTING_LEVELS:
        raise ValidationError(_("只有街道和社区上报录入值。"))
    return step("submit", period, area, user, seen=seen)


def accept(period, area, user, seen=UNSEEN):
    if area.level != ACCEPTED_LEVEL:
        raise ValidationError(_("由区（县）验收街道上报的录入值。"))
    return step("accept", period, area, user, seen=seen)


def return_refusal(period, area):
    """Why `area`'s submission or acceptance cannot be returned now, in Chinese, or None."""
    key = {"period": period, "area": area}
    return APPROVAL.refusal("return", key, APPROVAL.record(key), Subject(key, area, area.name))


def return_(period, area, user, reason, seen=UNSEEN):
    """Send a submission or an acceptance back, with the reason, so that the area can correct it."""
    if not reason.strip():
        raise ValidationError(_("请填写退回原因。"))
    return step("return", period, area, user, reason=reason, seen=seen)


def accepted_prefixes(period):
    """The codes of the areas whose values are accepted in the period: an entry counts when its
    area's code starts with one of them (the area, or its street, was accepted)."""
    return list(
        Approval.objects.filter(period=period, status=ApprovalStatus.ACCEPTED).values_list("area__code", flat=True)
    )
