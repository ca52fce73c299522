import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from core.spreadsheets import xlsx_response
from core.views.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView

from .. import places, tree
from ..choices import LEVEL_TO_CHINESE, AreaLevel
from ..filters import AreaFilterSet
from ..forms import AreaCreateForm, AreaEditForm, AreaMoveForm, level_choices_below
from ..models import Area
from ..queries import descendant_counts
from ..scoping import ACTION_RULES, Action, can, can_anywhere, scoped_area, user_scopes, within
from ..tables import AreaTable

CHILDREN_SHOWN = 300
PICKER_NAME = re.compile(r"[a-z_]+")  # the form field a picker fills


def area_page_context(area, user=None):
    """Everything the area page shows, in a fixed number of queries whatever the tree's size."""
    children = list(area.children.order_by("code")[: CHILDREN_SHOWN + 1])
    more_children = len(children) > CHILDREN_SHOWN
    children = children[:CHILDREN_SHOWN]
    counts = descendant_counts(children)
    levels_below = [level for level in AreaLevel if any(level in counts.get(c.pk, {}) for c in children)]
    rows = [
        {"area": child, "counts": [counts.get(child.pk, {}).get(level, 0) for level in levels_below]}
        for child in children
    ]
    return {
        "area": area,
        "breadcrumb": area.breadcrumb(),
        "children": rows,
        "more_children": more_children,
        "levels_below": [(level, AreaLevel(level).label) for level in levels_below],
        "assignments": list(
            area.role_assignments.select_related("user", "department").order_by("role", "user__username")
        ),
    }


class AreaDetailView(ObjectDetailView):
    """An area's page: its children with their counts, its role assignments, the links and panels
    other apps register (core.registry), its history, and the tree actions the user may take."""

    queryset = Area.objects.all()
    template_name = "orgs/area_detail.html"
    slug_field = slug_url_kwarg = "code"
    change_action = Action.MANAGE_TREE

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area, user = self.object, self.request.user
        context.update(area_page_context(area))
        context.update(
            can_manage_tree=can(user, Action.MANAGE_TREE, area),
            # only where a level below exists: a unit's page offers no 新建下级区划 with an empty list
            can_add_child=can(user, Action.MANAGE_TREE, area.code + "0") and bool(level_choices_below(area.level)),
            can_manage_roles=can(user, Action.MANAGE_ROLES, area),
            can_import=(user.is_superuser or can(user, Action.MANAGE_TREE, area.code + "0"))
            and bool(level_choices_below(area.level)),
        )
        return context


def tree_nodes(user, areas):
    """`areas` (a queryset) as nodes of the area tree: in the user's scope, by code, each with its
    number of children (`child_count`) — one query, whatever their number; at most
    CHILDREN_SHOWN, and whether there were more."""
    nodes = list(areas.scoped(user).annotate(child_count=Count("children")).order_by("code")[: CHILDREN_SHOWN + 1])
    return nodes[:CHILDREN_SHOWN], len(nodes) > CHILDREN_SHOWN


def scope_roots(user):
    """The top areas of the user's scope: the roots of the tree for a superuser, else the area of
    each role (the areas below it, for a role that covers only what lies below its area)."""
    if user.is_superuser:
        return Area.objects.filter(parent__isnull=True)
    scopes = user_scopes(user, Action.VIEW)
    return Area.objects.filter(
        Q(code__in=[s.code for s in scopes if not s.strict]) | Q(parent__code__in=[s.code for s in scopes if s.strict])
    )


class AreaListView(ObjectListView):
    """区划: by default a tree of the user's scope that opens level by level (`area_children`);
    searching, filtering, sorting, paging or ?view=list shows the flat, paged list."""

    queryset = Area.objects.select_related("parent")
    table = AreaTable
    filterset = AreaFilterSet
    title = gettext_lazy("区划")
    template_name = "orgs/area_list.html"

    def shows_tree(self):
        return not any(value.strip() for value in self.request.GET.values())

    def get(self, request, *args, **kwargs):
        if not self.shows_tree():
            return super().get(request, *args, **kwargs)
        self.filtered()  # the filter form, empty: a search leads to the list
        roots, _more = tree_nodes(request.user, scope_roots(request.user))
        # The roots open on their children: one more query, for every root at once.
        children, more_children = tree_nodes(request.user, Area.objects.filter(parent__in=[r.pk for r in roots]))
        for root in roots:
            root.nodes = [child for child in children if child.parent_id == root.pk]
        context = {
            "title": self.get_title(),
            "filter_form": self.filter_form,
            "tree": roots,
            "more_children": more_children,
            "can_export": True,
            "import_url": self.import_url(),
        }
        return render(request, self.template_name, context)

    def get_context_data(self, **context):
        context = super().get_context_data(**context)
        context["tree"] = None
        return context


@login_required
def area_children(request, code):
    """The children of an area of the user's scope, as nodes of the tree (htmx: the list's tree
    opens a node with it); one query for the area, one for all its children."""
    area = scoped_area(request, code)
    nodes, more = tree_nodes(request.user, Area.objects.filter(parent=area))
    return render(request, "orgs/includes/area_tree_nodes.html", {"nodes": nodes, "more": more, "parent": area})


@login_required
def area_search(request):
    """The old area search (/areas/search/?q=…, in bookmarks): the menu bar's search (core:search)
    finds areas and every other record an app registers; the same query is asked there."""
    query = request.GET.urlencode()
    return HttpResponseRedirect(reverse("core:search") + (f"?{query}" if query else ""))


@login_required
@require_GET
def area_pick(request):
    """The choices of a form's area picker (orgs.places.AreaPicker) as the user types: areas of the
    asked levels (narrowed to the chosen role's) where the user may do the form's action, named as
    people say them ("3栋2单元" with its grid and community). 404 to whom may do it nowhere."""
    name = request.GET.get("name", "area")
    action = request.GET.get("action", Action.VIEW)
    if not PICKER_NAME.fullmatch(name) or action not in ACTION_RULES or not can_anywhere(request.user, action):
        raise Http404
    levels = [level for level in request.GET.get("levels", "").split(",") if level in AreaLevel.values]
    levels = places.pick_levels(levels or AreaLevel.values, request.GET.get("role"))
    query = request.GET.get(name + "_q", "").strip()
    context = places.pick_context(request.user, name, query, request.GET.get(name, ""), levels, action)
    return render(request, "orgs/area_pick.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def area_create(request, code):
    """A new area under the area `code`: needs the right to manage the tree below it."""
    parent = scoped_area(request, code)
    if not can(request.user, Action.MANAGE_TREE, parent.code + "0") or not level_choices_below(parent.level):
        raise Http404
    form = AreaCreateForm(request.POST or None, parent=parent)
    return tree_write_page(
        request,
        form,
        area=parent,
        title=_("在“{name}”下新建区划").format(name=parent.name),
        write=lambda: atomic_save(form),
        done=lambda area: _("已新建区划“{name}”。").format(name=area.name),
    )


def atomic_save(form):
    with transaction.atomic():
        return form.save()


def tree_write_page(request, form, *, area, title, write, done):
    """The page of a tree write: on a valid POST run `write()` — a refusal is shown on the form —
    then say `done(result)` and go to the result's page; else show the form under `area`."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, done(result))
            return redirect(result)
    return render(
        request,
        "generic/object_edit.html",
        {"form": form, "title": title, "cancel_url": area.get_absolute_url(), "breadcrumb": area.breadcrumb()},
    )


class AreaEditView(ObjectEditView):
    queryset = Area.objects.all()
    action = Action.MANAGE_TREE
    form_class = AreaEditForm
    slug_field = slug_url_kwarg = "code"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=_("编辑区划“{name}”").format(name=self.object.name),
            cancel_url=self.object.get_absolute_url(),
            breadcrumb=self.object.breadcrumb(),
        )
        return context


@login_required
@require_http_methods(["GET", "POST"])
def area_move(request, code):
    area = scoped_area(request, code, Action.MANAGE_TREE)
    form = AreaMoveForm(request.POST or None, area=area, user=request.user, initial={"code": area.code})
    return tree_write_page(
        request,
        form,
        area=area,
        title=_("移动区划“{name}”").format(name=area.name),
        write=lambda: tree.move_area(area, form.parent, form.cleaned_data["code"]),
        done=lambda moved: _("已将“{name}”移动到“{parent}”之下。").format(name=moved.name, parent=form.parent.name),
    )


class AreaDeleteView(ObjectDeleteView):
    queryset = Area.objects.all()
    action = Action.MANAGE_TREE
    slug_field = slug_url_kwarg = "code"

    def get_success_url(self):
        parent = self.object.parent
        return parent.get_absolute_url() if parent else reverse("home")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        area = self.object
        context.update(
            breadcrumb=area.breadcrumb(),
            descendants=Area.objects.filter(within("code", area.code)).exclude(pk=area.pk).count(),
            records=tree.records_under(area),
        )
        return context


@login_required
def area_export(request, code):
    """The subtree in the import's columns: export → edit → re-import round-trips."""
    area = scoped_area(request, code)
    rows = (
        Area.objects.filter(within("code", area.code))
        .order_by("code")
        .values_list("code", "name", "level", "parent__code")
    )
    return xlsx_response(
        f"区划_{area.code}.xlsx",
        AreaTable.headers(),
        ((c, n, LEVEL_TO_CHINESE[lv], p or "") for c, n, lv, p in rows.iterator(chunk_size=5000)),
        sheet_title=area.name,
    )
