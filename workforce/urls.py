from . import views_workers

app_name = "workforce"
urlpatterns = [
    # each part's pages: *(pattern for prefix, pages in views_<part>.PAGES for pattern in pages.urls(prefix))
    # community workers (workforce/views_workers.py)
    *(pattern for prefix, pages in views_workers.PAGES for pattern in pages.urls(prefix)),
    *views_workers.urlpatterns,
]
