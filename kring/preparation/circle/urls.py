"""The circle (kring) and its diagram."""

from django.urls import path

from kring.preparation.circle import views

urlpatterns = [
    path("<int:case_pk>/kring/", views.circle, name="circle"),
    path("<int:case_pk>/kring/toevoegen/", views.participant_add, name="participant_add"),
    path("<int:case_pk>/kring.svg", views.diagram, name="diagram"),
    path("<int:case_pk>/kring/afspraak/", views.separation_add, name="separation_add"),
    path("<int:case_pk>/kring/<int:pk>/", views.participant_edit, name="participant_edit"),
    path("<int:case_pk>/kring/<int:pk>/notitie/", views.participant_note, name="participant_note"),
    path(
        "<int:case_pk>/kring/<int:pk>/verwijderen/",
        views.participant_remove,
        name="participant_remove",
    ),
]
