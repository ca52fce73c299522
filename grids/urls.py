from django.urls import path

from . import views

app_name = "grids"
urlpatterns = [
    path("grids/mine/", views.my_grids, name="my_grids"),
    path("grids/people/<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("grids/posts/<int:pk>/relieve/", views.relieve, name="relieve"),
    path("grids/<code:code>/coverage/", views.area_coverage, name="coverage"),
    path("grids/<code:code>/coverage/summary/", views.coverage_summary, name="coverage_summary"),
    path("grids/<code:code>/roster/", views.RosterView.as_view(), name="roster"),
    path("grids/<code:code>/appoint/", views.appoint, name="appoint"),
]
