from django.urls import path

from boards import views

app_name = "boards"

urlpatterns = [
    path("", views.board_list, name="board_list"),
    path("structure/", views.structure, name="structure"),
    path("<slug:slug>/", views.board_detail, name="board_detail"),
    path("<slug:slug>/terms/compare/", views.terms_compare, name="terms_compare"),
    path("<slug:slug>/terms/<int:version>/", views.terms_detail, name="terms_detail"),
]
