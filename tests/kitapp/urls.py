from .declarations import ServicePointPages
from .states import RepairPages

app_name = "kitapp"
urlpatterns = ServicePointPages.urls("kit/points") + RepairPages.urls("kit/repairs")
