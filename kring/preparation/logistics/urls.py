"""Practical arrangements, the date poll (with its personal links), invitations."""

from django.urls import path

from kring.preparation.logistics import views

urlpatterns = [
    path("<int:case_pk>/praktisch/", views.logistics, name="logistics"),
    path("<int:case_pk>/praktisch/tolk/", views.interpreter_book, name="interpreter_book"),
    path("<int:case_pk>/datumprikker/", views.poll, name="poll"),
    path(
        "<int:case_pk>/datumprikker/<int:slot_pk>/weghalen/",
        views.poll_remove_slot,
        name="poll_remove_slot",
    ),
    path("<int:case_pk>/datumprikker/<int:slot_pk>/kiezen/", views.poll_choose, name="poll_choose"),
    path("<int:case_pk>/datum-afzeggen/", views.give_up_date, name="give_up_date"),
    path("<int:case_pk>/datumprikker/links/", views.poll_send_links, name="poll_send_links"),
    path(
        "<int:case_pk>/datumprikker/links/<int:participant_pk>/",
        views.poll_link,
        name="poll_link",
    ),
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
    path(
        "<int:case_pk>/uitnodiging/<int:participant_pk>/brief-verstuurd/",
        views.invitation_letter_sent,
        name="invitation_letter_sent",
    ),
]
