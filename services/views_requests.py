"""The requests' pages: the categories, the routing table, the requests and their 五步议事 declared
on the kit (core.views.generic.ModelPages) with the requests' declared steps; the transfer page; a
request's photo; the grid worker's phone-sized "我的诉求" with a big button for the next step; the
panels (a request's page, the area page's lights) and the home widgets."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import files
from core.views.generic import ModelPages, breadcrumb_of
from orgs.choices import AreaLevel
from orgs.scoping import Action, can, can_anywhere

from . import filters_requests as filters
from . import forms_requests as forms
from . import tables_requests as tables
from .models_requests import (
    LIGHTS,
    OPEN_STATES,
    Deliberation,
    RequestCategory,
    RequestStatus,
    ResidentRequest,
    RoutingRule,
)
from .permissions import (
    DELIBERATE,
    HANDLE_REQUEST,
    KEEP_ROUTING,
    READ_REQUESTS,
    RECEIVE_REQUEST,
    TRANSFER_REQUEST,
    VERIFY_REQUEST,
    VISIT_REQUEST,
)
from .requests_flow import REQUESTS, subject_of, transfer

GROUP = gettext_lazy("服务")
LISTED = 8


class RequestCategoryPages(ModelPages):
    model = RequestCategory
    queryset = RequestCategory.objects.select_related("area")
    table = tables.RequestCategoryTable
    filterset = filters.RequestCategoryFilterSet
    form = forms.RequestCategoryForm
    change_action = KEEP_ROUTING
    detail_fields = ("area", "name", "time_limit")
    api = "request-categories"


class RoutingRulePages(ModelPages):
    model = RoutingRule
    queryset = RoutingRule.objects.select_related("area", "category", "responsible_area", "responsible_department")
    table = tables.RoutingRuleTable
    filterset = filters.RoutingRuleFilterSet
    form = forms.RoutingRuleForm
    change_action = KEEP_ROUTING
    detail_fields = ("category", "area", "responsible_area", "responsible_department")
    list_title = gettext_lazy("诉求分派规则")
    api = "routing-rules"


class RequestPages(ModelPages):
    model = ResidentRequest
    queryset = ResidentRequest.objects.select_related(
        "area", "category", "responsible_area", "responsible_department", "by"
    )
    table = tables.RequestTable
    filterset = filters.RequestFilterSet
    form = forms.RequestForm
    change_action = RECEIVE_REQUEST
    import_kind = "hotline_requests"  # the 12345 export (services/hotline.py), for who may import it
    detail_fields = (
        "status",
        "channel",
        "case_number",
        "category",
        "area",
        "address",
        "description",
        "resident_name",
        "resident_phone",
        "received_at",
        "due_on",
        "responsible_area",
        "responsible_department",
        "hotline_body",
        "satisfaction",
        "closed_at",
        "reopened",
        "reason",
        "by",
        "at",
    )
    transitions = REQUESTS
    menu = {"group": GROUP, "order": 72, "icon": "chat-square-text", "label": gettext_lazy("诉求")}

    @classmethod
    def transition_urls(cls, prefix, queryset):
        """The steps' pages; the transfer has its own (the new body and the reason together)."""
        return [p for p in super().transition_urls(prefix, queryset) if p.name != cls.url_name("transfer")]


class DeliberationPages(ModelPages):
    model = Deliberation
    queryset = Deliberation.objects.select_related("request__area", "request__category")
    table = tables.DeliberationTable
    filterset = filters.DeliberationFilterSet
    form = forms.DeliberationForm
    change_action = DELIBERATE
    detail_fields = (
        "request",
        "topic",
        "participants",
        *(name for step in Deliberation.STEPS for name in step),
        "outcome",
    )
    api = "deliberations"


PAGES = (
    ("services/request-categories", RequestCategoryPages),
    ("services/routing", RoutingRulePages),
    ("services/requests", RequestPages),
    ("services/deliberations", DeliberationPages),
)


def scoped_request(user, pk, action=Action.VIEW):
    return get_object_or_404(
        ResidentRequest.objects.scoped(user, action).select_related("area", "category", "responsible_area"), pk=pk
    )


@login_required
def request_transfer(request, pk):
    """转办: the form (GET), then the new body and the step together (POST), for who may transfer."""
    record = scoped_request(request.user, pk)
    if not can(request.user, TRANSFER_REQUEST, record):
        raise Http404
    refusal = REQUESTS.refusal("transfer", {"pk": record.pk}, record, subject_of(record))
    if refusal:
        messages.error(request, refusal)
        return HttpResponseRedirect(record.get_absolute_url())
    form = forms.TransferForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            transfer(
                record,
                request.user,
                area=data["responsible_area"],
                department=data["responsible_department"],
                reason=data["reason"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("{request}已转办。").format(request=record))
            return HttpResponseRedirect(record.get_absolute_url())
    return render(
        request,
        "generic/object_edit.html",
        {
            "title": _("转办 · {request}").format(request=record),
            "breadcrumb": breadcrumb_of(record),
            "form": form,
            "cancel_url": record.get_absolute_url(),
        },
    )


@login_required
def request_photo(request, pk):
    """A request's photo, to those who may see the request."""
    record = scoped_request(request.user, pk)
    if not record.photo:
        raise Http404
    return files.serve(record.photo, record.photo.name.rsplit("/", 1)[-1])


# The step a phone page offers as its one big button, by state (the others are on the request's page).
NEXT_STEP = {
    RequestStatus.RECEIVED: ("accept",),
    RequestStatus.HANDLING: ("submit",),
    RequestStatus.VERIFYING: ("verify",),
    RequestStatus.VISITING: ("close_satisfied", "close_basic", "close_unsatisfied"),
}


@login_required
def my_requests(request):
    """我的诉求 on a phone: the open requests the user handles (routed to its grid or body) or must
    verify or visit, soonest due first, each with a big button for its next step."""
    user = request.user
    if not (can_anywhere(user, HANDLE_REQUEST) or can_anywhere(user, VISIT_REQUEST)):
        raise Http404
    handled = ResidentRequest.objects.scoped(user, HANDLE_REQUEST).filter(
        status__in=[RequestStatus.RECEIVED, RequestStatus.HANDLING]
    )
    checked = ResidentRequest.objects.scoped(user, VERIFY_REQUEST).filter(status=RequestStatus.VERIFYING)
    visited = ResidentRequest.objects.scoped(user, VISIT_REQUEST).filter(status=RequestStatus.VISITING)
    ids = handled.values("pk").union(checked.values("pk"), visited.values("pk"))
    rows = list(
        ResidentRequest.objects.filter(pk__in=ids)
        .select_related("area", "category")
        .order_by("due_on", "received_at")[:100]
    )
    today = timezone.localdate()
    for row in rows:
        row.steps = [
            (REQUESTS[name], reverse(f"services:residentrequest_{name}", args=[row.pk]))
            for name in NEXT_STEP.get(RequestStatus(row.status), ())
        ]
    return render(
        request,
        "services/requests/mine.html",
        {
            "title": _("我的诉求"),
            "rows": rows,
            "today": today,
            "add_url": reverse("services:residentrequest_add") if can_anywhere(user, RECEIVE_REQUEST) else "",
        },
    )


urlpatterns = [
    path("services/requests/<int:pk>/transfer/", request_transfer, name="residentrequest_transfer_to"),
    path("services/requests/<int:pk>/photo/", request_photo, name="residentrequest_photo"),
    path("services/my-requests/", my_requests, name="my_requests"),
]


# --- panels and widgets (core.registry) ---------------------------------------------------------


def request_panel(request, record):
    """A request's page: its light, the photo, the transfer and the 五步议事 links."""
    user = request.user
    deliberation = Deliberation.objects.filter(request=record).first()
    may_transfer = (
        can(user, TRANSFER_REQUEST, record) and REQUESTS.refusal("transfer", {"pk": record.pk}, record) is None
    )
    return {
        "record": record,
        "photo_url": reverse("services:residentrequest_photo", args=[record.pk]) if record.photo else "",
        "transfer_url": reverse("services:residentrequest_transfer_to", args=[record.pk]) if may_transfer else "",
        "deliberation": deliberation,
        "deliberate_url": (
            reverse("services:deliberation_add") + f"?request={record.pk}"
            if deliberation is None and can(user, DELIBERATE, record)
            else ""
        ),
    }


def shows_requests(request, area):
    return area.level != AreaLevel.UNIT and can(request.user, READ_REQUESTS, area)


def area_panel(request, area):
    """诉求 on an area's page: the requests of its subtree by light, the overdue ones apart."""
    if not shows_requests(request, area):
        return None
    today = timezone.localdate()
    counts = ResidentRequest.objects.filter(area__code__startswith=area.code).aggregate(
        **{state: Count("pk", filter=Q(status=state)) for state in RequestStatus.values},
        overdue=Count("pk", filter=Q(status__in=OPEN_STATES, due_on__lt=today)),
    )
    base = reverse("services:residentrequest_list") + f"?within={area.code}"
    lights = [
        (RequestStatus(state).label, LIGHTS[RequestStatus(state)], counts[state], f"{base}&status={state}")
        for state in RequestStatus.values
    ]
    return {"lights": lights, "overdue": counts["overdue"], "overdue_url": f"{base}&overdue=true", "all_url": base}


def open_requests_tile(user, action, title, all_url, *, overdue_only):
    """A home tile of the open requests `user` may `action` on (only the overdue ones,
    `overdue_only`), the earliest due first, with how many are due today or overdue; None when
    there are none."""
    today = timezone.localdate()
    requests = ResidentRequest.objects.scoped(user, action).filter(status__in=OPEN_STATES)
    if overdue_only:
        requests = requests.filter(due_on__lt=today)
    rows = list(requests.select_related("area", "category").order_by("due_on", "pk")[:LISTED])
    if not rows:
        return None
    count = len(rows) if len(rows) < LISTED else requests.count()
    due = sum(1 for row in rows if row.due_on <= today)
    if len(rows) == LISTED and due == LISTED:
        due = requests.filter(due_on__lte=today).count()
    return {"title": title, "rows": rows, "today": today, "count": count, "due": due, "all_url": all_url}


def due_for_me(request):
    """A grid worker's (or any handler's) open requests, the earliest due first, those due today or
    overdue counted in red — the grid worker's day on the phone."""
    return open_requests_tile(
        request.user, HANDLE_REQUEST, _("我的待办诉求"), reverse("services:my_requests"), overdue_only=False
    )


def overdue_in_street(request):
    """A street's overdue requests (escalated: the street is told of each)."""
    return open_requests_tile(
        request.user,
        TRANSFER_REQUEST,
        _("超期诉求"),
        reverse("services:residentrequest_list") + "?overdue=true",
        overdue_only=True,
    )


def handles_requests(request):
    return can_anywhere(request.user, HANDLE_REQUEST)


def is_street(request):
    from orgs.choices import Role
    from orgs.scoping import user_roles

    return Role.STREET_CADRE in user_roles(request.user)
