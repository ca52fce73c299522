"""双向认领's rules and steps (funds/models_projects.py), declared on the kit (core/transitions.py):

- a demand: 认领 (a provider claims it: 党员接单、单位认领) — open → claimed, creating its project —
  and 关闭 (the community closes it unclaimed, with a reason);
- a resource: 认领 (a community claims part of it: 社区派单、群众点单) — it stays open while some is
  left, used up when the claim takes the rest — and 撤回 (its keeper withdraws it, with a reason);
- a project: 结项 (closed with its report and evidence, core.files.check_upload) and 终止 (stopped,
  with a reason): the community's side; the provider's unit accounts are told of either.

Each claim takes the kit's step (the row locked, the state the claimer saw checked: of two claims
at once one wins, the other is told what the item became, by whom and when) and creates the project
in the same transaction; the other side of the claim is told (a Notify, and the unit's accounts).
A provider — a unit, a party organisation, a property company (a generic link: property is reached
through Django's app registry, never imported) or a 五彩 team — is said whole (`provider_errors`)."""

from decimal import Decimal

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import files, notices
from core.transitions import UNSEEN, Notify, StateMachine, Subject, Transition
from orgs.scoping import can

from .models import PROPERTY_COMPANY, ClaimKind, Project, ProjectStatus, ProviderKind
from .models_projects import (
    Demand,
    DemandStatus,
    Resource,
    ResourceStatus,
    provider_errors,
)
from .permissions import CLAIM_DEMAND, CLAIM_RESOURCE, CLOSE_PROJECT, KEEP_RESOURCES, POST_DEMAND


def record_url(subject):
    return subject.area.get_absolute_url()


def unit_accounts(subject):
    """The accounts of the reporting unit that provides a project: they hold no area, so are named."""
    return Project.objects.filter(pk=subject.key["pk"], unit__users__isnull=False).values_list("unit__users", flat=True)


def project_url(subject):
    return reverse("funds:project_detail", args=[subject.key["pk"]])


def place_of(subject):
    """Where the record of a step lies (its area), whose holders are told."""
    return subject.area.area


DEMANDS = StateMachine(
    Demand,
    [
        Transition(
            "claim",
            gettext_lazy("认领"),
            [DemandStatus.OPEN],
            DemandStatus.CLAIMED,
            CLAIM_DEMAND,
            confirm=gettext_lazy("认领需求“{subject}”，认领后将生成项目，由双方共同实施。"),
            done=gettext_lazy("已认领，项目已生成。"),
            refusal=gettext_lazy("需求“{subject}”当前为“{state}”，不能再认领。"),
            style="btn-outline-primary",
            icon="hand-index",
            notify=[
                Notify(
                    POST_DEMAND,
                    gettext_lazy("需求“{subject}”已被{provider}认领"),
                    gettext_lazy("已生成项目，请与认领方对接实施。"),
                    url=record_url,
                    area=place_of,
                )
            ],
        ),
        Transition(
            "close",
            gettext_lazy("关闭"),
            [DemandStatus.OPEN],
            DemandStatus.CLOSED,
            POST_DEMAND,
            confirm=gettext_lazy("关闭需求“{subject}”，请说明原因（如已通过其他途径解决）。"),
            done=gettext_lazy("需求已关闭。"),
            reason=True,
            refusal=gettext_lazy("需求“{subject}”当前为“{state}”，不能关闭。"),
            style="btn-outline-secondary",
            icon="x-circle",
        ),
    ],
)

RESOURCES = StateMachine(
    Resource,
    [
        Transition(
            "claim",
            gettext_lazy("认领"),
            [ResourceStatus.OPEN],
            ResourceStatus.OPEN,  # used up, in the same transaction, when the claim takes the rest
            CLAIM_RESOURCE,
            confirm=gettext_lazy("认领资源“{subject}”用于本社区，认领后将生成项目。"),
            done=gettext_lazy("已认领，项目已生成。"),
            refusal=gettext_lazy("资源“{subject}”当前为“{state}”，不能再认领。"),
            style="btn-outline-primary",
            icon="hand-index",
            notify=[
                Notify(
                    KEEP_RESOURCES,
                    gettext_lazy("资源“{subject}”已被{community}认领{amount}"),
                    gettext_lazy("已生成项目，请与社区对接实施。"),
                    url=record_url,
                    area=place_of,
                )
            ],
        ),
        Transition(
            "withdraw",
            gettext_lazy("撤回"),
            [ResourceStatus.OPEN],
            ResourceStatus.WITHDRAWN,
            KEEP_RESOURCES,
            confirm=gettext_lazy("撤回资源“{subject}”，撤回后不能再被认领，请说明原因。"),
            done=gettext_lazy("资源已撤回。"),
            reason=True,
            refusal=gettext_lazy("资源“{subject}”当前为“{state}”，不能撤回。"),
            style="btn-outline-secondary",
            icon="x-circle",
        ),
    ],
)

PROJECTS = StateMachine(
    Project,
    [
        Transition(
            "close",
            gettext_lazy("结项"),
            [ProjectStatus.RUNNING],
            ProjectStatus.CLOSED,
            CLOSE_PROJECT,
            confirm=gettext_lazy("填写结项情况并上传结项材料后结项“{subject}”。"),
            done=gettext_lazy("项目已结项。"),
            refusal=gettext_lazy("项目“{subject}”当前为“{state}”，不能结项。"),
            style="btn-outline-success",
            icon="check2-circle",
            notify=[Notify(None, gettext_lazy("项目“{subject}”已结项"), users=unit_accounts, url=project_url)],
        ),
        Transition(
            "stop",
            gettext_lazy("终止"),
            [ProjectStatus.RUNNING],
            ProjectStatus.STOPPED,
            CLOSE_PROJECT,
            confirm=gettext_lazy("终止项目“{subject}”，请说明原因。"),
            done=gettext_lazy("项目已终止。"),
            reason=True,
            refusal=gettext_lazy("项目“{subject}”当前为“{state}”，不能终止。"),
            style="btn-outline-danger",
            icon="stop-circle",
            notify=[
                Notify(
                    None,
                    gettext_lazy("项目“{subject}”已终止"),
                    gettext_lazy("原因：{reason}"),
                    users=unit_accounts,
                    url=project_url,
                )
            ],
        ),
    ],
)


def subject_of(record, **words):
    return Subject({"pk": record.pk}, record, str(record), back=record.get_absolute_url(), words=words)


# --- the provider -----------------------------------------------------------------------------------


def property_companies(user):
    """The property companies `user` reads (property's scoped manager, through Django's app
    registry: funds imports nothing of property); none where the app is not installed."""
    try:
        model = apps.get_model(PROPERTY_COMPANY)
    except LookupError:
        return None
    return model._default_manager.scoped(user)


def set_provider(record, kind, *, unit=None, organisation=None, company=None, team="", area=None):
    """Say the provider of `record` (a Resource or a Project) whole, and keep its name."""
    record.provider_kind = kind
    record.unit = unit if kind == ProviderKind.UNIT else None
    record.organisation = organisation if kind == ProviderKind.ORGANISATION else None
    record.team = team if kind == ProviderKind.TEAM else ""
    if kind == ProviderKind.PROPERTY and company is not None:
        record.provider_type = ContentType.objects.get_for_model(company)
        record.provider_id = company.pk
    else:
        record.provider_type, record.provider_id = None, None
    record.provider_label = provider_label(record, company, area)[:200]
    return record


def provider_label(record, company=None, area=None):
    kind = record.provider_kind
    if kind == ProviderKind.UNIT and record.unit is not None:
        return record.unit.name
    if kind == ProviderKind.ORGANISATION and record.organisation is not None:
        return record.organisation.name
    if kind == ProviderKind.PROPERTY and company is not None:
        return str(company)
    if kind == ProviderKind.TEAM and record.team:
        place = area or getattr(record, "area", None)
        team = record.get_team_display()
        return _("{place}{team}志愿服务队").format(place=place.name if place else "", team=team)
    return ""


def copy_provider(source, target):
    for name in ("provider_kind", "unit", "organisation", "provider_type", "provider_id", "team", "provider_label"):
        setattr(target, name, getattr(source, name))


# --- claiming a demand (党员接单、单位认领) -------------------------------------------------------------


def claim_demand(demand, user, provider, *, due_on=None, seen=UNSEEN, subject=None):
    """The provider (`provider`: an unsaved Project-like record with the provider said, see
    `set_provider`) claims `demand`: the step taken (refused if claimed meanwhile: one wins, the
    other is told), the project created with owners on both sides, the community told. Returns
    the project."""
    errors = provider_errors(provider)
    if due_on is not None and due_on < timezone.localdate():
        errors["due_on"] = _("计划完成日期 {day} 已过，请选择今天或以后的日期。").format(day=due_on.isoformat())
    if errors:
        raise ValidationError({k: [str(v)] for k, v in errors.items()})
    subject = subject or subject_of(demand)
    subject.words["provider"] = provider.provider_label
    with transaction.atomic():
        record = DEMANDS.take("claim", {"pk": demand.pk}, user, seen=seen, subject=subject)
        now = timezone.now()
        Demand.objects.filter(pk=record.pk).update(claimed_at=now)
        project = Project(
            area=record.area,
            title=record.title,
            description=record.description,
            started_on=timezone.localdate(now),
            due_on=due_on,
            demand=record,
            claim_kind=ClaimKind.DEMAND,
            claimed_by=user if getattr(user, "pk", None) else None,
        )
        copy_provider(provider, project)
        project.save()
    return project


# --- claiming a resource (社区派单、群众点单) ------------------------------------------------------------


def claim_errors(user, resource, area, quantity):
    errors = {}
    if area is None:
        errors["area"] = _("请选择实施项目的社区或网格。")
    elif area.level not in ("community", "grid"):
        errors["area"] = _("项目须在社区或网格实施，“{area}”是{level}。").format(
            area=area.name, level=area.get_level_display()
        )
    elif not can(user, CLAIM_RESOURCE, area.code):
        errors["area"] = _("“{area}”不在您可以认领资源的范围内。").format(area=area.name)
    elif not resource.serves.filter(code__in=[area.code[:n] for n in range(2, len(area.code) + 1)]).exists():
        errors["area"] = _("资源“{title}”不面向“{area}”。").format(title=resource.title, area=area.name)
    if quantity is None or quantity <= 0:
        errors["quantity"] = _("认领数量须大于 0。")
    return errors


def claim_resource(resource, user, *, area, quantity, due_on=None, seen=UNSEEN, subject=None):
    """A community claims `quantity` of `resource` for a project at `area`: the step taken (the
    row locked), refused when less is left than asked (two claims at once: the second is told
    what is left), the project created, the resource used up when none is left, the provider told."""
    quantity = Decimal(quantity) if quantity is not None else None
    errors = claim_errors(user, resource, area, quantity)
    if errors:
        raise ValidationError({k: [str(v)] for k, v in errors.items()})
    subject = subject or subject_of(resource)
    subject.words.update(community=area.name, amount=f"{quantity.normalize():f}{resource.measure}")
    with transaction.atomic():
        record = RESOURCES.take("claim", {"pk": resource.pk}, user, seen=seen, subject=subject)
        left = record.remaining()
        if quantity > left:
            raise ValidationError(
                {
                    "quantity": [
                        _("资源“{title}”仅剩 {left}{measure}，不足本次认领的 {asked}{measure}。").format(
                            title=record.title,
                            left=f"{left.normalize():f}",
                            asked=f"{quantity.normalize():f}",
                            measure=record.measure,
                        )
                    ]
                }
            )
        today = timezone.localdate()
        project = Project(
            area=area,
            title=record.title,
            description=record.description,
            started_on=today,
            due_on=due_on or record.available_to,
            resource=record,
            resource_quantity=quantity,
            claim_kind=ClaimKind.RESOURCE,
            claimed_by=user if getattr(user, "pk", None) else None,
        )
        copy_provider(record, project)
        project.save()
        if quantity == left:
            Resource.objects.filter(pk=record.pk).update(status=ResourceStatus.USED_UP)
        if record.unit_id:  # the unit's own accounts are told too (they hold no area)
            notices.tell(
                [u for u in record.unit.users.values_list("pk", flat=True) if u != getattr(user, "pk", None)],
                source=f"funds.resource:{record.pk}:claim:{project.pk}",
                title=subject.say(RESOURCES["claim"].notify[0].title),
                body=_("已生成项目“{title}”。").format(title=project.title),
                url=project.get_absolute_url(),
                record=project,
                record_label=str(project),
            )
    return project


# --- closing a project ------------------------------------------------------------------------------


def close_errors(report, evidence):
    errors = {}
    if not (report or "").strip():
        errors["report"] = _("请填写结项情况。")
    if evidence:
        try:
            files.check_upload(evidence)
        except ValidationError as error:
            errors["evidence"] = " ".join(error.messages)
    else:
        errors["evidence"] = _("请上传结项材料（如活动照片、服务记录、验收单）。")
    return errors


def close_project(project, user, *, report, evidence, seen=UNSEEN, subject=None):
    """结项: the report and the evidence kept and the step taken, all or nothing; the provider's
    unit accounts told."""
    errors = close_errors(report, evidence)
    if errors:
        raise ValidationError({k: [str(v)] for k, v in errors.items()})
    stored = []
    try:
        with transaction.atomic():
            locked = Project.objects.select_for_update().get(pk=project.pk)
            if locked.status == ProjectStatus.RUNNING:
                locked.report, locked.closed_on = report.strip(), timezone.localdate()
                locked.evidence_name = evidence.name[:200]
                locked.evidence.save(evidence.name.rsplit("/", 1)[-1], evidence, save=False)
                stored.append(locked.evidence)
                locked.save()
            return PROJECTS.take("close", {"pk": project.pk}, user, seen=seen, subject=subject)
    except Exception:
        for field_file in stored:  # rolled back: the new file goes too
            field_file.storage.delete(field_file.name)
        raise


def late(queryset, today=None):
    """The projects of `queryset` past their due date and still running (逾期)."""
    return queryset.filter(status=ProjectStatus.RUNNING, due_on__lt=today or timezone.localdate())


# --- the volunteers' hours: service records of the 双报到 log counted for a project --------------------


def service_candidates(user, project):
    """The service records `user` reads that may count for `project`: of its unit's members, or of
    the members reporting to its community; served since it began; not counted for any project."""
    from party.models import ServiceRecord

    from .models_projects import ProjectService

    community = project.community
    members = Q(member__community=community)
    if project.unit_id:
        members |= Q(member__unit=project.unit_id)
    return (
        ServiceRecord.objects.scoped(user)
        .filter(members, served_on__gte=project.started_on)
        .exclude(pk__in=ProjectService.objects.values("record"))
        .select_related("member")
        .order_by("-served_on", "-pk")
    )


def count_services(project, records, user):
    """Count `records` (ServiceRecords) for `project`, which must be running; a record counted
    meanwhile for another project is refused (its one-to-one), all or nothing."""
    from .models_projects import ProjectService

    if project.status != ProjectStatus.RUNNING:
        raise ValidationError(_("项目“{title}”已结束，不能再关联服务记录。").format(title=project.title))
    try:
        with transaction.atomic():
            return ProjectService.objects.bulk_create(
                ProjectService(project=project, record=record, linked_by=user if getattr(user, "pk", None) else None)
                for record in records
            )
    except IntegrityError:
        raise ValidationError(_("所选服务记录已被关联到其他项目，请刷新后重新选择。")) from None
