from django.urls import path

from kring.coaching import views

app_name = "coaching"
urlpatterns = [
    # The managers' and the office's pages.
    path("coordinatoren/", views.coordinators, name="coordinators"),
    path("coordinatoren/<int:pk>/", views.coordinator, name="coordinator"),
    path("coordinatoren/<int:pk>/notitie/", views.note_add, name="note_add"),
    path("coordinatoren/<int:pk>/vog/", views.vog_record, name="vog_record"),
    path("bijeenkomsten/", views.meetings, name="meetings"),
    path("bijeenkomsten/<int:pk>/", views.meeting, name="meeting"),
    path("bijeenkomsten/<int:pk>/uitnodigen/", views.meeting_invite, name="meeting_invite"),
    path("bijeenkomsten/<int:pk>/aanwezig/", views.meeting_attendance, name="meeting_attendance"),
    path("bijeenkomsten/<int:pk>/verplaatsen/", views.meeting_move, name="meeting_move"),
    path("bijeenkomsten/<int:pk>/afgelasten/", views.meeting_cancel, name="meeting_cancel"),
    # The coordinator's own pages.
    path("mijn-overzicht/", views.my_overview, name="my_overview"),
    path("mijn-overzicht/verklaring/", views.declaration_renew, name="declaration_renew"),
    path("mijn-bijeenkomsten/", views.my_meetings, name="my_meetings"),
    path(
        "mijn-bijeenkomsten/<int:pk>/antwoord/",
        views.invitation_answer,
        name="invitation_answer",
    ),
]
