from django.urls import path

from . import entry_views, set_views, views

app_name = "assessment"
step = entry_views.ApprovalStep.as_view  # 上报, 验收, 退回: the declared transitions (approvals.APPROVAL)
urlpatterns = [
    path("assessment/periods/", views.period_list, name="period_list"),
    path("assessment/periods/<int:pk>/", views.period_detail, name="period_detail"),
    path("assessment/periods/<int:pk>/run/", views.period_run, name="period_run"),
    path("assessment/periods/<int:pk>/close/", views.period_close, name="period_close"),
    path("assessment/periods/<int:pk>/delete/", views.period_delete, name="period_delete"),
    path("assessment/rollups/<int:pk>/progress/", views.rollup_progress, name="rollup_progress"),
    path("assessment/sets/", set_views.set_list, name="set_list"),
    path("assessment/sets/<int:pk>/", set_views.set_detail, name="set_detail"),
    path("assessment/sets/<int:pk>/edit/", set_views.set_edit, name="set_edit"),
    path("assessment/evidence/<int:pk>/", entry_views.evidence_download, name="evidence"),
    path("assessment/evidence/<int:pk>/delete/", entry_views.evidence_delete, name="evidence_delete"),
    path("areas/<code:code>/dashboard/", views.dashboard, name="dashboard"),
    path("areas/<code:code>/dashboard/export/", views.dashboard_export, name="dashboard_export"),
    path("areas/<code:code>/dashboard/breakdown/", views.breakdown, name="breakdown"),
    path("areas/<code:code>/assessment/", entry_views.entry, name="entry"),
    path("areas/<code:code>/assessment/<int:indicator>/", entry_views.entry_edit, name="entry_edit"),
    path("areas/<code:code>/assessment/submit/", step(transition="submit"), name="entry_submit"),
    path("areas/<code:code>/assessment/accept/", step(transition="accept"), name="entry_accept"),
    path("areas/<code:code>/assessment/return/", step(transition="return"), name="entry_return"),
]
