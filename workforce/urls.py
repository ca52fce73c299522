from . import views_committees

app_name = "workforce"
urlpatterns = [
    # each part's pages: *(pattern for prefix, pages in views_<part>.PAGES for pattern in pages.urls(prefix))
    # the two committees and mentoring (workforce/views_committees.py)
    *(pattern for prefix, pages in views_committees.PAGES for pattern in pages.urls(prefix)),
    *views_committees.urlpatterns,
]
