from django.urls import path

from .views import areas, imports, personal_data, roles

app_name = "orgs"
urlpatterns = [
    path("areas/", areas.AreaListView.as_view(), name="area_list"),
    path("areas/search/", areas.area_search, name="area_search"),
    path("areas/<code:code>/", areas.area_detail, name="area_detail"),
    path("areas/<code:code>/new/", areas.area_create, name="area_create"),
    path("areas/<code:code>/edit/", areas.AreaEditView.as_view(), name="area_edit"),
    path("areas/<code:code>/move/", areas.area_move, name="area_move"),
    path("areas/<code:code>/delete/", areas.AreaDeleteView.as_view(), name="area_delete"),
    path("areas/<code:code>/export/", areas.area_export, name="area_export"),
    path("roles/new/", roles.role_create, name="role_create"),
    path("roles/<int:pk>/delete/", roles.role_delete, name="role_delete"),
    path("imports/", imports.ImportListView.as_view(), name="import_list"),
    path("imports/<str:kind>/new/", imports.import_new, name="import_new"),
    path("imports/<str:kind>/template/", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/cancel/", imports.import_cancel, name="import_cancel"),
    path("imports/<int:pk>/rejected.xlsx", imports.import_rejected, name="import_rejected"),
    # <int:pk>: an id that is not a number is a plain 404; one past a bigint finds no row (404 too).
    path(
        "personal-data/<str:model>/<int:pk>/<str:field>/",
        personal_data.reveal_personal_data,
        name="reveal_personal_data",
    ),
]
