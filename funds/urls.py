app_name = "funds"
urlpatterns = [
    # demands, resources, claims and projects (funds/views_projects.py)
    # allocations, expenditures and the public notice (funds/views_funding.py)
]
