from django.urls import path

from neighbourhoods import views

app_name = "neighbourhoods"

urlpatterns = [
    path("", views.index, name="index"),
    path("map/", views.city_map, name="map"),
    path("lsoas/", views.lsoa_list, name="lsoa_list"),
    path("lsoas/<str:code>/", views.lsoa_detail, name="lsoa_detail"),
    path("wards/<slug:slug>/", views.ward_detail, name="ward_detail"),
    path("committees/<slug:slug>/", views.committee_detail, name="committee_detail"),
    path("priority/<slug:slug>/", views.priority_detail, name="priority_detail"),
    path("priority/<slug:slug>/lsoas/", views.priority_lsoas, name="priority_lsoas"),
    path("indicators/", views.indicator_list, name="indicator_list"),
    path("indicators/<slug:slug>/", views.indicator_detail, name="indicator_detail"),
]
