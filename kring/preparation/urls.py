"""Preparation pages; each part has its own views module (see README, Architecture)."""

from django.urls import include, path

app_name = "preparation"
urlpatterns = [
    path("", include("kring.preparation.workspace.urls")),
    path("", include("kring.preparation.circle.urls")),
    path("", include("kring.preparation.professionals.urls")),
    path("", include("kring.preparation.logistics.urls")),
]
