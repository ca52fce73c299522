"""双向认领's pages on the kit (ModelPages): the demands, the resources, the projects and their
milestones, each with its declared steps — 认领 with who serves (a demand) or for which community and
how much (a resource), 结项 with its report and evidence — as RecordTransitionViews with their
forms; a project's service records counted from the 双报到 log; its evidence served to who reads it;
the panels of the record pages and of the area page (lazy), and the home widgets — the street's
demands unclaimed past FUNDS_UNCLAIMED_DAYS, the projects late."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import DecimalField, Q, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import files
from core.transitions import UNSEEN, RecordTransitionView
from core.views.generic import ModelPages, breadcrumb_of
from orgs.choices import AreaLevel, Role
from orgs.scoping import can, can_anywhere, scoped_area, user_roles, user_scopes, within

from . import filters_projects as filters
from . import forms_projects as forms
from . import projects_flow as flow
from . import tables_projects as tables
from .models import Project, ProjectStatus
from .models_projects import (
    Demand,
    DemandStatus,
    ProjectMilestone,
    ProjectService,
    Resource,
    project_hours,
    unclaimed,
    unclaimed_days,
)
from .permissions import (
    CLAIM_DEMAND,
    KEEP_MILESTONES,
    KEEP_PROJECTS,
    KEEP_RESOURCES,
    POST_DEMAND,
    READ_PROJECTS,
)

GROUP = gettext_lazy("项目与经费")
LISTED = 8
ZERO = Value(0, output_field=DecimalField(max_digits=12, decimal_places=2))


def with_used(queryset):
    """Each resource with how much its claims took (its projects not stopped), summed in SQL."""
    used = Sum("projects__resource_quantity", filter=~Q(projects__status=ProjectStatus.STOPPED))
    return queryset.annotate(used_quantity=Coalesce(used, ZERO)).order_by("-posted_at", "-pk")


def with_hours(queryset):
    """Each project with its volunteers' hours, summed from its service records."""
    hours = Sum("services__record__hours")
    return queryset.annotate(
        service_hours=Coalesce(hours, Value(0, output_field=DecimalField(max_digits=9, decimal_places=1)))
    ).order_by("-started_on", "-pk")


class StepView(RecordTransitionView):
    """A step with a form of its own: the form on the confirmation page; confirming takes the step
    with what it holds (funds/projects_flow.py)."""

    def make_form(self, request, record):
        raise NotImplementedError

    def take(self, record, request, form, seen, subject):
        raise NotImplementedError

    def get(self, request, **kwargs):
        t, subject = self.setup_step(request, **kwargs)
        record = self.machine.record(subject.key)
        refusal = self.machine.refusal(t.name, subject.key, record, subject)
        if refusal:
            messages.error(request, refusal)
            return HttpResponseRedirect(subject.back)
        return self.confirmation(request, t, subject, record, self.make_form(request, record))

    def post(self, request, **kwargs):
        t, subject = self.setup_step(request, **kwargs)
        record = self.machine.record(subject.key)
        form = self.make_form(request, record)
        if not form.is_valid():
            return self.confirmation(request, t, subject, record, form)
        try:
            made = self.take(record, request, form, request.POST.get("state", UNSEEN), subject)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
                return self.confirmation(request, t, subject, record, form)
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(subject.back)
        messages.success(request, subject.say(t.done))
        return HttpResponseRedirect(made.get_absolute_url() if made is not None else subject.back)


class ClaimDemandView(StepView):
    def make_form(self, request, record):
        data = request.POST if request.method == "POST" else None
        return forms.ClaimDemandForm(data, user=request.user, demand=record)

    def take(self, record, request, form, seen, subject):
        return flow.claim_demand(
            record, request.user, form.provider, due_on=form.cleaned_data.get("due_on"), seen=seen, subject=subject
        )


class ClaimResourceView(StepView):
    def make_form(self, request, record):
        data = request.POST if request.method == "POST" else None
        return forms.ClaimResourceForm(data, resource=record)

    def take(self, record, request, form, seen, subject):
        data = form.cleaned_data
        return flow.claim_resource(
            record,
            request.user,
            area=data["area"],
            quantity=data["quantity"],
            due_on=data.get("due_on"),
            seen=seen,
            subject=subject,
        )


class CloseProjectView(StepView):
    def make_form(self, request, record):
        if request.method == "POST":
            return forms.CloseProjectForm(request.POST, request.FILES)
        return forms.CloseProjectForm()

    def take(self, record, request, form, seen, subject):
        data = form.cleaned_data
        flow.close_project(
            record, request.user, report=data["report"], evidence=data.get("evidence"), seen=seen, subject=subject
        )
        return None


class StepPages(ModelPages):
    """ModelPages whose steps named in `step_views` have their own form."""

    step_views = {}

    @classmethod
    def transition_urls(cls, prefix, queryset):
        return [
            path(
                f"{prefix}/<int:pk>/{t.name}/",
                cls.step_views.get(t.name, RecordTransitionView).as_view(
                    queryset=queryset, machine=cls.transitions, transition=t.name
                ),
                name=cls.url_name(t.name),
            )
            for t in cls.transitions
        ]


class DemandPages(StepPages):
    model = Demand
    queryset = Demand.objects.select_related("area", "posted_by")
    table = tables.DemandTable
    filterset = filters.DemandFilterSet
    form = forms.DemandForm
    change_action = POST_DEMAND
    detail_fields = (
        "title",
        "area",
        "description",
        "urgency",
        "people",
        "status",
        "posted_by",
        "posted_at",
        "claimed_at",
        "reason",
    )
    transitions = flow.DEMANDS
    step_views = {"claim": ClaimDemandView}
    menu = {"group": GROUP, "order": 80, "icon": "card-checklist", "label": gettext_lazy("需求清单")}


def reads_the_tree(user):
    """Who reads resources: the offices of the tree (a unit's account reads none)."""
    return user.is_authenticated and (user.is_superuser or bool(user_scopes(user, READ_PROJECTS)))


class ResourcePages(StepPages):
    model = Resource
    queryset = with_used(Resource.objects.select_related("area"))
    table = tables.ResourceTable
    filterset = filters.ResourceFilterSet
    form = forms.ResourceForm
    change_action = KEEP_RESOURCES
    detail_fields = (
        "title",
        "provider_kind",
        "provider_label",
        "description",
        "quantity",
        "measure",
        "available_from",
        "available_to",
        "area",
        "status",
        "posted_by",
        "posted_at",
        "reason",
    )
    transitions = flow.RESOURCES
    step_views = {"claim": ClaimResourceView}
    menu = {"group": GROUP, "order": 81, "icon": "box-seam", "label": gettext_lazy("资源清单")}

    @classmethod
    def menu_item(cls):
        from core.registry import MenuItem

        item = super().menu_item()
        return MenuItem(
            item.label, item.url, reads_the_tree, active=item.active, icon=item.icon, order=item.order, group=item.group
        )


class ProjectPages(StepPages):
    model = Project
    queryset = with_hours(Project.objects.select_related("area"))
    table = tables.ProjectTable
    filterset = filters.ProjectFilterSet
    form = forms.ProjectForm
    change_action = KEEP_PROJECTS
    detail_fields = (
        "title",
        "area",
        "description",
        "status",
        "claim_kind",
        "provider_label",
        "started_on",
        "due_on",
        "closed_on",
        "resource_quantity",
        "claimed_by",
        "report",
        "reason",
    )
    transitions = flow.PROJECTS
    step_views = {"close": CloseProjectView}
    menu = {"group": GROUP, "order": 82, "icon": "kanban", "label": gettext_lazy("项目")}


class ProjectMilestonePages(ModelPages):
    model = ProjectMilestone
    queryset = ProjectMilestone.objects.select_related("project__area")
    table = tables.ProjectMilestoneTable
    filterset = filters.ProjectMilestoneFilterSet
    form = forms.ProjectMilestoneForm
    change_action = KEEP_MILESTONES
    detail_fields = ("project", "title", "due_on", "done_on")


PAGES = (
    ("funds/demands", DemandPages),
    ("funds/resources", ResourcePages),
    ("funds/projects", ProjectPages),
    ("funds/milestones", ProjectMilestonePages),
)


# --- a project's service records (the volunteers' hours) and its evidence -----------------------------


def scoped_project(user, pk, action="view"):
    return get_object_or_404(Project.objects.scoped(user, action), pk=pk)


@login_required
def project_services(request, pk):
    """Count service records of the 双报到 log for a project (both sides of it): the records that may
    count, to tick; the hours are read from them."""
    project = scoped_project(request.user, pk, KEEP_MILESTONES)
    form = forms.ProjectServicesForm(request.POST or None, user=request.user, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            linked = flow.count_services(project, list(form.cleaned_data["records"]), request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("已关联 {n} 条服务记录。").format(n=len(linked)))
            return HttpResponseRedirect(project.get_absolute_url())
    return render(
        request,
        "funds/projects/services.html",
        {
            "title": _("关联服务记录 · {project}").format(project=project),
            "breadcrumb": breadcrumb_of(project),
            "project": project,
            "form": form,
        },
    )


@login_required
def project_service_delete(request, pk):
    """Uncount a service record from a project (POST; the project running)."""
    link = get_object_or_404(
        ProjectService.objects.scoped(request.user, KEEP_MILESTONES).select_related("project"), pk=pk
    )
    project = link.project
    if request.method != "POST":
        return render(
            request,
            "generic/confirm.html",
            {
                "title": _("取消关联服务记录"),
                "breadcrumb": breadcrumb_of(project),
                "question": _("确定不再将“{record}”计入项目“{project}”吗？").format(
                    record=link.record, project=project
                ),
                "alert": "warning",
                "confirm_label": _("确认取消关联"),
                "confirm_class": "btn-danger",
                "cancel_url": project.get_absolute_url(),
                "hidden": {},
            },
        )
    if project.status != ProjectStatus.RUNNING:
        messages.error(request, _("项目“{title}”已结束，其服务记录不能再改动。").format(title=project.title))
    else:
        link.delete()
        messages.success(request, _("已取消关联。"))
    return HttpResponseRedirect(project.get_absolute_url())


@login_required
def project_evidence(request, pk):
    project = scoped_project(request.user, pk)
    if not project.evidence:
        raise Http404
    return files.serve(project.evidence, project.evidence_name or project.evidence.name.rsplit("/", 1)[-1])


# --- the record pages' panels ------------------------------------------------------------------------


def demand_panel(request, demand):
    """The project a claim of the demand created (for who reads it), or how to claim it."""
    projects = list(Project.objects.scoped(request.user).filter(demand=demand).select_related("area"))
    if not projects and demand.status != DemandStatus.OPEN:
        return None
    return {"projects": projects, "demand": demand}


def resource_panel(request, resource):
    """What the resource offered, what its claims took and what is left; the projects it went to."""
    projects = list(
        Project.objects.scoped(request.user).filter(resource=resource).select_related("area").order_by("-started_on")
    )
    used = resource.used()
    return {
        "resource": resource,
        "projects": projects,
        "used": used,
        "left": resource.quantity - used,
        "rate": round(100 * used / resource.quantity) if resource.quantity else 0,
    }


def project_spending(user, project):
    """The project's spending (经费支出), for who reads the funds of its place: its expenditures, what
    was approved in all, and where to record one (nothing for a unit's account)."""
    from .models_funding import Expenditure, ExpenditureStatus
    from .permissions import READ_FUNDS, RECORD_EXPENDITURE

    if not can(user, READ_FUNDS, project.area):
        return {}
    rows = list(Expenditure.objects.scoped(user).filter(project=project).select_related("allocation"))
    rows.sort(key=lambda e: (e.spent_on, e.pk), reverse=True)
    approved = sum((e.amount for e in rows if e.status == ExpenditureStatus.APPROVED), Decimal("0.00"))
    may_record = can(user, RECORD_EXPENDITURE, project.area) and project.status == ProjectStatus.RUNNING
    return {
        "reads_funds": True,
        "spendings": rows,
        "approved_total": approved,
        "add_spending_url": reverse("funds:expenditure_add") + f"?project={project.pk}" if may_record else "",
    }


def project_panel(request, project):
    """A project's two sides, its milestones, its service records and hours, its evidence."""
    keeps = can(request.user, KEEP_MILESTONES, project) and project.status == ProjectStatus.RUNNING
    services = list(
        ProjectService.objects.filter(project=project).select_related("record__member").order_by("-record__served_on")
    )
    return {
        "project": project,
        **project_spending(request.user, project),
        "milestones": list(project.milestones.order_by("due_on", "pk")),
        "services": services,
        "hours": project_hours(project),
        "keeps": keeps,
        "add_milestone_url": reverse("funds:projectmilestone_add") + f"?project={project.pk}" if keeps else "",
        "services_url": reverse("funds:project_services", args=[project.pk]) if keeps else "",
        "evidence_url": reverse("funds:project_evidence", args=[project.pk]) if project.evidence else "",
        "demand": project.demand if project.demand_id and can(request.user, "view", project.demand) else None,
        "resource": project.resource if project.resource_id and can(request.user, "view", project.resource) else None,
    }


def provider_panel(request, provider):
    """On a reporting unit's or a property company's page: the resources it offers and the
    projects it serves, those the user reads (the company by content type: funds imports nothing
    of property)."""
    from django.contrib.contenttypes.models import ContentType

    if provider._meta.label_lower == "party.reportingunit":
        mine = Q(unit=provider)
    else:
        mine = Q(provider_type=ContentType.objects.get_for_model(provider), provider_id=provider.pk)
    resources = list(Resource.objects.scoped(request.user).filter(mine).order_by("-posted_at")[:LISTED])
    projects = list(
        Project.objects.scoped(request.user).filter(mine).select_related("area").order_by("-started_on")[:LISTED]
    )
    if not resources and not projects:
        return None
    return {"resources": resources, "projects": projects}


# --- the area page's panel (lazy) and the home widgets --------------------------------------------------


def shows_projects(request, area):
    return area.level not in (AreaLevel.CITY, AreaLevel.DISTRICT) and can(request.user, READ_PROJECTS, area.code)


def area_figures(user, area):
    demands = Demand.objects.scoped(user).filter(within("area__code", area.code))
    projects = Project.objects.scoped(user).filter(within("area__code", area.code))
    return {
        "open": demands.filter(status=DemandStatus.OPEN).count(),
        "unclaimed": unclaimed(demands).count(),
        "running": projects.filter(status=ProjectStatus.RUNNING).count(),
        "late": flow.late(projects).count(),
        "closed": projects.filter(status=ProjectStatus.CLOSED).count(),
    }


@login_required
def area_panel(request, code):
    """需求与项目 on an area's page from the street down, after the page (htmx): its subtree's open
    and unclaimed demands, running, late and closed projects, and the oldest unclaimed demands."""
    area = scoped_area(request, code)
    if not shows_projects(request, area):
        return HttpResponse("")
    demands = Demand.objects.scoped(request.user).filter(within("area__code", area.code))
    oldest = list(unclaimed(demands).select_related("area").order_by("posted_at", "pk")[:LISTED])
    within_query = f"?within={area.code}"
    return render(
        request,
        "funds/projects/area_panel.html",
        {
            "object": area,
            **area_figures(request.user, area),
            "oldest": oldest,
            "days": unclaimed_days(),
            "demands_url": reverse("funds:demand_list") + within_query,
            "unclaimed_url": reverse("funds:demand_list") + within_query + "&unclaimed=true",
            "projects_url": reverse("funds:project_list") + within_query,
            "late_url": reverse("funds:project_list") + within_query + "&late=true",
            "post_url": reverse("funds:demand_add") if can(request.user, POST_DEMAND, area.code) else "",
        },
    )


def area_panel_place(request, area):
    """The registered Panel's context: the card's place on the area page, or None."""
    if not shows_projects(request, area):
        return None
    return {"title": _("需求与项目"), "url": reverse("funds:projects_area_panel", args=[area.code])}


def is_street(request):
    return Role.STREET_CADRE in user_roles(request.user)


def unclaimed_in_street(request):
    """A street's demands open FUNDS_UNCLAIMED_DAYS days or more, the oldest first."""
    waiting = unclaimed(Demand.objects.scoped(request.user))
    rows = list(waiting.select_related("area").order_by("posted_at", "pk")[:LISTED])
    if not rows:
        return None
    count = len(rows) if len(rows) < LISTED else waiting.count()
    return {
        "title": _("超过 {days} 天未认领的需求").format(days=unclaimed_days()),
        "rows": rows,
        "count": count,
        "kind": "demand",
        "all_url": reverse("funds:demand_list") + "?unclaimed=true",
    }


def keeps_projects(request):
    return can_anywhere(request.user, KEEP_MILESTONES)


def projects_late(request):
    """The projects past their due date and still running, that the user keeps (either side)."""
    waiting = flow.late(Project.objects.scoped(request.user, KEEP_MILESTONES))
    rows = list(waiting.select_related("area").order_by("due_on", "pk")[:LISTED])
    if not rows:
        return None
    count = len(rows) if len(rows) < LISTED else waiting.count()
    return {
        "title": _("逾期未结项的项目"),
        "rows": rows,
        "count": count,
        "kind": "project",
        "all_url": reverse("funds:project_list") + "?late=true",
    }


def demands_for_unit(request):
    """A unit's account: the open demands open to it, to claim (党员接单)."""
    from .permissions import is_unit_account

    if not is_unit_account(request.user):
        return None
    waiting = Demand.objects.scoped(request.user, CLAIM_DEMAND).filter(status=DemandStatus.OPEN)
    rows = list(waiting.select_related("area").order_by("posted_at", "pk")[:LISTED])
    if not rows:
        return None
    count = len(rows) if len(rows) < LISTED else waiting.count()
    return {
        "title": _("可认领的需求"),
        "rows": rows,
        "count": count,
        "kind": "demand",
        "all_url": reverse("funds:demand_list") + "?status=open",
    }


urlpatterns = [
    path("areas/<code:code>/projects/", area_panel, name="projects_area_panel"),
    path("funds/projects/<int:pk>/services/", project_services, name="project_services"),
    path("funds/project-services/<int:pk>/delete/", project_service_delete, name="projectservice_delete"),
    path("funds/projects/<int:pk>/evidence/", project_evidence, name="project_evidence"),
]
