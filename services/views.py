"""The lists' and the gate's pages: each model's list, detail, add, edit and delete declared on the
kit (core.views.generic.ModelPages) with their declared steps; a draft made from a version; two
versions compared; and the public pages of each area's current lists, readable without logging in."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, Subquery
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.views.generic import ModelPages, breadcrumb_of
from orgs.choices import AreaLevel
from orgs.models import Area
from orgs.scoping import can, scoped_area

from . import filters, forms, lists, tables
from .admission import GATE
from .choices import ListKind, VersionStatus
from .compare import compare
from .models import GateTask, ListItem, ListVersion, ServiceList
from .permissions import KEEP_LISTS, PUSH_TASK
from .resources import ListItemResource

GROUP = gettext_lazy("服务")


def number_of(status):
    versions = ListVersion.objects.filter(service_list=OuterRef("pk"), status=status).values("number")[:1]
    return Subquery(versions)


class ServiceListPages(ModelPages):
    model = ServiceList
    queryset = ServiceList.objects.select_related("area").annotate(
        current_number=number_of(VersionStatus.PUBLISHED), draft_number=number_of(VersionStatus.DRAFT)
    )
    table = tables.ServiceListTable
    filterset = filters.ServiceListFilterSet
    form = forms.ServiceListForm
    change_action = KEEP_LISTS
    detail_fields = ("area", "kind")
    api = "service-lists"
    menu = {"group": GROUP, "order": 70, "icon": "card-checklist", "label": gettext_lazy("清单")}


class ListVersionPages(ModelPages):
    model = ListVersion
    queryset = ListVersion.objects.select_related("service_list__area").annotate(item_count=Count("items"))
    table = tables.ListVersionTable
    filterset = filters.ListVersionFilterSet
    form = forms.ListVersionForm
    change_action = KEEP_LISTS
    detail_fields = ("service_list", "number", "status", "note", "published_at", "by", "at")
    transitions = lists.VERSIONS

    @classmethod
    def transition_urls(cls, prefix, queryset):
        """Publishing's page; superseding has none (publishing the next version takes it)."""
        return [p for p in super().transition_urls(prefix, queryset) if p.name != cls.url_name("supersede")]


class ListItemPages(ModelPages):
    model = ListItem
    queryset = ListItem.objects.select_related("version__service_list__area")
    table = tables.ListItemTable
    filterset = filters.ListItemFilterSet
    form = forms.ListItemForm
    change_action = KEEP_LISTS
    detail_fields = ListItem.FIELDS
    filter_defaults = {"current": "true"}  # the current versions' items, unless the user chooses otherwise
    resource = ListItemResource
    import_id_fields = ("version", "name")
    import_kind = "list_items"
    api = "list-items"


class GateTaskPages(ModelPages):
    model = GateTask
    queryset = GateTask.objects.select_related("department", "community", "by")
    table = tables.GateTaskTable
    filterset = filters.GateTaskFilterSet
    form = forms.GateTaskForm
    change_action = PUSH_TASK
    detail_fields = (
        "name",
        "department",
        "community",
        "content",
        "due_on",
        "status",
        "matched_item",
        "reason",
        "by",
        "at",
        "pushed_at",
    )
    transitions = GATE  # its API: services/api.py (a task pushed there is screened at the gate too)
    menu = {"group": GROUP, "order": 71, "icon": "door-closed", "label": gettext_lazy("准入事项")}


PAGES = (
    ("services/lists", ServiceListPages),
    ("services/versions", ListVersionPages),
    ("services/items", ListItemPages),
    ("services/tasks", GateTaskPages),
)


@login_required
def version_draft(request, pk):
    """以此为基础起草新版本: a confirmation (GET), then a new draft holding this version's items (POST),
    for who keeps the list."""
    version = get_object_or_404(ListVersion.objects.scoped(request.user).select_related("service_list__area"), pk=pk)
    service_list = version.service_list
    if not can(request.user, KEEP_LISTS, service_list):
        raise Http404
    if request.method == "POST":
        try:
            draft = lists.draft_from(service_list, request.user, base=version)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return HttpResponseRedirect(version.get_absolute_url())
        messages.success(
            request, _("已以第{base}版为基础起草第{number}版。").format(base=version.number, number=draft.number)
        )
        return HttpResponseRedirect(draft.get_absolute_url())
    return render(
        request,
        "generic/confirm.html",
        {
            "title": _("以此为基础起草新版本 · {version}").format(version=version),
            "breadcrumb": breadcrumb_of(version),
            "question": _("将复制{version}的 {n} 项事项，起草一个新版本；修改后发布，它将替代现行版本。").format(
                version=version, n=version.items.count()
            ),
            "alert": "info",
            "confirm_label": _("起草新版本"),
            "cancel_url": version.get_absolute_url(),
        },
    )


@login_required
def list_compare(request, pk):
    """Two versions of a list side by side (?old=&new= their numbers; by default the version before
    the newest, and the newest)."""
    service_list = get_object_or_404(ServiceList.objects.scoped(request.user).select_related("area"), pk=pk)
    versions = list(service_list.versions.order_by("-number"))
    if len(versions) < 2:
        messages.info(request, _("{list}只有一个版本，没有可比较的版本。").format(list=service_list))
        return HttpResponseRedirect(service_list.get_absolute_url())
    by_number = {str(v.number): v for v in versions}
    new = by_number.get(request.GET.get("new", ""), versions[0])
    older = [v for v in versions if v.number < new.number] or [versions[-1]]
    old = by_number.get(request.GET.get("old", ""), older[0])
    return render(
        request,
        "services/compare.html",
        {
            "title": _("版本比较 · {list}").format(list=service_list),
            "breadcrumb": breadcrumb_of(service_list),
            "service_list": service_list,
            "versions": versions,
            "comparison": compare(old, new),
        },
    )


PUBLIC_LEVELS = (AreaLevel.STREET, AreaLevel.COMMUNITY)


def public_lists(request, code):
    """The area's current published lists, for anyone (no login): no draft, no superseded version,
    nobody's name — the items and the version's number and date. Printable (打印)."""
    area = get_object_or_404(
        Area.objects.only("pk", "code", "name", "level", "parent"), code=code, level__in=PUBLIC_LEVELS
    )
    published = (
        ListVersion.objects.filter(service_list__area=area, status=VersionStatus.PUBLISHED)
        .select_related("service_list")
        .prefetch_related(Prefetch("items", queryset=ListItem.objects.order_by("order", "pk")))
        .order_by("service_list__kind")
    )
    order = {kind: index for index, kind in enumerate(ListKind.values)}
    versions = sorted(published, key=lambda v: order[v.service_list.kind])
    communities = []
    if area.level == AreaLevel.STREET:
        communities = list(
            Area.objects.filter(parent=area, level=AreaLevel.COMMUNITY)
            .filter(Q(services_servicelist__versions__status=VersionStatus.PUBLISHED))
            .distinct()
            .order_by("code")
            .values("code", "name")
        )
    street = area.parent if area.level == AreaLevel.COMMUNITY else None
    return render(
        request,
        "services/public_lists.html",
        {"area": area, "versions": versions, "communities": communities, "street": street},
    )


def public_index(request):
    """Every street's and community's current lists, for anyone (no login): grouped by district and
    street, each area's lists with their version and number of items, linked to its public page;
    nothing unpublished, nobody's name. Printable. Three queries, whatever the number of areas."""
    rows = list(
        ListVersion.objects.filter(status=VersionStatus.PUBLISHED, service_list__area__level__in=PUBLIC_LEVELS)
        .values(
            "number",
            "service_list__kind",
            "service_list__area_id",
            "service_list__area__code",
            "service_list__area__name",
            "service_list__area__level",
            "service_list__area__parent_id",
        )
        .annotate(item_count=Count("items"))
        .order_by("service_list__area__code", "service_list__kind")
    )
    street_ids = {
        row["service_list__area_id"]
        if row["service_list__area__level"] == AreaLevel.STREET
        else row["service_list__area__parent_id"]
        for row in rows
    }
    streets = {
        street["pk"]: street
        for street in Area.objects.filter(pk__in=street_ids, level=AreaLevel.STREET).values(
            "pk", "code", "name", "parent_id", "parent__name", "parent__code", "parent__parent__name"
        )
    }
    kinds = dict(ListKind.choices)
    districts = {}  # district code → {"name", "city", "streets": {street code → {...}}}
    for row in rows:
        area_id, level = row["service_list__area_id"], row["service_list__area__level"]
        street = streets.get(area_id if level == AreaLevel.STREET else row["service_list__area__parent_id"])
        if street is None:
            continue
        district = districts.setdefault(
            street["parent__code"],
            {"name": street["parent__name"], "city": street["parent__parent__name"] or "", "streets": {}},
        )
        entry = district["streets"].setdefault(
            street["code"], {"code": street["code"], "name": street["name"], "lists": [], "communities": {}}
        )
        shown = {"kind": kinds.get(row["service_list__kind"], ""), "number": row["number"], "items": row["item_count"]}
        if level == AreaLevel.STREET:
            entry["lists"].append(shown)
        else:
            community = entry["communities"].setdefault(
                row["service_list__area__code"],
                {"code": row["service_list__area__code"], "name": row["service_list__area__name"], "lists": []},
            )
            community["lists"].append(shown)
    groups = [
        {
            "code": code,
            "name": district["name"],
            "city": district["city"],
            "streets": [
                {**street, "communities": [street["communities"][c] for c in sorted(street["communities"])]}
                for _code, street in sorted(district["streets"].items())
            ],
        }
        for code, district in sorted(districts.items())
    ]
    return render(request, "services/public_index.html", {"districts": groups})


@login_required
def area_panel(request, code, name):
    """One of services' cards on the area page, after the page (htmx): its figures for this user,
    or nothing (the card's place goes) when it has none for them; 404 outside the scope."""
    from .widgets import AREA_PANELS

    area = scoped_area(request, code)
    panel = AREA_PANELS.get(name)
    if panel is None:
        raise Http404
    context = panel.context(request, area)
    if context is None:
        return HttpResponse("")
    return render(request, panel.template, {**context, "object": area})


urlpatterns = [
    path("areas/<code:code>/services/<slug:name>/", area_panel, name="area_panel"),
    path("services/versions/<int:pk>/draft/", version_draft, name="listversion_draft"),
    path("services/lists/<int:pk>/compare/", list_compare, name="servicelist_compare"),
    path("public/lists/", public_index, name="public_index"),
    path("public/lists/<code:code>/", public_lists, name="public_lists"),
]
