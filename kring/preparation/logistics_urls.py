"""Practical arrangements, the date poll (with its personal links), invitations."""

from django.urls import path

from kring.preparation import logistics_views as views

urlpatterns = [
    path("<int:case_pk>/praktisch/", views.logistics, name="logistics"),
    path("<int:case_pk>/datumprikker/", views.poll, name="poll"),
    path(
        "<int:case_pk>/datumprikker/<int:slot_pk>/weghalen/",
        views.poll_remove_slot,
        name="poll_remove_slot",
    ),
    path("<int:case_pk>/datumprikker/<int:slot_pk>/kiezen/", views.poll_choose, name="poll_choose"),
    path("<int:case_pk>/datumprikker/links/", views.poll_send_links, name="poll_send_links"),
    path("prikker/<str:token>/", views.poll_answer, name="poll_answer"),
    path("<int:case_pk>/uitnodigingen/", views.invitations, name="invitations"),
    path(
        "<int:case_pk>/uitnodigingen/versturen/",
        views.invitations_send,
        name="invitations_send",
    ),
    path(
        "<int:case_pk>/uitnodiging/<int:participant_pk>/brief.pdf",
        views.invitation_letter,
        name="invitation_letter",
    ),
]
