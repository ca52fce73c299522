from . import views_funding

app_name = "funds"
urlpatterns = [
    # demands, resources, claims and projects (funds/views_projects.py)
    # allocations, expenditures and the public notice (funds/views_funding.py)
    *(pattern for prefix, pages in views_funding.PAGES for pattern in pages.urls(prefix)),
    *views_funding.urlpatterns,
]
