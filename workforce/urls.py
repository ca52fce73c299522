from . import views_venues

app_name = "workforce"
urlpatterns = [
    # each part's pages: *(pattern for prefix, pages in views_<part>.PAGES for pattern in pages.urls(prefix))
    # service venues and demonstration sites (workforce/views_venues.py)
    *(pattern for prefix, pages in views_venues.PAGES for pattern in pages.urls(prefix)),
    *views_venues.urlpatterns,
]
