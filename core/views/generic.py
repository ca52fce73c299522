"""The pages every app's models are declared on, in the spirit of NetBox's generic views:
concrete views only declare attributes, and the scope is applied here, once — the queryset is
always `.scoped(user, action)`, so an object out of the user's scope is not found (404); writes
run in a transaction and are re-checked after saving; a destructive action asks first.

`ModelPages` declares the whole set (list, detail, add, edit, delete) of a model with its URLs,
and, from the same declaration, its API and its import (core.declared derives what is not said):

    class ServicePointPages(ModelPages):
        model = ServicePoint                          # an AreaRecord (orgs.models)
        fields = ["area", "name", "phone", "opened"]  # the table, form, serializer and resource
        filters = ["name"]                            # and 区划代码（含下级）, which every list gets
        change_action = CHANGE_POINT                  # who adds, edits, deletes, writes and imports
        api = "service-points"                        # /api/service-points/: serializer and viewset
        import_id_fields = ("area", "name")           # the import: a django-import-export resource

    urlpatterns = ServicePointPages.urls("points")
    ServicePointPages.register()  # in the app's ready(): the API route, the importer, the menu entry
"""

import csv
import datetime
import decimal
import io
import uuid
from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views import View, generic

from .. import gate, guard, personal_data
from ..exporting import counted
from ..forms import ScopedModelForm
from ..history import history_for, local_time
from ..spreadsheets import neutralise, xlsx_response
from ..tables import paginate

MAX_EXPORT_ROWS = 300_000
FORM_TOKEN = "form_token"  # the add forms' one-time token (ObjectEditView)


class ScopedMixin(LoginRequiredMixin):
    """`queryset` restricted to what the user may do `action` on; `for_user(queryset, user)`, if
    given, adds what depends on the user (a figure that counts only the records the user may see)."""

    queryset = None
    action = "view"
    for_user = None

    def get_queryset(self):
        queryset = self.queryset.scoped(self.request.user, self.action)
        if self.for_user is not None:
            queryset = self.for_user(queryset, self.request.user)
        return queryset


def breadcrumb_of(obj):
    """The areas above a record (and the record's own area), for the breadcrumb."""
    if hasattr(obj, "breadcrumb"):
        return obj.breadcrumb()
    area = getattr(obj, "area", None)
    return area.breadcrumb() if area is not None else []


class ObjectListView(ScopedMixin, View):
    """A list: a django-tables2 `table` (sortable columns, paging), a django-filter `filterset`
    (the same words as the API's), and the export of the filtered rows as xlsx or CSV. Its reads
    may come from the replica when one is configured (core/replica.py)."""

    reads_from_replica = True
    table = None
    filterset = None
    filter_defaults = {}  # filter values when the user has chosen none (e.g. state=current)
    template_name = "generic/object_list.html"
    title = ""
    paginate_by = 50
    export_filename = ""
    add_url_name = ""  # the add page, shown to users who may add somewhere
    add_action = ""
    import_kind = ""  # the importer (core.importing) whose upload page the list links to

    def filtered(self):
        queryset = self.get_queryset()
        self.filter_form = None
        if self.filterset is None:
            return queryset
        data = self.request.GET.copy()
        for name, value in self.filter_defaults.items():
            data.setdefault(name, value)
        filterset = self.filterset(data, queryset=queryset, request=self.request)
        self.filter_form = filterset.form
        return filterset.qs if filterset.is_valid() else queryset.none()

    def get(self, request, *args, **kwargs):
        if gate.reads_elsewhere_only(request.user, self.queryset.model):
            raise Http404  # a functional department has no roster: the list is not there, as for an outsider
        queryset = self.filtered()
        export = request.GET.get("export")
        if export in ("xlsx", "csv"):
            if not getattr(request, "exporting_in_background", False):
                count = queryset.count()
                if count > settings.EXPORT_JOB_ROWS:
                    return self.export_in_background(count)
            return self.export(queryset, export)
        table = paginate(self.table(queryset), request, self.paginate_by)  # ?per_page= bounded, ?page= cleaned
        return render(request, self.template_name, self.get_context_data(table=table))

    def get_title(self):
        return self.title or self.queryset.model._meta.verbose_name_plural

    def get_context_data(self, **context):
        table = context["table"]
        add_url = ""
        if self.add_url_name and gate.can_anywhere(self.request.user, self.add_action):
            add_url = reverse(self.add_url_name)
        context.update(
            title=self.get_title(),
            filter_form=self.filter_form,
            page_obj=table.page,
            paginator=table.paginator,
            object_list=[row.record for row in table.page.object_list] if table.page else [],
            can_export=True,
            add_url=add_url,
            import_url=self.import_url(),
        )
        return context

    def import_url(self):
        """The upload page of the list's importer, for users who may import somewhere."""
        from ..importing import get_importer

        if self.import_kind and gate.can_anywhere(self.request.user, get_importer(self.import_kind).permission_action):
            return reverse("core:import_new", kwargs={"kind": self.import_kind})
        return ""

    def export_in_background(self, count):
        """More rows than a request should carry: a job exports them; its page shows the progress
        and then the download link."""
        from ..choices import JobStatus
        from ..models import ExportJob

        query = self.request.GET.urlencode()
        waiting = ExportJob.objects.filter(
            user=self.request.user,
            path=self.request.path,
            query=query,
            status__in=[JobStatus.QUEUED, JobStatus.RUNNING],
        ).first()
        if waiting is not None:  # asked again (a second click) while the same export is on its way
            messages.info(self.request, _("同样的导出正在进行，请等待其完成。"))
            return HttpResponseRedirect(waiting.get_absolute_url())
        job = ExportJob.objects.create(
            user=self.request.user,
            path=self.request.path,
            query=query,
            progress_total=min(count, MAX_EXPORT_ROWS),
        )
        if not job.dispatch():
            messages.warning(self.request, _("任务队列暂时不可用，导出已登记，队列恢复后将自动开始。"))
        return HttpResponseRedirect(job.get_absolute_url())

    def export(self, queryset, fmt, progress=None):
        """The filtered rows in the table's export columns; personal data masked unless the user
        may see it whole, and then logged with the row count and the filter."""
        rows = queryset[:MAX_EXPORT_ROWS]
        table = self.table(rows, request=self.request)
        if any(getattr(column, "personal_field", None) for column in self.table.base_columns.values()):
            table.reveal = personal_data.log_access_if_whole(
                self.request,
                self.queryset.model,
                f"export:{self.request.path}",
                row_count=rows.count(),
                query=self.request.GET.urlencode(),
            )
        filename = self.export_filename or str(self.get_title())
        values = counted(table.export_rows(), progress)
        if fmt == "csv":
            return csv_response(f"{filename}.csv", self.table.headers(), values)
        return xlsx_response(f"{filename}.xlsx", self.table.headers(), values, sheet_title=filename)


def csv_response(filename, headers, rows):
    """CSV in UTF-8 with a BOM (Excel opens it right), formula-safe like the xlsx export."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([neutralise(h) for h in headers])
    for row in rows:
        writer.writerow([neutralise(value) for value in row])
    response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


class ObjectDetailView(ScopedMixin, generic.DetailView):
    """A record's page: its fields, the breadcrumb of its area, the links and panels other apps
    register for its model, its change history, and the actions the user may take."""

    template_name = "generic/object_detail.html"
    fields = ()  # the fields shown; empty: every concrete field but the keys
    change_action = None  # the action that edits and deletes the record (none: no such buttons)
    edit_url_name = ""
    delete_url_name = ""
    machine = None  # the record's declared transitions (core/transitions.py): buttons and history rows
    transition_url_name = ""  # "app:model_{name}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        user = self.request.user
        if self.machine is not None:
            context.update(
                offers=self.machine.offers(
                    self.machine.state(obj),
                    user,
                    obj,
                    lambda t: reverse(self.transition_url_name.format(name=t.name), args=[obj.pk]),
                ),
                changes=self.machine.history(obj),
            )
        may_change = self.change_action is not None and gate.can(user, self.change_action, obj)
        may_edit = may_change and not guard.refusal(obj, guard.CHANGE)  # as it stands (core/guard.py)
        may_delete = may_change and not guard.refusal(obj, guard.DELETE)
        # A record seen from outside the office that keeps it (an alliance seen through an area it
        # covers) shows no history: its changes name people the viewer may not open.
        keeper = getattr(obj, "history_shown_to", None)
        show_history = keeper is None or keeper(user)
        context.update(
            breadcrumb=breadcrumb_of(obj),
            rows=self.field_rows(obj),
            history=history_for(obj) if show_history else [],
            show_history=show_history,
            edit_url=reverse(self.edit_url_name, args=[obj.pk]) if may_edit and self.edit_url_name else "",
            delete_url=reverse(self.delete_url_name, args=[obj.pk]) if may_delete and self.delete_url_name else "",
        )
        return context

    def may_open(self, record):
        """Whether the page may link `record`: a scoped record with a page, in the user's scope."""
        manager = getattr(type(record), "_default_manager", None)  # a label shown instead: no link
        if not hasattr(record, "get_absolute_url") or not hasattr(manager, "scoped"):
            return False
        return gate.can(self.request.user, "view", record)

    def field_rows(self, obj):
        personal = getattr(type(obj), "personal_data_fields", {})
        names = self.fields or [
            f.name for f in obj._meta.concrete_fields if not f.primary_key and not f.name.endswith("_at")
        ]
        rows = []
        for name in names:
            field = obj._meta.get_field(name)
            # a record may call a field by another name (a party group's head is its 组长, not 书记)
            label = obj.field_label(name) if hasattr(obj, "field_label") else field.verbose_name
            if name in personal:
                if personal_data.resolve(obj, personal[name]):
                    rows.append((label, None, name, ""))
                else:
                    rows.append((label, None, None, ""))  # nothing recorded: "—"
                continue
            display = getattr(obj, f"get_{name}_display", None)
            value = display() if display else getattr(obj, name)
            url = ""
            if isinstance(value, bool):
                value = _("是") if value else _("否")
            elif isinstance(value, datetime.datetime):
                value = local_time(value)  # as the history below shows it: Y-m-d H:i, local
            elif isinstance(value, datetime.date):
                value = value.strftime("%Y-%m-%d")
            elif isinstance(value, decimal.Decimal):
                value = f"{value:,}"  # an amount with thousands separators, its places kept (50,000.00)
            elif value == "":
                value = None  # shown as "—", like a missing date
            elif field.is_relation and value is not None and self.may_open(value):
                url = value.get_absolute_url()  # a related record the user may open: a link, not a dead end
            rows.append((label, value, None, url))
        return rows


class ObjectEditView(ScopedMixin, generic.UpdateView):
    """One view for adding and changing: with a `pk` it edits a record in the user's scope, without
    one it adds a record. The form's choice fields offer only what the user may change, and the
    saved record must still be in the user's scope, or nothing is saved (404)."""

    action = "change"
    template_name = "generic/object_edit.html"
    success_message = ""

    def adding(self):
        return self.kwargs.get(self.pk_url_kwarg) is None and self.kwargs.get(self.slug_url_kwarg) is None

    def get_object(self, queryset=None):
        return None if self.adding() else super().get_object(queryset)

    def dispatch(self, request, *args, **kwargs):
        # Adding needs the action somewhere; changing finds the record in the scoped queryset (404).
        if self.adding() and request.user.is_authenticated and not gate.can_anywhere(request.user, self.action):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        """A new record's form is prefilled from the query string (a button "record a meeting of
        this organisation" links to the form with ?organisation=7), as NetBox's forms are."""
        initial = super().get_initial()
        if self.adding():
            fields = getattr(self.form_class._meta, "fields", None) or ()
            for name in fields:
                values = [value for value in self.request.GET.getlist(name) if value]
                if values:
                    initial[name] = values if len(values) > 1 else values[0]
        return initial

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        if issubclass(self.form_class, ScopedModelForm):
            kwargs["action"] = self.action
        return kwargs

    def form_token(self):
        """The add form's one-time token: the one posted (a form shown again keeps its token), or a
        new one. Changing a record needs none: saving the same values twice changes nothing."""
        if not self.adding():
            return ""
        from ..models import FormSubmission

        posted = self.request.POST.get(FORM_TOKEN) or self.request.GET.get(FORM_TOKEN)
        try:
            token = uuid.UUID(posted)
        except (TypeError, ValueError):
            return str(uuid.uuid4())
        return str(uuid.uuid4()) if FormSubmission.objects.filter(token=token).exists() else str(token)

    def get(self, request, *args, **kwargs):
        return self.refused() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.adding():
            earlier = self.earlier_submission()
            if earlier is not None:
                return earlier
        return self.refused() or super().post(request, *args, **kwargs)

    def refused(self):
        """Back to the record's page with the reason, when the record refuses to be edited as it
        stands (core/guard.py); None otherwise."""
        if self.adding():
            return None
        record = self.get_object()
        return refused_answer(self.request, record, guard.refusal(record, guard.CHANGE))

    def earlier_submission(self):
        """The answer to a POST whose token an earlier POST used: to what it created."""
        from ..models import FormSubmission

        token = self.posted_token()
        if token is None:
            return None
        first = FormSubmission.objects.filter(token=token, user=self.request.user).first()
        if first is None:
            return None
        messages.info(self.request, _("该表单已经提交过，未重复保存。"))
        return HttpResponseRedirect(first.object_url or self.request.path)

    def posted_token(self):
        try:
            return uuid.UUID(self.request.POST.get(FORM_TOKEN, ""))
        except ValueError:
            return None

    def form_valid(self, form):
        from ..models import FormSubmission

        token = self.posted_token() if self.adding() else None
        try:
            with transaction.atomic():
                submission = None
                if token is not None:
                    # Taken first: a second POST with this token waits here for this one to commit,
                    # then fails on the unique token and is sent to what this one created.
                    submission = FormSubmission.objects.create(
                        token=token, user=self.request.user, path=self.request.path[:300]
                    )
                self.object = form.save()
                if not self.get_queryset().filter(pk=self.object.pk).exists():
                    raise Http404  # the write would leave the user's scope: roll it back
                if submission is not None:
                    submission.object_url = self.get_success_url()[:300]
                    submission.save(update_fields=["object_url"])
        except IntegrityError:
            earlier = self.earlier_submission() if token is not None else None
            if earlier is not None:
                return earlier
            if token is not None and FormSubmission.objects.filter(token=token).exists():
                form.add_error(None, _("该表单已失效，请核对后重新提交。"))  # another user's token
            else:  # a race past the form's checks: said in Chinese, nothing of the row logged
                form.add_error(None, _("与已有记录重复或冲突，未保存。请刷新后核对。"))
            return self.form_invalid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message or _("已保存“{name}”。").format(name=self.object))
        return HttpResponseRedirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        model = self.queryset.model
        if self.object is None:
            title = _("新增{name}").format(name=model._meta.verbose_name)
            cancel_url = self.request.GET.get("cancel") or ""
        else:
            title = _("编辑“{name}”").format(name=self.object)
            cancel_url = self.object.get_absolute_url()
        context.setdefault("title", title)
        context.setdefault("cancel_url", cancel_url)
        context.setdefault("form_token", self.form_token())
        context.setdefault("breadcrumb", breadcrumb_of(self.object) if self.object is not None else [])
        return context


def protected_message(obj, error):
    """Why `obj` cannot be deleted (a ProtectedError or RestrictedError): the records that still
    point at it, named (ten at most); the delete page and the API give the same reason."""
    found = getattr(error, "protected_objects", None) or getattr(error, "restricted_objects", ())
    blocking = "、".join(sorted({str(record) for record in list(found)[:10]}))
    return _("“{name}”仍被以下记录引用，不能删除：{blocking}。").format(name=obj, blocking=blocking)


def refused_answer(request, record, reason):
    """The answer to an edit or delete the record refuses: back to its page, the reason shown."""
    if not reason:
        return None
    messages.error(request, reason)
    return HttpResponseRedirect(record.get_absolute_url())


class ObjectDeleteView(ScopedMixin, generic.DeleteView):
    """Delete within scope, after a confirmation page naming what it touches; a refusal (a
    ValidationError, or records that still point at it) is shown with the blocking records named,
    and nothing is lost. A record that refuses to be deleted as it stands (`refuses(DELETE)`,
    core/guard.py) is not offered the confirmation: the page gives the reason instead, and a POST
    is sent back with it."""

    action = "change"
    template_name = "generic/object_delete.html"

    def form_valid(self, form):
        refused = refused_answer(self.request, self.object, guard.refusal(self.object, guard.DELETE))
        if refused is not None:
            return refused
        success_url = self.get_success_url()
        try:
            with transaction.atomic():
                self.object.delete()
        except ValidationError as error:
            for text in error.messages:
                messages.error(self.request, text)
            return HttpResponseRedirect(self.get_cancel_url())
        except (ProtectedError, RestrictedError) as error:
            messages.error(self.request, protected_message(self.object, error))
            return HttpResponseRedirect(self.get_cancel_url())
        messages.success(self.request, _("已删除“{name}”。").format(name=self.object))
        return HttpResponseRedirect(success_url)

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("cancel_url", self.get_cancel_url())
        context.setdefault("breadcrumb", breadcrumb_of(self.object))
        context.setdefault("kept", guard.refusal(self.object, guard.DELETE))
        return context


class ModelPages:
    """The pages of one scoped model, declared: list, detail, add, edit, delete and their URLs, and
    optionally its API, import and menu entry.

    Declare `model`, `change_action`, and `fields` (or a `table` and a `form`); optionally
    `filters` (the fields a list filters by), `api` (the API's prefix), `import_id_fields` (the
    columns that find an existing row on import), `menu` (True, or the MenuItem's order, icon,
    group as a dict), `detail_fields`, `list_title`, `queryset` and `import_kind`. What is not
    declared is derived (core.declared): a table from the fields, a ScopedModelForm of the fields
    (or of the table's columns), a filterset (with `within`), a serializer and a ScopedViewSet, a
    ScopedResource. URL names are "<model>_list", "<model>_detail", "<model>_add", "<model>_edit"
    and "<model>_delete" in the including app's namespace; `register()` (from the app's ready())
    adds the API route, the importer and the menu entry."""

    model = None
    fields = ()  # the form's, the serializer's and the resource's fields, and a derived table's columns
    table = None
    filterset = None
    filters = ()  # the fields a derived filterset filters by
    form = None
    change_action = "change"
    detail_fields = ()
    list_title = ""
    filter_defaults = {}  # the list's filter values when the user has chosen none (e.g. status=open)
    import_kind = ""  # the importer whose upload page the list links to (core.importing)
    import_id_fields = ()  # declares an importer: the columns that find an existing row
    resource = None  # its django-import-export resource (derived)
    api = ""  # the API's prefix: "service-points" → /api/service-points/
    serializer = None  # derived when `api` is declared
    viewset = None  # derived when `api` is declared
    menu = None  # True, or {"order": 40, "icon": "geo", "group": …}: an entry of the menu bar
    # A StateMachine (core/transitions.py): its steps' pages at "<prefix>/<pk>/<transition>/", named
    # "<model>_<transition>", their buttons and history rows on the record's page.
    transitions = None
    transition_view = None  # the view of a step's confirmation (default: transitions.RecordTransitionView)
    # The rows of every page (e.g. annotated with the figures the table shows); default: all.
    queryset = None
    # A staticmethod (queryset, user) → queryset for the figures that depend on the user: a count
    # of related records counts only those the user may see.
    for_user = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.model is not None:
            from ..declared import complete

            complete(cls)

    @classmethod
    def register(cls):
        """From the app's AppConfig.ready(): the API route, the importer and the menu entry."""
        from ..registry import registry

        if cls.api:
            registry.add_api_route(cls.api, cls.viewset, cls.model._meta.model_name)
        if cls.import_id_fields:
            from ..importing import register
            from ..resources import ResourceImporter

            register(ResourceImporter.declare(cls.import_kind, cls.resource, cls.change_action))
        if cls.menu:
            registry.add_menu_item(cls.menu_item())

    @classmethod
    def menu_item(cls):
        """The menu bar's entry of the list, shown to who may see records somewhere."""
        from ..registry import MenuItem

        options = cls.menu if isinstance(cls.menu, dict) else {}
        return MenuItem(
            options.get("label", cls.model._meta.verbose_name_plural),
            lambda user: reverse(cls.namespaced("list")),
            lambda user: gate.can_anywhere(user, gate.read_action(cls.model)),
            active=f"{cls.model._meta.app_label}:{cls.model._meta.model_name}",
            **{key: value for key, value in options.items() if key != "label"},
        )

    @classmethod
    def url_name(cls, page):
        return f"{cls.model._meta.model_name}_{page}"

    @classmethod
    def namespaced(cls, page):
        return f"{cls.model._meta.app_label}:{cls.url_name(page)}"

    @classmethod
    def urls(cls, prefix):
        queryset = cls.queryset if cls.queryset is not None else cls.model._default_manager.all()
        name = cls.url_name
        return [
            path(
                f"{prefix}/",
                ObjectListView.as_view(
                    queryset=queryset,
                    for_user=cls.for_user,
                    table=cls.table,
                    filterset=cls.filterset,
                    filter_defaults=cls.filter_defaults,
                    title=cls.list_title,
                    add_url_name=cls.namespaced("add"),
                    add_action=cls.change_action,
                    import_kind=cls.import_kind,
                ),
                name=name("list"),
            ),
            path(
                f"{prefix}/add/",
                ObjectEditView.as_view(queryset=queryset, form_class=cls.form, action=cls.change_action),
                name=name("add"),
            ),
            path(
                f"{prefix}/<int:pk>/",
                ObjectDetailView.as_view(
                    queryset=queryset,
                    fields=cls.detail_fields,
                    change_action=cls.change_action,
                    edit_url_name=cls.namespaced("edit"),
                    delete_url_name=cls.namespaced("delete"),
                    machine=cls.transitions,
                    transition_url_name=cls.namespaced("{name}"),
                ),
                name=name("detail"),
            ),
            path(
                f"{prefix}/<int:pk>/edit/",
                ObjectEditView.as_view(queryset=queryset, form_class=cls.form, action=cls.change_action),
                name=name("edit"),
            ),
            path(
                f"{prefix}/<int:pk>/delete/",
                ObjectDeleteView.as_view(
                    queryset=queryset, action=cls.change_action, success_url=reverse_lazy_list(cls)
                ),
                name=name("delete"),
            ),
            *cls.transition_urls(prefix, queryset),
        ]

    @classmethod
    def transition_urls(cls, prefix, queryset):
        if cls.transitions is None:
            return []
        from ..transitions import RecordTransitionView

        view = cls.transition_view or RecordTransitionView
        return [
            path(
                f"{prefix}/<int:pk>/{t.name}/",
                view.as_view(queryset=queryset, machine=cls.transitions, transition=t.name),
                name=cls.url_name(t.name),
            )
            for t in cls.transitions
        ]


def reverse_lazy_list(pages):
    from django.urls import reverse_lazy

    return reverse_lazy(pages.namespaced("list"))


def get_scoped_or_404(queryset, user, action="view", **lookup):
    """One record of `queryset` that `user` may `action` on, or 404."""
    return get_object_or_404(queryset.scoped(user, action), **lookup)
