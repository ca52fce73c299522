"""Base views every app's pages use. Concrete views declare attributes; scoping is applied
here, once: the queryset is always `.scoped(user, action)`, so an object out of the user's
scope is simply not found (404), and writes are re-checked after saving."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views import generic

from ..spreadsheets import xlsx_response

MAX_EXPORT_ROWS = 300_000


class ScopedMixin(LoginRequiredMixin):
    """`queryset` restricted to what the user may do `action` on."""

    queryset = None
    action = "view"

    def get_queryset(self):
        return self.queryset.scoped(self.request.user, self.action)


class ObjectListView(ScopedMixin, generic.ListView):
    """A list with a django-filter filterset, paging and an xlsx export of the filtered rows.

    `export_columns` is a sequence of (header, function of the object) pairs.
    """

    filterset_class = None
    filter_defaults = {}  # filter values of the page when the user has chosen none (e.g. state=current)
    paginate_by = 50
    export_columns = ()
    export_filename = "export.xlsx"
    template_name = "generic/object_list.html"
    title = ""

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.filterset_class is not None:
            data = self.request.GET.copy()
            for name, value in self.filter_defaults.items():
                data.setdefault(name, value)
            self.filterset = self.filterset_class(data or None, queryset=queryset, request=self.request)
            queryset = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset
        else:
            self.filterset = None
        return queryset

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.export_columns:
            rows = self.get_queryset()[:MAX_EXPORT_ROWS]
            return xlsx_response(
                self.export_filename,
                [header for header, _ in self.export_columns],
                ([value(obj) for _, value in self.export_columns] for obj in rows.iterator(chunk_size=5000)),
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(filterset=self.filterset, title=self.title, can_export=bool(self.export_columns))
        return context


class ObjectDetailView(ScopedMixin, generic.DetailView):
    pass


class ObjectEditView(ScopedMixin, generic.UpdateView):
    """Edit within scope; the saved object must still be in scope, or nothing is saved."""

    action = "change"
    template_name = "generic/object_edit.html"
    success_message = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = form.save()
                if not self.get_queryset().filter(pk=self.object.pk).exists():
                    raise Http404  # the write would leave the user's scope: roll it back
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message or _("已保存。"))
        return HttpResponseRedirect(self.get_success_url())


class ObjectDeleteView(ScopedMixin, generic.DeleteView):
    """Delete within scope; a refusal (ValidationError) is shown as a message, nothing lost."""

    action = "change"
    template_name = "generic/object_delete.html"

    def form_valid(self, form):
        success_url = self.get_success_url()
        try:
            self.object.delete()
        except ValidationError as error:
            for text in error.messages:
                messages.error(self.request, text)
            return HttpResponseRedirect(self.get_cancel_url())
        messages.success(self.request, _("已删除“{name}”。").format(name=self.object))
        return HttpResponseRedirect(success_url)

    def get_cancel_url(self):
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_cancel_url()
        return context
