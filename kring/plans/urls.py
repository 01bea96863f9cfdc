"""Conference and plan pages; each part has its own views module."""

from django.urls import include, path

app_name = "plans"
urlpatterns = [
    path("", include("kring.plans.conference_urls")),
    path("", include("kring.plans.plan_urls")),
    path("", include("kring.plans.document_urls")),
    path("", include("kring.plans.aftercare_urls")),
]
