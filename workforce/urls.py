app_name = "workforce"
urlpatterns = [
    # each part's pages: *(pattern for prefix, pages in views_<part>.PAGES for pattern in pages.urls(prefix))
]
