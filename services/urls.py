from . import views, views_requests, views_whistles

app_name = "services"
urlpatterns = [
    *(pattern for prefix, pages in views.PAGES for pattern in pages.urls(prefix)),
    *views.urlpatterns,
    # 吹哨报到
    *(pattern for prefix, pages in views_whistles.PAGES for pattern in pages.urls(prefix)),
    *views_whistles.urlpatterns,
    # Residents' requests (诉求)
    *(pattern for prefix, pages in views_requests.PAGES for pattern in pages.urls(prefix)),
    *views_requests.urlpatterns,
]
