from django.urls import path

from kring.translations import views

app_name = "translations"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("<str:language>/nakijken/", views.review, name="review"),
]
