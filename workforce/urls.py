from . import views_committees, views_secretaries, views_venues, views_workers

app_name = "workforce"
urlpatterns = [
    # community workers (workforce/views_workers.py)
    *(pattern for prefix, pages in views_workers.PAGES for pattern in pages.urls(prefix)),
    *views_workers.urlpatterns,
    # secretary projects, 述职评议, street and lane chiefs (workforce/views_secretaries.py)
    *(pattern for prefix, pages in views_secretaries.PAGES for pattern in pages.urls(prefix)),
    *views_secretaries.urlpatterns,
    # service venues and demonstration sites (workforce/views_venues.py)
    *(pattern for prefix, pages in views_venues.PAGES for pattern in pages.urls(prefix)),
    *views_venues.urlpatterns,
    # the two committees and mentoring (workforce/views_committees.py)
    *(pattern for prefix, pages in views_committees.PAGES for pattern in pages.urls(prefix)),
    *views_committees.urlpatterns,
]
