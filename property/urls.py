from django.urls import path

from . import urls_evaluation, views, views_ledger

app_name = "property"
urlpatterns = [
    *(pattern for prefix, pages in views.PAGES for pattern in pages.urls(prefix)),
    path("property/ledger/<int:pk>/evidence/", views.ledger_evidence, name="ledgerentry_evidence"),
    path("areas/<code:code>/property/summary/", views.area_summary, name="area_summary"),
    path("property/ledger/progress/", views_ledger.ledger_progress_home, name="ledger_progress_home"),
    path("property/ledger/progress/<code:code>/", views_ledger.ledger_progress, name="ledger_progress"),
    *urls_evaluation.urlpatterns,  # the annual evaluation (issue 18 B1)
]
