from django.urls import path

from actionplans.views import dashboards

app_name = "dashboards"

urlpatterns = [
    path("", dashboards.dashboard, name="index"),
    path("trend/", dashboards.trend, name="trend"),
    path("exceptions/", dashboards.exceptions, name="exceptions"),
    path("outputs/", dashboards.outputs, name="outputs"),
]
