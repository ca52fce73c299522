"""The browser import flow, for every importer: upload → preview → confirm → progress → report."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.generic import ListView

from .. import gate, importing
from ..choices import JobStatus
from ..models import ImportJob
from ..spreadsheets import XLSX_CONTENT_TYPE, FileRejected, xlsx_response
from .jobs import job_progress


def importer_for(request, kind):
    """The importer of `kind` for this user, or 404 when the user may not import it anywhere."""
    importer_class = importing.REGISTRY.get(kind)
    if importer_class is None:
        raise Http404
    user = request.user
    if not gate.can_anywhere(user, importer_class.permission_action):
        raise Http404
    return importer_class(user)


def own_jobs(user):
    jobs = ImportJob.objects.defer("content")
    return jobs if user.is_superuser else jobs.filter(user=user)


class ImportListView(LoginRequiredMixin, ListView):
    """The user's own imports (a superuser's: everybody's); jobs carry no area, so no scoping."""

    template_name = "core/import_list.html"
    paginate_by = 30

    def get_queryset(self):
        return own_jobs(self.request.user).select_related("user")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["importers"] = [
            cls for cls in importing.REGISTRY.values() if gate.can_anywhere(user, cls.permission_action)
        ]
        return context


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request, kind):
    from ..forms import ImportUploadForm

    importer = importer_for(request, kind)
    form = ImportUploadForm(
        request.POST or None, request.FILES or None, max_bytes=settings.IMPORT_MAX_BYTES, options=importer.options
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        options = {name: form.cleaned_data[name] for name, _label, _help in type(importer).options}
        importer = type(importer)(request.user, options)
        try:
            plan = importing.preview(importer, data)
        except FileRejected as rejected:
            form.add_error("file", str(rejected))
        else:
            job = ImportJob.objects.create(
                kind=kind,
                user=request.user,
                filename=upload.name[:255],
                content=data,
                summary=plan.summary(),
                options=options,
                progress_total=len(plan.new) + len(plan.changed) + len(plan.relieved),
            )
            return redirect(job)
    return render(request, "core/import_new.html", {"form": form, "importer": importer})


@login_required
def import_detail(request, pk):
    job = get_object_or_404(own_jobs(request.user).select_related("user"), pk=pk)
    importer = importing.REGISTRY[job.kind]
    summary = job.report or job.summary
    rejected = summary.get("rejected", [])
    warnings = summary.get("warnings", [])
    details = summary.get("details", {})
    relieved_count = summary.get("relieved_count", len(summary.get("relieved", [])))
    change_lists = [
        {
            "kind": kind,
            "label": importing.DETAIL_KIND_LABELS[kind],
            "entries": details.get(kind, []),
            "more": max(0, count - len(details.get(kind, []))),
        }
        for kind, count in (("changed", summary.get("changed", 0)), ("new", summary.get("new", 0)))
        if count
    ]
    return render(
        request,
        "core/import_detail.html",
        {
            "job": job,
            "importer": importer,
            "summary": summary,
            "nothing_to_import": not (summary.get("new") or summary.get("changed") or summary.get("relieved")),
            "rejection_groups": rejection_groups(rejected),
            "rejected": rejected[:500],
            "rejected_more": max(0, len(rejected) - 500),
            "rejected_rows": len({r["row"] for r in rejected}),
            "change_lists": change_lists,
            "changes_more": any(c["more"] for c in change_lists) or relieved_count > len(summary.get("relieved", [])),
            "relieved_count": relieved_count,
            "relieved_more": max(0, relieved_count - len(summary.get("relieved", []))),
            "warnings": warnings[:500],
            "warnings_more": max(0, len(warnings) - 500),
        },
    )


GROUP_EXAMPLES = 5


def rejection_groups(rejected):
    """The rejections summarised by reason, the most frequent first: a sheet with 728 rows of one
    error and 3 real mistakes shows two lines, not 731. Reasons that differ only in the codes or
    numbers they quote form one group."""
    import re

    groups = {}
    for r in rejected:
        key = (r["column"], re.sub(r"\d+", "…", r["reason"]))
        group = groups.setdefault(key, {"column": r["column"], "reason": r["reason"], "count": 0, "rows": []})
        group["count"] += 1
        if len(group["rows"]) < GROUP_EXAMPLES:
            group["rows"].append(r["row"])
    return sorted(groups.values(), key=lambda g: (-g["count"], g["rows"][0]))


@login_required
def import_progress(request, pk):
    """The progress bar, polled by htmx while the job runs; the full page once it ends."""
    return job_progress(request, get_object_or_404(own_jobs(request.user), pk=pk), "core:import_progress")


@login_required
@require_POST
def import_confirm(request, pk):
    job = get_object_or_404(own_jobs(request.user), pk=pk, status=JobStatus.PREVIEWED)
    if job.user_id != request.user.pk:
        raise Http404
    job.skip_invalid = bool(request.POST.get("skip_invalid"))
    if not (job.summary.get("new") or job.summary.get("changed") or job.summary.get("relieved")):
        messages.error(request, _("这个文件没有可以导入的数据，未写入任何数据。"))
        return redirect(job)
    if job.summary.get("rejected") and not job.skip_invalid:
        messages.error(request, _("有未通过校验的行：请修改后重新上传，或勾选“仅导入有效行”。"))
        return redirect(job)
    job.save(update_fields=["skip_invalid"])
    if not job.dispatch():
        messages.warning(request, _("任务队列暂时不可用，导入已登记，队列恢复后将自动开始。"))
    return redirect(job)


@login_required
@require_POST
def import_cancel(request, pk):
    job = get_object_or_404(own_jobs(request.user), pk=pk, status=JobStatus.PREVIEWED)
    job.status = JobStatus.CANCELLED
    job.save(update_fields=["status"])
    messages.info(request, _("已取消本次导入，未写入任何数据。"))
    return redirect("core:import_list")


@login_required
def import_rejected(request, pk):
    job = get_object_or_404(own_jobs(request.user), pk=pk)
    importer = importing.REGISTRY[job.kind](job.user, job.options)
    rejected = (job.report or job.summary).get("rejected", [])
    content = importing.rejected_rows_xlsx(importer, bytes(job.content), rejected)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''rejected-{job.pk}.xlsx"
    return response


@login_required
def import_changes(request, pk):
    """Every change a previewed import would make, row by row (the preview lists the first
    importing.DETAIL_LIMIT of each kind): the sheet planned again against the data as it stands."""
    job = get_object_or_404(own_jobs(request.user), pk=pk, status=JobStatus.PREVIEWED)
    importer = importing.REGISTRY[job.kind](job.user, job.options)
    content = importing.changes_xlsx(importer, bytes(job.content))
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''changes-{job.pk}.xlsx"
    return response


@login_required
def import_template(request, kind):
    importer = importer_for(request, kind)
    return xlsx_response(f"{importer.title}导入模板.xlsx", [c.header for c in importer.columns], [])
