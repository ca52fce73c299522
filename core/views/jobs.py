"""What every background job's pages share."""

from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def job_progress(request, job, url_name, unit=None):
    """The progress bar of `job`, polled by htmx at `url_name` while the job runs; once it has
    ended, htmx is told to reload the job's page, which then shows the outcome. `unit`: what
    the job counts (行 by default)."""
    if job.is_finished and request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Refresh"] = "true"
        return response
    context = {"job": job, "progress_url": reverse(url_name, args=[job.pk]), "unit": unit or _("行")}
    return render(request, "core/job_progress.html", context)
