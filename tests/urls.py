"""The test URLconf: the portal's, plus the kit's test app (tests/kitapp)."""

from django.urls import include, path

from config.urls import handler404  # noqa: F401  (the portal's error answers, JSON under /api/)
from config.urls import urlpatterns as portal_urlpatterns

urlpatterns = [*portal_urlpatterns, path("", include("tests.kitapp.urls"))]
