"""Professionals: the coordinator's list and invitations, and the professional's own part."""

from django.urls import path

from kring.preparation.professionals import views

urlpatterns = [
    path("<int:case_pk>/professionals/", views.professionals, name="professionals"),
    path(
        "<int:case_pk>/professionals/<int:pk>/opnieuw-sturen/",
        views.professional_resend,
        name="professional_resend",
    ),
    path("professional/<str:token>/", views.professional_join, name="professional_join"),
    path("mijn-inbreng/", views.my_involvements, name="my_involvements"),
    path(
        "mijn-inbreng/uitnodiging/<int:pk>/aannemen/",
        views.professional_accept,
        name="professional_accept",
    ),
    path("mijn-inbreng/<int:pk>/", views.professional_part, name="professional_part"),
    path(
        "mijn-inbreng/<int:pk>/voorwaarden/",
        views.professional_condition_add,
        name="professional_condition_add",
    ),
    path(
        "mijn-inbreng/<int:pk>/voorwaarden/<int:condition_pk>/verwijderen/",
        views.professional_condition_remove,
        name="professional_condition_remove",
    ),
]
