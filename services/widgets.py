"""What the lists add to other pages (core.registry): the panels of a list's, a version's and a
task's pages, the area page's 清单 panel (its current lists), and the home widgets — drafts awaiting
publication for who keeps them, tasks stopped at the gate for the street that decides them."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.urls import reverse

from orgs.choices import AreaLevel
from orgs.scoping import Action, can, can_anywhere

from .choices import ListKind, TaskStatus, VersionStatus
from .models import GateTask, ListVersion
from .permissions import DECIDE_GATE, KEEP_LISTS

LISTED = 8


@dataclass(frozen=True)
class AreaPanel:
    """One of services' cards on the area page, loaded after the page as property's is: the page
    renders its place (services/panels/lazy.html) where `shown(request, area)` — a question of
    scope, no count — says so; its own request (services.views.area_panel) renders `template`
    with `context(request, area)`, or nothing (then the place goes) when that is None."""

    name: str
    title: Any
    template: str
    context: Callable
    shown: Callable

    def place(self, request, area):
        """The registered Panel's context: the card's place on the area page, or None."""
        if not self.shown(request, area):
            return None
        return {"title": self.title, "url": reverse("services:area_panel", args=[area.code, self.name])}


AREA_PANELS = {}  # name → AreaPanel (services/apps.py fills it)
ITEMS_SHOWN = 500  # a version's items on its page (Liupanshui's power list: 103)


def list_panel(request, service_list):
    """A list's versions, newest first, with the links to compare them and to start a draft."""
    versions = list(service_list.versions.annotate(item_count=Count("items")).order_by("-number"))
    keeps = can(request.user, KEEP_LISTS, service_list)
    has_draft = any(v.status == VersionStatus.DRAFT for v in versions)
    return {
        "service_list": service_list,
        "versions": versions,
        "can_draft": keeps and not has_draft,
        "add_version_url": reverse("services:listversion_add") + f"?service_list={service_list.pk}",
        "compare_url": reverse("services:servicelist_compare", args=[service_list.pk]) if len(versions) > 1 else "",
        "public_url": reverse("services:public_lists", args=[service_list.area.code]),
    }


def version_panel(request, version):
    """A version's items, and what its keeper may do with it: add or import items to a draft, or
    start a new draft from it."""
    service_list = version.service_list
    keeps = can(request.user, KEEP_LISTS, service_list)
    draft = version.status == VersionStatus.DRAFT
    has_draft = service_list.versions.filter(status=VersionStatus.DRAFT).exists()
    previous = service_list.versions.filter(number__lt=version.number).order_by("-number").first()
    items = list(version.items.order_by("order", "pk")[:ITEMS_SHOWN])
    return {
        "version": version,
        "items": items,
        "item_count": len(items) if len(items) < ITEMS_SHOWN else version.items.count(),
        "is_service": service_list.kind == ListKind.PUBLIC_SERVICE,
        "add_item_url": reverse("services:listitem_add") + f"?version={version.pk}" if keeps and draft else "",
        "import_url": reverse("core:import_new", kwargs={"kind": "list_items"}) if keeps and draft else "",
        "draft_url": reverse("services:listversion_draft", args=[version.pk])
        if keeps and not draft and not has_draft
        else "",
        "compare_url": (
            reverse("services:servicelist_compare", args=[service_list.pk])
            + f"?old={previous.number}&new={version.number}"
            if previous
            else ""
        ),
        "public_url": reverse("services:public_lists", args=[service_list.area.code])
        if version.status == VersionStatus.PUBLISHED
        else "",
    }


def task_panel(request, task):
    """Why the task passed or waits: the admission item it matched, or the list it is not on."""
    return {"task": task, "stopped": task.status == TaskStatus.STOPPED}


def shows_lists(request, area):
    return area.level in (AreaLevel.STREET, AreaLevel.COMMUNITY) and can(request.user, Action.VIEW, area)


def area_panel(request, area):
    """清单 on a street's or a community's page: its current lists, each with its version and items."""
    if not shows_lists(request, area):
        return None
    versions = list(
        ListVersion.objects.filter(service_list__area=area, status__in=[VersionStatus.PUBLISHED, VersionStatus.DRAFT])
        .select_related("service_list")
        .annotate(item_count=Count("items"))
        .order_by("service_list__kind", "status")
    )
    return {
        "area": area,
        "versions": versions,
        "public_url": reverse("services:public_lists", args=[area.code]),
        "lists_url": reverse("services:servicelist_list") + f"?within={area.code}",
    }


def drafts_awaiting(request):
    """The drafts of the lists the user keeps, awaiting publication."""
    user = request.user
    if not can_anywhere(user, KEEP_LISTS):
        return None
    drafts = ListVersion.objects.scoped(user, KEEP_LISTS).filter(status=VersionStatus.DRAFT)
    rows = list(
        drafts.select_related("service_list__area").annotate(item_count=Count("items")).order_by("-at")[:LISTED]
    )
    if not rows:
        return None
    return {"rows": rows, "count": len(rows) if len(rows) < LISTED else drafts.count()}


def gate_stops(request):
    """Tasks stopped at the gates of the street's communities, awaiting its decision."""
    user = request.user
    if not can_anywhere(user, DECIDE_GATE):
        return None
    stopped = GateTask.objects.scoped(user, DECIDE_GATE).filter(status=TaskStatus.STOPPED)
    rows = list(stopped.select_related("department", "community").order_by("pushed_at", "pk")[:LISTED])
    if not rows:
        return None
    return {
        "rows": rows,
        "count": len(rows) if len(rows) < LISTED else stopped.count(),
        "all_url": reverse("services:gatetask_list") + "?status=stopped",
    }
