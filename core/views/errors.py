"""The portal's error answers (config/urls.py's handlers): under /api/ in JSON, as the API's
schema documents every refusal; elsewhere Django's pages (templates/404.html)."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults


def not_found(request, exception=None):
    """404: a path no route of the API matches (an area code with letters, an id with a slash)
    is answered like a record that is not found."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("未找到。")}, status=404, json_dumps_params={"ensure_ascii": False})
    return defaults.page_not_found(request, exception)
