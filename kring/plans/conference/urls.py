"""URLs for recording the conference and for the other endings of a course."""

from django.urls import path

from kring.plans.conference import views

urlpatterns = [
    path("<int:case_pk>/conferentie/", views.conference_record, name="conference_record"),
    path("<int:case_pk>/einde/", views.case_ending, name="case_ending"),
]
