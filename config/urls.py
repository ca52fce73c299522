from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from core import metrics
from core.forms import LoginForm, PasswordChangeForm
from core.registry import registry
from core.views import health
from core.views.home import home
from grids import api as grids_api

# The admin, for the operator, under the portal's name rather than "Django 管理".
admin.site.site_header = _("基层治理平台 · 系统管理")
admin.site.site_title = _("基层治理平台系统管理")
admin.site.index_title = _("系统管理")

# Every app registers its API routes from its AppConfig.ready() (core.registry).
router = DefaultRouter()
for prefix, viewset, basename in registry.api_routes:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("", home, name="home"),
    # For load balancers, monitors and Prometheus: no login, no data (README "Health and monitoring").
    path("health/live", health.live, name="health-live"),
    path("health/ready", health.ready, name="health-ready"),
    path("metrics", metrics.metrics_view, name="metrics"),
    path(
        "login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True, authentication_form=LoginForm),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm), name="password_change"),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("", include("core.urls")),
    path("", include("orgs.urls")),
    path("", include("party.urls")),
    path("", include("grids.urls")),
    path("", include("assessment.urls")),
    path("", include("property.urls")),
    path("", include("services.urls")),
    path("", include("funds.urls")),
    path("", include("workforce.urls")),
    path("api/coverage/<code:code>/", grids_api.coverage_view, name="api-coverage"),
    path("api/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI under the CSP: the split view serves its start-up script as a file, and
    # templates/api_docs.html takes its inline styles to a stylesheet.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api_docs.html"),
        name="api-docs",
    ),
    path("admin/", admin.site.urls),
]

# Under /api/ a path no route matches answers 404 in JSON, as the schema documents (core.views.errors).
handler404 = "core.views.errors.not_found"
