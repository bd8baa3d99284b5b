from django.urls import path

from actionplans.views import plans

app_name = "actionplans"

urlpatterns = [
    path("", plans.plan_list, name="index"),
    path("plans/<slug:slug>/", plans.plan_detail, name="plan_detail"),
    path("summary/", plans.summary, name="summary"),
    path("narrative/<int:pk>/", plans.narrative_report, name="narrative_report"),
]
