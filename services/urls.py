from . import views

app_name = "services"
urlpatterns = [
    *(pattern for prefix, pages in views.PAGES for pattern in pages.urls(prefix)),
    *views.urlpatterns,
]
