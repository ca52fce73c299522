from . import views_funding, views_projects

app_name = "funds"
urlpatterns = [
    # demands, resources, claims and projects (funds/views_projects.py)
    *(pattern for prefix, pages in views_projects.PAGES for pattern in pages.urls(prefix)),
    *views_projects.urlpatterns,
    # allocations, expenditures and the public notice (funds/views_funding.py)
    *(pattern for prefix, pages in views_funding.PAGES for pattern in pages.urls(prefix)),
    *views_funding.urlpatterns,
]
