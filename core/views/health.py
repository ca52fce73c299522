"""/health/live and /health/ready (core/health.py): for load balancers and monitors, without login,
revealing no data; never stored by a cache (NeverStoreMiddleware, and django-health-check's own)."""

import logging

from django.http import JsonResponse
from health_check.views import HealthCheckView

from .. import health

logger = logging.getLogger("jiceng.health")


def live(request):
    """The process answers: no database, no Redis."""
    return JsonResponse({"status": health.OK})


class ReadyView(HealthCheckView):
    """django-health-check's view, answering the portal's JSON (each check's name, state and time)
    with 503 when a check fails, rather than its own formats and 500."""

    checks = health.READY_CHECKS

    async def get(self, request, *args, **kwargs):
        body, status = health.readiness(await health.check_all(self.checks))
        if body["failing"]:
            logger.warning("not ready: %s", ", ".join(body["failing"]))
        return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


ready = ReadyView.as_view()
