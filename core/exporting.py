"""Large exports as background jobs (core.models.ExportJob): a list asked for more rows than
settings.EXPORT_JOB_ROWS is exported by a Celery task instead of in the request, with a progress
bar and a download link. The task calls the list's own view again — same URL, same filter, same
user — so that scope, filters, masking and the access log are exactly the page's."""

from urllib.parse import unquote

from django.test import RequestFactory
from django.urls import resolve
from django.utils.translation import gettext_lazy as _

from . import jobs


class ExportRunner(jobs.JobRunner):
    """A large export's work (core.jobs runs its lifecycle): the list's own view, asked again."""

    model = "core.ExportJob"
    failure = _("导出时发生内部错误：{error}")

    def run(self):
        job = self.job
        request = RequestFactory().get(job.path, data=None, QUERY_STRING=job.query)
        request.user = job.user
        request.exporting_in_background = True
        match = resolve(job.path)
        view = match.func.view_class(**match.func.view_initkwargs)
        view.setup(request, *match.args, **match.kwargs)
        fmt = "csv" if "export=csv" in job.query else "xlsx"
        response = view.export(view.filtered(), fmt, progress=self.progress)
        job.content = response.content
        job.content_type = response["Content-Type"]
        job.filename = unquote(response["Content-Disposition"].split("''", 1)[-1])
        return ["content", "content_type", "filename"]


def counted(rows, progress, every=1000):
    """`rows`, reporting how many have gone by to `progress` every `every` rows."""
    n = 0
    for n, row in enumerate(rows, 1):
        if progress and n % every == 0:
            progress(n)
        yield row
    if progress:
        progress(n)
