from django.urls import path

from .views import exports, home, imports, notices, operations, personal_data, pick, search

app_name = "core"
urlpatterns = [
    path("search/", search.search, name="search"),
    path("operations/", operations.operations_page, name="operations"),
    path("home/widgets/<str:name>/", home.home_widget, name="home_widget"),
    path("pick/<str:model>/", pick.pick, name="pick"),
    path("imports/", imports.ImportListView.as_view(), name="import_list"),
    path("imports/<str:kind>/new/", imports.import_new, name="import_new"),
    path("imports/<str:kind>/template/", imports.import_template, name="import_template"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/cancel/", imports.import_cancel, name="import_cancel"),
    path("imports/<int:pk>/rejected.xlsx", imports.import_rejected, name="import_rejected"),
    path("imports/<int:pk>/changes.xlsx", imports.import_changes, name="import_changes"),
    path("notices/", notices.NoticeListView.as_view(), name="notice_list"),
    path("notices/<int:pk>/", notices.notice_open, name="notice_open"),
    path("notices/read-all/", notices.notice_read_all, name="notice_read_all"),
    path("exports/<int:pk>/", exports.export_detail, name="export_detail"),
    path("exports/<int:pk>/progress/", exports.export_progress, name="export_progress"),
    path("exports/<int:pk>/download/", exports.export_download, name="export_download"),
    # <int:pk>: an id that is not a number is a plain 404; one past a bigint finds no row (404 too).
    path(
        "personal-data/<str:model>/<int:pk>/<str:field>/",
        personal_data.reveal_personal_data,
        name="reveal_personal_data",
    ),
]
