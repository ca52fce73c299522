from django.urls import path

from . import urls_evaluation, views

app_name = "property"
urlpatterns = [
    *(pattern for prefix, pages in views.PAGES for pattern in pages.urls(prefix)),
    path("property/ledger/<int:pk>/evidence/", views.ledger_evidence, name="ledgerentry_evidence"),
    *urls_evaluation.urlpatterns,  # the annual evaluation (issue 18 B1)
]
