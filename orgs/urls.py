from django.urls import path

from .departments import DepartmentPages
from .views import areas, roles, users

app_name = "orgs"
urlpatterns = [
    path("areas/", areas.AreaListView.as_view(), name="area_list"),
    path("areas/search/", areas.area_search, name="area_search"),
    path("areas/pick/", areas.area_pick, name="area_pick"),
    path("areas/<code:code>/", areas.AreaDetailView.as_view(), name="area_detail"),
    path("areas/<code:code>/children/", areas.area_children, name="area_children"),
    path("areas/<code:code>/new/", areas.area_create, name="area_create"),
    path("areas/<code:code>/edit/", areas.AreaEditView.as_view(), name="area_edit"),
    path("areas/<code:code>/move/", areas.area_move, name="area_move"),
    path("areas/<code:code>/delete/", areas.AreaDeleteView.as_view(), name="area_delete"),
    path("areas/<code:code>/export/", areas.area_export, name="area_export"),
    path("roles/new/", roles.role_create, name="role_create"),
    path("users/", users.user_list, name="user_list"),
    path("users/new/", users.user_create, name="user_create"),
    path("users/<int:pk>/", users.user_detail, name="user_detail"),
    path("users/<int:pk>/password/", users.user_password, name="user_password"),
    path("users/<int:pk>/active/", users.user_active, name="user_active"),
    path("roles/<int:pk>/delete/", roles.role_delete, name="role_delete"),
]
urlpatterns += DepartmentPages.urls("departments")
