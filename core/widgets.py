"""The kit's own home-page widget: the user's imports that wait for a confirmation or run."""

from datetime import timedelta

from django.utils import timezone

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
