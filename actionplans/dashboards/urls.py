from django.urls import path

from actionplans.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard, name="index"),
    path("trend/", views.trend, name="trend"),
    path("exceptions/", views.exceptions, name="exceptions"),
    path("outputs/", views.outputs, name="outputs"),
]
