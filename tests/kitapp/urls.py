from .declarations import ServicePointPages

app_name = "kitapp"
urlpatterns = ServicePointPages.urls("kit/points")
