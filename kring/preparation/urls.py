"""Preparation pages; each part has its own views module (see README, Architecture)."""

from django.urls import include, path

app_name = "preparation"
urlpatterns = [
    path("", include("kring.preparation.workspace_urls")),
    path("", include("kring.preparation.circle_urls")),
    path("", include("kring.preparation.professional_urls")),
    path("", include("kring.preparation.logistics_urls")),
]
