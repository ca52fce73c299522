from . import views_secretaries, views_venues, views_workers

app_name = "workforce"
urlpatterns = [
    # each part's pages: *(pattern for prefix, pages in views_<part>.PAGES for pattern in pages.urls(prefix))
    # community workers (workforce/views_workers.py)
    *(pattern for prefix, pages in views_workers.PAGES for pattern in pages.urls(prefix)),
    *views_workers.urlpatterns,
    # secretary projects, 述职评议, street and lane chiefs (workforce/views_secretaries.py)
    *(pattern for prefix, pages in views_secretaries.PAGES for pattern in pages.urls(prefix)),
    *views_secretaries.urlpatterns,
    # service venues and demonstration sites (workforce/views_venues.py)
    *(pattern for prefix, pages in views_venues.PAGES for pattern in pages.urls(prefix)),
    *views_venues.urlpatterns,
]
