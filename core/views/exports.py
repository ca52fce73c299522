"""The page of a large export run in the background: its progress, then its download. Every
export job is its own user's (a superuser's: everybody's)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from ..choices import JobStatus
from ..models import ExportJob
from .jobs import job_progress


def own_export(request, pk):
    jobs = ExportJob.objects.defer("content")
    if not request.user.is_superuser:
        jobs = jobs.filter(user=request.user)
    return get_object_or_404(jobs, pk=pk)


@login_required
def export_detail(request, pk):
    job = own_export(request, pk)
    return render(
        request,
        "core/export_detail.html",
        {"job": job, "progress_url": reverse("core:export_progress", args=[pk])},
    )


@login_required
def export_progress(request, pk):
    """The progress bar, polled by htmx while the job runs; the full page once it ends."""
    return job_progress(request, own_export(request, pk), "core:export_progress")


@login_required
def export_download(request, pk):
    from urllib.parse import quote

    job = own_export(request, pk)
    if job.status != JobStatus.DONE:
        raise Http404
    content = ExportJob.objects.values_list("content", flat=True).get(pk=job.pk)
    response = HttpResponse(bytes(content), content_type=job.content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(job.filename)}"
    return response
