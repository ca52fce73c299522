from django.urls import path

from . import views

app_name = "assessment"
urlpatterns = [
    path("assessment/periods/", views.period_list, name="period_list"),
    path("assessment/periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("assessment/periods/<int:pk>/run/", views.period_run, name="period_run"),
    path("assessment/periods/<int:pk>/close/", views.period_close, name="period_close"),
    path("assessment/rollups/<int:pk>/progress/", views.rollup_progress, name="rollup_progress"),
    path("areas/<code:code>/dashboard/", views.dashboard, name="dashboard"),
    path("areas/<code:code>/dashboard/breakdown/", views.breakdown, name="breakdown"),
]
