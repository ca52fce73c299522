"""Large exports as background jobs (core.models.ExportJob): a list asked for more rows than
settings.EXPORT_JOB_ROWS is exported by a Celery task instead of in the request, with a progress
bar and a download link. The task calls the list's own view again — same URL, same filter, same
user — so that scope, filters, masking and the access log are exactly the page's."""

import logging
from urllib.parse import unquote

from django.test import RequestFactory
from django.urls import resolve
from django.utils.translation import gettext as _

from . import jobs
from .choices import JobStatus

logger = logging.getLogger(__name__)


def run_export(job):
    if not jobs.start(job):
        return
    reporter = jobs.ProgressReporter(job)
    try:
        request = RequestFactory().get(job.path, data=None, QUERY_STRING=job.query)
        request.user = job.user
        request.exporting_in_background = True
        match = resolve(job.path)
        view = match.func.view_class(**match.func.view_initkwargs)
        view.setup(request, *match.args, **match.kwargs)
        fmt = "csv" if "export=csv" in job.query else "xlsx"
        response = view.export(view.filtered(), fmt, progress=reporter)
        job.content = response.content
        job.content_type = response["Content-Type"]
        job.filename = unquote(response["Content-Disposition"].split("''", 1)[-1])
    except Exception as exc:  # the job must end in a state the user can see
        logger.exception("export job %s failed", job.pk)
        jobs.finish(job, JobStatus.FAILED, error=_("导出时发生内部错误：{error}").format(error=exc))
    else:
        jobs.finish(job, JobStatus.DONE, fields=["content", "content_type", "filename"])
    finally:
        reporter.close()


def counted(rows, progress, every=1000):
    """`rows`, reporting how many have gone by to `progress` every `every` rows."""
    n = 0
    for n, row in enumerate(rows, 1):
        if progress and n % every == 0:
            progress(n)
        yield row
    if progress:
        progress(n)
