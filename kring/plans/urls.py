"""Conference and plan pages; each part has its own views module."""

from django.urls import include, path

app_name = "plans"
urlpatterns = [
    path("", include("kring.plans.conference.urls")),
    path("", include("kring.plans.writing.urls")),
    path("", include("kring.plans.distribution.urls")),
    path("", include("kring.plans.aftercare.urls")),
]
