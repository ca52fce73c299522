"""The kit's own home-page widget: the user's imports that wait for a confirmation or run."""

from .choices import JobStatus
from .models import ImportJob


def pending_imports(request):
    jobs = list(
        ImportJob.objects.defer("content")
        .filter(user=request.user, status__in=[JobStatus.PREVIEWED, JobStatus.QUEUED, JobStatus.RUNNING])
        .order_by("-created_at")[:5]
    )
    return {"jobs": jobs} if jobs else None
