"""One person's career across the portal (seed 004: graduate → 网格员 → 两委 → 书记 → 街道公务员): the
worker's offices and their changes of post and grade, the roster's posts (grids: 网格员, 网格长 …)
and the party register's joining and full membership — one timeline, matched by the ID number
(core.identity), whoever's app holds each piece. Four queries, whatever the length of the career.

Workforce reads grids' and party's models only (pyproject's import contracts)."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from core import identity
from grids.models import HeadAssignment
from party.models import PartyMember

from .models_workers import Worker, WorkerChange, category_label


@dataclass
class Step:
    on: date
    until: date | None
    title: str
    where: str
    source: str  # 社区工作者 / 网格名册 / 党员名册
    detail: str = ""


def same_person(worker):
    """The worker's ID number as core.identity cleans it, or "" when it is not a valid one."""
    try:
        return identity.id_number(worker.id_number or "")
    except ValueError:
        return ""


def career(worker):
    """[Step] of the person behind `worker`, oldest first."""
    number = same_person(worker)
    if not number:
        return []
    steps = []
    offices = list(Worker.objects.filter(id_number=number).select_related("area").order_by("hired_on", "pk"))
    changes = list(
        WorkerChange.objects.filter(worker__in=[o.pk for o in offices])
        .select_related("worker__area")
        .order_by("changed_on", "pk")
    )
    first_post = {}  # the post each office began on: its first change's "before", else its post now
    for change in changes:
        if change.post_before:
            first_post.setdefault(change.worker_id, change.get_post_before_display())
    for office in offices:
        steps.append(
            Step(
                office.hired_on,
                office.left_on,
                _("入职：{post}").format(post=first_post.get(office.pk, office.get_post_display())),
                office.area.name,
                _("社区工作者"),
                _("兼职") if office.part_time else "",
            )
        )
        if office.left_on:
            steps.append(Step(office.left_on, None, _("离职"), office.area.name, _("社区工作者")))
    for change in changes:
        code = change.worker.area.code
        before = (
            _("{post}{category}岗{grade}级").format(
                post=change.get_post_before_display(),
                category=category_label(code, change.category_before),
                grade=change.grade_before,
            )
            if change.grade_before
            else ""
        )
        after = _("{post}{category}岗{grade}级").format(
            post=change.get_post_display(), category=category_label(code, change.category), grade=change.grade
        )
        steps.append(
            Step(
                change.changed_on,
                None,
                _("{kind}：{after}").format(kind=change.get_kind_display(), after=after),
                change.worker.area.name,
                _("社区工作者"),
                _("原为{before}；{reason}").format(before=before, reason=change.reason) if before else change.reason,
            )
        )
    posts = HeadAssignment.objects.filter(person__id_number=number).select_related("area").order_by("start_date")
    for post in posts:
        steps.append(Step(post.start_date, post.end_date, post.get_post_display(), post.area.name, _("网格名册")))
    for member in PartyMember.objects.filter(id_number=number).select_related("organisation"):
        if member.joined_on:
            steps.append(Step(member.joined_on, None, _("入党"), member.organisation.name, _("党员名册")))
        if member.full_member_on:
            steps.append(Step(member.full_member_on, None, _("转为正式党员"), member.organisation.name, _("党员名册")))
    return sorted(steps, key=lambda step: (step.on, step.until or date.max))
