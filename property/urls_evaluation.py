"""The evaluation's URLs (included by property/urls.py in the `property` namespace)."""

from django.urls import path

from . import views_evaluation as views

urlpatterns = [
    # An inspection is added by drawing it (双随机): its list's 新增 leads to the draw, before the kit's add page.
    path("property/inspections/add/", views.draw, name="inspection_draw"),
    *(pattern for prefix, pages in views.PAGES for pattern in pages.urls(prefix)),
    path("property/evaluations/<int:pk>/sheet/", views.sheet_add, name="scoresheet_add"),
    path("property/score-sheets/<int:pk>/", views.sheet_detail, name="scoresheet_detail"),
    path("property/ranking/", views.RankingView.as_view(), name="evaluation_ranking"),
    path("property/ranking/<int:pk>/", views.breakdown, name="evaluation_breakdown"),
    path("property/ranking/<int:pk>/print/", views.grade_page, name="evaluation_grade"),
    path("property/inspections/<int:pk>/publish/", views.publish, name="inspection_publish"),
]
