"""The forms of 双向认领: a demand (at a community or grid of one's scope, typed by code), a resource
(its provider said whole, the areas it serves typed by code), a project and its milestones, and
the steps' forms — claiming a demand for a provider (a unit's account: its own unit), claiming a
resource for a community, closing a project with its report and evidence, and counting service
records of the 双报到 log for a project. Every refusal in Chinese."""

from decimal import Decimal

from django import forms
from django.forms import FileInput
from django.utils.translation import gettext_lazy as _

from core import files
from core.forms import BootstrapMixin, ScopedModelForm, bootstrap_field
from orgs.models import Area
from orgs.scoping import Action
from party.choices import ServiceTeam
from party.models import PartyOrganisation, ReportingUnit, ServiceRecord

from . import projects_flow as flow
from .models import Project, ProviderKind
from .models_projects import DEMAND_LEVELS, Demand, ProjectMilestone, Resource
from .permissions import KEEP_MILESTONES, KEEP_PROJECTS, KEEP_RESOURCES, POST_DEMAND, is_unit_account

DATE = forms.DateInput(attrs={"type": "date"})


class DemandForm(ScopedModelForm):
    """需求: what residents of a community or a grid of one's scope need."""

    action = POST_DEMAND
    typed_keys = {"area": "code"}

    class Meta:
        model = Demand
        fields = ["area", "title", "description", "urgency", "people"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].label = _("社区/网格")
        self.fields["area"].help_text = _("填写本辖区内社区或网格的区划代码。")

    def save(self, commit=True):
        if self.instance.pk is None:
            self.instance.posted_by = self.user if getattr(self.user, "pk", None) else None
        return super().save(commit=commit)


class ProviderMixin:
    """The provider's fields — its kind, then the unit, the party organisation, the property
    company (property's scoped records, through Django's app registry) or the 五彩 team — checked
    whole, and set on `target` (funds.projects_flow.set_provider)."""

    def add_provider_fields(self, user, initial=None):
        self.fields["provider_kind"] = forms.ChoiceField(
            label=_("提供方类型"),
            choices=ProviderKind.choices,
            help_text=_("选定类型后，只需在下面对应的一栏中选择提供方，其余几栏留空。"),
        )
        self.fields["unit"] = forms.ModelChoiceField(
            label=_("报到单位"), queryset=ReportingUnit.objects.scoped(user, Action.VIEW), required=False
        )
        self.fields["organisation"] = forms.ModelChoiceField(
            label=_("党组织"), queryset=PartyOrganisation.objects.scoped(user, Action.VIEW), required=False
        )
        companies = flow.property_companies(user)
        if companies is not None:
            self.fields["company"] = forms.ModelChoiceField(label=_("物业企业"), queryset=companies, required=False)
        self.fields["team"] = forms.ChoiceField(
            label=_("五彩志愿服务队"), choices=[("", "---------"), *ServiceTeam.choices], required=False
        )
        for name in ("provider_kind", "unit", "organisation", "company", "team"):
            if name in self.fields:
                bootstrap_field(self.fields[name])  # added after the form's own __init__ styled its fields
        for name, value in (initial or {}).items():
            if name in self.fields:
                self.fields[name].initial = value

    def provider_into(self, target, area=None, report=True):
        data = self.cleaned_data
        flow.set_provider(
            target,
            data.get("provider_kind") or "",
            unit=data.get("unit"),
            organisation=data.get("organisation"),
            company=data.get("company"),
            team=data.get("team") or "",
            area=area,
        )
        if report:  # a model form leaves it to the model's clean (said once)
            for field, message in flow.provider_errors(target).items():
                self.add_error(field if field in self.fields else None, message)
        return target


class ResourceForm(ProviderMixin, ScopedModelForm):
    """资源: registered at an area of one's scope, offered by a provider, for the areas it serves."""

    action = KEEP_RESOURCES
    typed_keys = {"area": "code", "serves": "code"}
    field_order = ["area", "provider_kind", "unit", "organisation", "company", "team", "title"]

    class Meta:
        model = Resource
        fields = [
            "area",
            "title",
            "description",
            "quantity",
            "measure",
            "available_from",
            "available_to",
            "serves",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "available_from": DATE, "available_to": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        company = None
        if instance.provider_id and "company" not in self.data:
            company = instance.provider_id
        self.add_provider_fields(
            self.user,
            {
                "provider_kind": instance.provider_kind,
                "unit": instance.unit_id,
                "organisation": instance.organisation_id,
                "company": company,
                "team": instance.team,
            },
        )
        self.fields["area"].label = _("登记区划")
        self.fields["area"].help_text = _("资源登记在哪个街道或社区（本辖区的区划代码）。")
        self.fields["serves"].help_text = _("资源面向的街道、社区或网格的区划代码，可填多个，用空格或逗号分隔。")
        self.order_fields(self.field_order)

    def clean(self):
        cleaned = super().clean()
        self.provider_into(self.instance, cleaned.get("area"), report=False)
        return cleaned

    def save(self, commit=True):
        if self.instance.pk is None:
            self.instance.posted_by = self.user if getattr(self.user, "pk", None) else None
        return super().save(commit=commit)


class ProjectForm(ScopedModelForm):
    """项目 that a community starts itself (a claim creates the others)."""

    action = KEEP_PROJECTS
    typed_keys = {"area": "code"}

    class Meta:
        model = Project
        fields = ["area", "title", "description", "started_on", "due_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "started_on": DATE, "due_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].label = _("社区/网格")
        self.fields["area"].help_text = _("实施项目的社区或网格的区划代码。")

    def clean(self):
        cleaned = super().clean()
        area = cleaned.get("area")
        if area is not None and area.level not in DEMAND_LEVELS:
            self.add_error(
                "area",
                _("项目须在社区或网格实施，“{area}”是{level}。").format(area=area.name, level=area.get_level_display()),
            )
        started, due = cleaned.get("started_on"), cleaned.get("due_on")
        if started and due and due < started:
            self.add_error("due_on", _("计划完成日期不能早于开始日期。"))
        return cleaned


class ProjectMilestoneForm(ScopedModelForm):
    action = KEEP_MILESTONES

    class Meta:
        model = ProjectMilestone
        fields = ["project", "title", "due_on", "done_on"]
        widgets = {"due_on": DATE, "done_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = self.fields["project"].queryset.filter(status="running")

    def clean_project(self):
        project = self.cleaned_data["project"]
        if self.instance.pk and self.instance.project_id != project.pk:
            raise forms.ValidationError(_("节点不能移到另一个项目。"))
        return project


class ClaimDemandForm(ProviderMixin, BootstrapMixin, forms.Form):
    """认领需求 (党员接单、单位认领): who serves, and by when. A unit's account claims for its unit."""

    due_on = forms.DateField(label=_("计划完成日期"), required=False, widget=DATE)

    def __init__(self, *args, user, demand, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.demand = user, demand
        self.add_provider_fields(user)
        if is_unit_account(user) and not user.is_superuser:
            units = ReportingUnit.objects.filter(users=user)
            self.fields["unit"].queryset = units
            self.fields["unit"].initial = units.first()
            self.fields["unit"].help_text = _("以本单位名义认领。")
            self.own_unit = units.first()
            self.fields["provider_kind"].choices = [(ProviderKind.UNIT.value, ProviderKind.UNIT.label)]
            self.fields["provider_kind"].initial = ProviderKind.UNIT
            self.fields["provider_kind"].help_text = ""
            for name in ("organisation", "company", "team"):
                self.fields.pop(name, None)
        self.order_fields(["provider_kind", "unit", "organisation", "company", "team", "due_on"])

    own_unit = None  # a unit's account: its unit, when it chose none

    def clean(self):
        cleaned = super().clean()
        if self.own_unit is not None and not cleaned.get("unit"):
            cleaned["unit"] = self.own_unit
        self.provider = self.provider_into(Project(area=self.demand.area), self.demand.area)
        return cleaned


class ClaimResourceForm(BootstrapMixin, forms.Form):
    """认领资源 (社区派单、群众点单): for which community or grid, how much, by when."""

    area = forms.CharField(label=_("实施社区/网格"), max_length=30, help_text=_("本辖区内社区或网格的区划代码。"))
    quantity = forms.DecimalField(label=_("认领数量"), max_digits=12, decimal_places=2, min_value=Decimal("0.01"))
    due_on = forms.DateField(label=_("计划完成日期"), required=False, widget=DATE)

    def __init__(self, *args, resource, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.fields["quantity"].help_text = _("计量单位：{measure}").format(measure=resource.measure)
        self.fields["quantity"].error_messages["min_value"] = _("认领数量须大于 0。")

    def clean_area(self):
        code = self.cleaned_data["area"].strip()
        area = Area.objects.filter(code=code).first()
        if area is None:
            raise forms.ValidationError(_("区划代码“{code}”不存在。").format(code=code))
        return area


class CloseProjectForm(BootstrapMixin, forms.Form):
    """结项: what was done, and the evidence (checked as every upload is)."""

    report = forms.CharField(label=_("结项情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    evidence = forms.FileField(
        label=_("结项材料"),
        required=False,
        help_text=_("活动照片、服务记录、验收单等，PDF、图片或 Word/Excel，不超过 10 MB。"),
        widget=FileInput(attrs={"accept": files.accept_attribute()}),
    )

    def clean(self):
        cleaned = super().clean()
        if "report" in self.errors:
            return cleaned
        for field, message in flow.close_errors(cleaned.get("report"), cleaned.get("evidence")).items():
            self.add_error(field, message)
        return cleaned


class ProjectServicesForm(BootstrapMixin, forms.Form):
    """The 双报到 service records counted for a project: of the members of the project's unit, or
    reporting to its community, served since the project began, not yet counted for a project."""

    records = forms.ModelMultipleChoiceField(
        label=_("服务记录"),
        queryset=ServiceRecord.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "check-list check-list-stacked"}),
        error_messages={"required": _("请至少选择一条服务记录。")},
    )

    def __init__(self, *args, user, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["records"].queryset = flow.service_candidates(user, project)
        self.fields["records"].label_from_instance = lambda r: _("{day} {member} {what}（{hours} 小时）").format(
            day=r.served_on, member=r.member.name, what=r.description, hours=r.hours
        )
