"""双向认领's API on the kit (core/api.py): a ScopedViewSet per model — demands, resources, projects,
milestones, and the service records counted for a project — and the declared steps as API actions:
demand-steps (claim with who serves, close), resource-steps (claim for a community with how much,
withdraw), project-steps (close with report and evidence, multipart; stop). Refusals in Chinese,
as on the pages."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from core.api import (
    DeclaredSerializer,
    ScopedPrimaryKeyField,
    ScopedRelatedField,
    ScopedViewSet,
    TransitionSerializer,
    TransitionViewSet,
)
from core.transitions import UNSEEN
from orgs.models import Area
from orgs.scoping import Action
from party.choices import ServiceTeam
from party.models import PartyOrganisation, ReportingUnit, ServiceRecord

from . import filters_projects as filters
from . import projects_flow as flow
from .models import Project, ProjectStatus, ProviderKind
from .models_projects import (
    DEMAND_LEVELS,
    Demand,
    DemandStatus,
    ProjectMilestone,
    ProjectService,
    Resource,
    ResourceStatus,
)
from .permissions import KEEP_MILESTONES, KEEP_PROJECTS, KEEP_RESOURCES, POST_DEMAND, is_unit_account
from .views_projects import with_hours, with_used

ID = {"min_value": 1, "max_value": 2**31 - 1}


def choices_of(choices):
    return [(value, str(label)) for value, label in choices]


class DemandSerializer(DeclaredSerializer):
    """A demand: its community or grid (an area code of the caller's scope), what, how urgent, for
    how many people; its state and when it was claimed, read only."""

    area = ScopedRelatedField(
        queryset=Area.objects.all(), slug_field="code", action=POST_DEMAND, help_text="社区或网格的区划代码"
    )
    status = serializers.ChoiceField(choices=choices_of(DemandStatus.choices), read_only=True, help_text="状态")

    class Meta:
        model = Demand
        fields = ["id", "area", "title", "description", "urgency", "people", "status", "posted_at", "claimed_at"]
        read_only_fields = ["status", "posted_at", "claimed_at"]


class DemandViewSet(ScopedViewSet):
    """需求清单：社区、网格发布的群众需求（报到单位账号只见向其开放的待认领需求）。"""

    queryset = Demand.objects.select_related("area")
    serializer_class = DemandSerializer
    filterset_class = filters.DemandFilterSet
    write_action = POST_DEMAND

    def save_object(self, serializer):
        if serializer.instance is None:
            return serializer.save(posted_by=self.request.user)
        return serializer.save()


class ProviderFields(serializers.Serializer):
    """Who serves: the kind, then the unit, the party organisation, the property company (its id)
    or the 五彩 team."""

    provider_kind = serializers.ChoiceField(choices=choices_of(ProviderKind.choices), help_text="提供方类型")
    unit = ScopedPrimaryKeyField(
        queryset=ReportingUnit.objects.all(),
        action=Action.VIEW,
        required=False,
        allow_null=True,
        help_text="报到单位编号",
    )
    organisation = ScopedPrimaryKeyField(
        queryset=PartyOrganisation.objects.all(),
        action=Action.VIEW,
        required=False,
        allow_null=True,
        help_text="党组织编号",
    )
    company = serializers.IntegerField(required=False, allow_null=True, help_text="物业企业编号", **ID)
    team = serializers.ChoiceField(
        choices=choices_of(ServiceTeam.choices), required=False, allow_blank=True, help_text="五彩志愿服务队"
    )


def provider_of(target, data, user, area=None):
    """Set the provider of `target` from the validated `data`; a refusal by field (400)."""
    company = None
    if data.get("provider_kind") == ProviderKind.PROPERTY and data.get("company"):
        companies = flow.property_companies(user)
        company = companies.filter(pk=data["company"]).first() if companies is not None else None
        if company is None:
            raise ValidationError({"company": [_("物业企业不存在或不在您的范围内。")]})
    flow.set_provider(
        target,
        data.get("provider_kind") or "",
        unit=data.get("unit"),
        organisation=data.get("organisation"),
        company=company,
        team=data.get("team") or "",
        area=area,
    )
    errors = flow.provider_errors(target)
    if errors:
        raise ValidationError({field: [str(message)] for field, message in errors.items()})
    return target


class ResourceSerializer(DeclaredSerializer):
    """A resource: registered at an area of the caller's scope, offered by a provider, how much in
    which unit, when, for which areas (codes); how much its claims took, read only."""

    area = ScopedRelatedField(
        queryset=Area.objects.all(), slug_field="code", action=KEEP_RESOURCES, help_text="登记区划代码"
    )
    serves = ScopedRelatedField(
        queryset=Area.objects.all(), slug_field="code", action=KEEP_RESOURCES, many=True, help_text="服务区域的区划代码"
    )
    provider_kind = serializers.ChoiceField(choices=choices_of(ProviderKind.choices), help_text="提供方类型")
    unit = ScopedPrimaryKeyField(
        queryset=ReportingUnit.objects.all(),
        action=Action.VIEW,
        required=False,
        allow_null=True,
        help_text="报到单位编号",
    )
    organisation = ScopedPrimaryKeyField(
        queryset=PartyOrganisation.objects.all(),
        action=Action.VIEW,
        required=False,
        allow_null=True,
        help_text="党组织编号",
    )
    company = serializers.IntegerField(required=False, allow_null=True, write_only=True, help_text="物业企业编号", **ID)
    team = serializers.ChoiceField(
        choices=choices_of(ServiceTeam.choices), required=False, allow_blank=True, help_text="五彩志愿服务队"
    )
    used_quantity = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True, help_text="已认领数量")
    status = serializers.ChoiceField(choices=choices_of(ResourceStatus.choices), read_only=True, help_text="状态")

    class Meta:
        model = Resource
        fields = [
            "id",
            "area",
            "title",
            "description",
            "provider_kind",
            "unit",
            "organisation",
            "company",
            "team",
            "provider_label",
            "quantity",
            "measure",
            "available_from",
            "available_to",
            "serves",
            "used_quantity",
            "status",
        ]
        read_only_fields = ["provider_label", "used_quantity", "status"]

    def validate(self, attrs):
        user = self.context["request"].user
        target = Resource(area=attrs.get("area") or getattr(self.instance, "area", None))
        data = {
            name: attrs.get(name, getattr(self.instance, name, None) if self.instance is not None else None)
            for name in ("provider_kind", "unit", "organisation", "team")
        }
        data["company"] = attrs.pop("company", None) or (
            self.instance.provider_id if self.instance is not None else None
        )
        provider_of(target, data, user, target.area if target.area_id else None)
        for name in ("provider_kind", "unit", "organisation", "team", "provider_type", "provider_id", "provider_label"):
            attrs[name] = getattr(target, name)
        return super().validate(attrs)


class ResourceViewSet(ScopedViewSet):
    """资源清单：报到单位、党组织、物业企业与五彩志愿服务队提供的资源及其使用情况。"""

    queryset = with_used(Resource.objects.select_related("area")).prefetch_related("serves")
    serializer_class = ResourceSerializer
    filterset_class = filters.ResourceFilterSet
    write_action = KEEP_RESOURCES

    def save_object(self, serializer):
        if serializer.instance is None:
            return serializer.save(posted_by=self.request.user)
        return serializer.save()


class ProjectSerializer(DeclaredSerializer):
    """A project: its community or grid, name, dates; how it came (the demand or the resource
    claimed, how much of it), who serves, its volunteers' hours from the service log, read only."""

    area = ScopedRelatedField(
        queryset=Area.objects.all(), slug_field="code", action=KEEP_PROJECTS, help_text="社区或网格的区划代码"
    )
    status = serializers.ChoiceField(choices=choices_of(ProjectStatus.choices), read_only=True, help_text="状态")
    service_hours = serializers.DecimalField(
        max_digits=9, decimal_places=1, read_only=True, help_text="志愿服务时长（小时，来自服务记录）"
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "area",
            "title",
            "description",
            "started_on",
            "due_on",
            "status",
            "closed_on",
            "demand",
            "resource",
            "resource_quantity",
            "claim_kind",
            "provider_kind",
            "provider_label",
            "unit",
            "service_hours",
            "report",
        ]
        read_only_fields = [
            "status",
            "closed_on",
            "demand",
            "resource",
            "resource_quantity",
            "claim_kind",
            "provider_kind",
            "provider_label",
            "unit",
            "service_hours",
            "report",
        ]

    def validate(self, attrs):
        area = attrs.get("area")
        if area is not None and area.level not in DEMAND_LEVELS:
            raise ValidationError(
                {
                    "area": [
                        _("项目须在社区或网格实施，“{area}”是{level}。").format(
                            area=area.name, level=area.get_level_display()
                        )
                    ]
                }
            )
        started = attrs.get("started_on", getattr(self.instance, "started_on", None))
        due = attrs.get("due_on", getattr(self.instance, "due_on", None))
        if started and due and due < started:
            raise ValidationError({"due_on": [_("计划完成日期不能早于开始日期。")]})
        return super().validate(attrs)


class ProjectViewSet(ScopedViewSet):
    """项目：双向认领生成（或社区自办）的项目，双方共同实施；志愿服务时长取自双报到服务记录。"""

    queryset = with_hours(Project.objects.select_related("area"))
    serializer_class = ProjectSerializer
    filterset_class = filters.ProjectFilterSet
    write_action = KEEP_PROJECTS


class ProjectMilestoneSerializer(DeclaredSerializer):
    project = ScopedPrimaryKeyField(queryset=Project.objects.all(), action=KEEP_MILESTONES, help_text="项目编号")

    class Meta:
        model = ProjectMilestone
        fields = ["id", "project", "title", "due_on", "done_on"]

    def validate(self, attrs):
        project = attrs.get("project")
        if project is not None and project.status != ProjectStatus.RUNNING:
            raise ValidationError({"project": [_("项目“{title}”已结束，不能再增改节点。").format(title=project.title)]})
        if self.instance is not None and project is not None and project.pk != self.instance.project_id:
            raise ValidationError({"project": [_("节点不能移到另一个项目。")]})
        return super().validate(attrs)


class ProjectMilestoneViewSet(ScopedViewSet):
    """项目节点：项目的计划与完成情况（项目双方均可维护）。"""

    queryset = ProjectMilestone.objects.select_related("project")
    serializer_class = ProjectMilestoneSerializer
    filterset_class = filters.ProjectMilestoneFilterSet
    write_action = KEEP_MILESTONES


class ProjectServiceSerializer(DeclaredSerializer):
    """A service record of the 双报到 log counted for a project (its hours are the project's)."""

    project = ScopedPrimaryKeyField(queryset=Project.objects.all(), action=KEEP_MILESTONES, help_text="项目编号")
    record = ScopedPrimaryKeyField(queryset=ServiceRecord.objects.all(), action=Action.VIEW, help_text="服务记录编号")
    hours = serializers.DecimalField(source="record.hours", max_digits=5, decimal_places=1, read_only=True)

    class Meta:
        model = ProjectService
        fields = ["id", "project", "record", "hours", "linked_at"]
        read_only_fields = ["linked_at"]

    def validate(self, attrs):
        project, record = attrs.get("project"), attrs.get("record")
        if self.instance is not None:
            raise ValidationError(_("服务记录的关联不能修改，请取消关联后重新关联。"))
        if project is not None and record is not None:
            if not flow.service_candidates(self.context["request"].user, project).filter(pk=record.pk).exists():
                raise ValidationError(
                    {
                        "record": [
                            _("该服务记录不能计入此项目（非本单位或本社区在职党员、早于项目开始，或已计入其他项目）。")
                        ]
                    }
                )
        return attrs


class ProjectServiceViewSet(ScopedViewSet):
    """项目服务记录：计入项目的双报到服务记录（时长取自服务记录，不重复填写）。"""

    queryset = ProjectService.objects.select_related("project", "record")
    serializer_class = ProjectServiceSerializer
    write_action = KEEP_MILESTONES
    http_method_names = ["get", "post", "delete", "head", "options"]

    def save_object(self, serializer):
        data = serializer.validated_data
        return flow.count_services(data["project"], [data["record"]], self.request.user)[0]

    def delete_object(self, instance):
        if instance.project.status != ProjectStatus.RUNNING:
            raise ValidationError(_("项目“{title}”已结束，其服务记录不能再改动。").format(title=instance.project.title))
        instance.delete()


# --- the steps -----------------------------------------------------------------------------------------


class DemandStepSerializer(ProviderFields, TransitionSerializer):
    demand = serializers.IntegerField(label="需求编号", **ID)
    provider_kind = serializers.ChoiceField(
        choices=choices_of(ProviderKind.choices), required=False, help_text="提供方类型（认领必填；单位账号可省略）"
    )
    due_on = serializers.DateField(required=False, allow_null=True, help_text="计划完成日期（认领）")


class DemandStepViewSet(TransitionViewSet):
    """需求的操作：认领（党员接单、单位认领，生成项目）、关闭。"""

    machine = flow.DEMANDS
    queryset = Demand.objects.none()
    serializer_class = DemandSerializer
    request_serializer = DemandStepSerializer

    def subject(self, data):
        demand = get_object_or_404(Demand.objects.scoped(self.request.user, Action.VIEW), pk=data["demand"])
        return flow.subject_of(demand)

    def perform_step(self, t, subject, data, user):
        if t.name != "claim":
            return super().perform_step(t, subject, data, user)
        demand = subject.area
        data = dict(data)
        if is_unit_account(user) and not user.is_superuser and not data.get("provider_kind"):
            data.update(
                provider_kind=ProviderKind.UNIT,
                unit=data.get("unit") or ReportingUnit.objects.filter(users=user).first(),
            )
        if data.get("unit") is not None and is_unit_account(user) and not user.is_superuser:
            if not ReportingUnit.objects.filter(users=user, pk=data["unit"].pk).exists():
                raise ValidationError({"unit": [_("单位账号只能以本单位名义认领。")]})
        provider = provider_of(Project(area=demand.area), data, user, demand.area)
        flow.claim_demand(
            demand, user, provider, due_on=data.get("due_on"), seen=data.get("state", UNSEEN), subject=subject
        )
        return Demand.objects.get(pk=demand.pk)


class ResourceStepSerializer(TransitionSerializer):
    resource = serializers.IntegerField(label="资源编号", **ID)
    area = serializers.CharField(required=False, max_length=30, help_text="实施社区或网格的区划代码（认领必填）")
    quantity = serializers.DecimalField(
        required=False, max_digits=12, decimal_places=2, help_text="认领数量（认领必填，大于 0）"
    )
    due_on = serializers.DateField(required=False, allow_null=True, help_text="计划完成日期（认领）")


class ResourceStepViewSet(TransitionViewSet):
    """资源的操作：认领（社区派单、群众点单，生成项目）、撤回。"""

    machine = flow.RESOURCES
    queryset = Resource.objects.none()
    serializer_class = ResourceSerializer
    request_serializer = ResourceStepSerializer

    def subject(self, data):
        resource = get_object_or_404(Resource.objects.scoped(self.request.user, Action.VIEW), pk=data["resource"])
        return flow.subject_of(resource)

    def perform_step(self, t, subject, data, user):
        if t.name != "claim":
            record = super().perform_step(t, subject, data, user)
        else:
            area = Area.objects.filter(code=(data.get("area") or "").strip()).first()
            if area is None:
                raise ValidationError({"area": [_("请填写实施项目的社区或网格的区划代码。")]})
            flow.claim_resource(
                subject.area,
                user,
                area=area,
                quantity=data.get("quantity"),
                due_on=data.get("due_on"),
                seen=data.get("state", UNSEEN),
                subject=subject,
            )
            record = subject.area
        return with_used(Resource.objects.all()).get(pk=record.pk)


class ProjectStepSerializer(TransitionSerializer):
    project = serializers.IntegerField(label="项目编号", **ID)
    report = serializers.CharField(required=False, allow_blank=True, max_length=2000, help_text="结项情况（结项必填）")
    evidence = serializers.FileField(required=False, help_text="结项材料（结项必传，以文件上传的表单提交）")


class ProjectStepViewSet(TransitionViewSet):
    """项目的操作：结项（附结项情况与材料）、终止。"""

    machine = flow.PROJECTS
    queryset = Project.objects.none()
    serializer_class = ProjectSerializer
    request_serializer = ProjectStepSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def subject(self, data):
        project = get_object_or_404(Project.objects.scoped(self.request.user, Action.VIEW), pk=data["project"])
        return flow.subject_of(project)

    def perform_step(self, t, subject, data, user):
        if t.name == "close":
            flow.close_project(
                subject.area,
                user,
                report=data.get("report", ""),
                evidence=data.get("evidence"),
                seen=data.get("state", UNSEEN),
                subject=subject,
            )
        else:
            super().perform_step(t, subject, data, user)
        return with_hours(Project.objects.all()).get(pk=subject.area.pk)


ROUTES = (
    ("demands", DemandViewSet, "demand"),
    ("resources", ResourceViewSet, "resource"),
    ("projects", ProjectViewSet, "project"),
    ("project-milestones", ProjectMilestoneViewSet, "projectmilestone"),
    ("project-services", ProjectServiceViewSet, "projectservice"),
    ("demand-steps", DemandStepViewSet, "demandstep"),
    ("resource-steps", ResourceStepViewSet, "resourcestep"),
    ("project-steps", ProjectStepViewSet, "projectstep"),
)
