"""The kit's own widgets: the home-page widget of the user's imports that wait for a confirmation
or run, and the file input every upload form uses (FileInput)."""

from datetime import timedelta

from django import forms
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .choices import JobStatus
from .models import ExportJob, ImportJob


def pending_imports(request):
    """The user's imports waiting for a confirmation or running, and the exports of the last day."""
    jobs = list(
        ImportJob.objects.defer("content")
        .filter(user=request.user, status__in=[JobStatus.PREVIEWED, JobStatus.QUEUED, JobStatus.RUNNING])
        .order_by("-created_at")[:5]
    )
    exports = list(
        ExportJob.objects.defer("content")
        .filter(user=request.user, created_at__gte=timezone.now() - timedelta(days=1))
        .order_by("-created_at")[:5]
    )
    return {"jobs": jobs, "exports": exports} if jobs or exports else None


class FileInput(forms.ClearableFileInput):
    """A file input that speaks Chinese: the browser's own button and state ("Choose File", "No
    file chosen") follow the browser's language, not the portal's, so the input is hidden
    (visually only: it still takes the focus, the file and the upload) behind a <label> button
    选择文件 and a line that names the file chosen (static/js/portal.js, [data-file-input]).
    A file already on record is named by its file name, not its storage path nor a /media/ link
    (uploads are served only through the portal's scoped downloads)."""

    template_name = "core/widgets/file_input.html"
    initial_text = _("已上传")
    clear_checkbox_label = _("删除已上传的文件")

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        input_attrs = {**widget["attrs"], "class": "visually-hidden", "data-file-input": ""}
        if widget.get("is_initial"):
            # the name it was uploaded under, where its model keeps one (`<field>_name`, e.g. evidence_name)
            kept = getattr(getattr(value, "instance", None), f"{name}_name", "")
            context["initial_name"] = kept or str(getattr(value, "name", value)).rsplit("/", 1)[-1]
        context["input_attrs"] = flatatt(input_attrs)
        context["many"] = bool(input_attrs.get("multiple"))
        return context

    def render(self, name, value, attrs=None, renderer=None):
        return mark_safe(render_to_string(self.template_name, self.get_context(name, value, attrs)))


class SuggestingTextInput(forms.TextInput):
    """A text input with suggestions (a <datalist>): the user may pick one or type another, as a
    meeting's 地点 offers the service venues' names (core.registry.places_for)."""

    def __init__(self, suggestions=(), attrs=None):
        super().__init__(attrs)
        self.suggestions = list(suggestions)

    def render(self, name, value, attrs=None, renderer=None):
        from django.utils.html import format_html, format_html_join

        attrs = {**(attrs or {})}
        list_id = f"{attrs.get('id') or 'id_' + name}_suggestions"
        if self.suggestions:
            attrs["list"] = list_id
        html = super().render(name, value, attrs, renderer)
        if not self.suggestions:
            return html
        options = format_html_join("", '<option value="{}"></option>', ((s,) for s in self.suggestions))
        return format_html('{}<datalist id="{}">{}</datalist>', html, list_id, options)
