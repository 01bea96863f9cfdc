"""URLs of the workspace, the question, the coordinator's cases and the overdue list."""

from django.urls import path

from kring.preparation.workspace import views

urlpatterns = [
    path("mijn-trajecten/", views.my_cases, name="my_cases"),
    path("te-laat/", views.overdue, name="overdue"),
    path("<int:case_pk>/", views.workspace, name="workspace"),
    path("<int:case_pk>/taak/", views.task_toggle, name="task_toggle"),
    path("<int:case_pk>/eerste-contact/", views.first_contact, name="first_contact"),
    path("<int:case_pk>/eerste-bezoek/", views.first_visit, name="first_visit"),
    path("<int:case_pk>/starten/", views.start, name="start_preparation"),
    path("<int:case_pk>/pauze/", views.pause, name="pause"),
    path("<int:case_pk>/hervatten/", views.resume, name="resume"),
    path("<int:case_pk>/streefdatum/", views.conference_target, name="conference_target"),
    path("<int:case_pk>/vraag/", views.question, name="question"),
]
