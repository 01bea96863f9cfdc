"""URLs of the manager's intake, included in the intake namespace."""

from django.urls import path

from kring.intake import manager_views as views

urlpatterns = [
    path("aanvragen/invoeren/", views.request_enter, name="request_enter"),
    path("aanvragen/<int:case_pk>/wijzigen/", views.request_change, name="request_change"),
    path("gesprekken/", views.talk_list, name="talk_list"),
    path("gesprekken/nieuw/", views.talk_create, name="talk_create"),
]
