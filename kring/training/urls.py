from django.urls import path

from kring.training import views

app_name = "training"
urlpatterns = [
    path("coordinator-worden/", views.apply, name="apply"),
    path("coordinator-worden/ontvangen/", views.applied, name="applied"),
    path("verslag/<str:link>/", views.self_report, name="self_report"),
    path("aanmeldingen/", views.applications, name="applications"),
    path("aanmeldingen/<int:pk>/", views.application_detail, name="application"),
    path("aanmeldingen/<int:pk>/cv/", views.cv, name="cv"),
    path("aanmeldingen/<int:pk>/deelnemen/", views.take_part, name="take_part"),
    path("aanmeldingen/<int:pk>/besluit/", views.decide, name="decide"),
    path("aanmeldingen/<int:pk>/stoppen/", views.withdraw, name="withdraw"),
    path("aanmeldingen/<int:pk>/evaluatie/", views.evaluate, name="evaluate"),
    path("aanmeldingen/<int:pk>/certificaat/", views.certify, name="certify"),
    path("aanmeldingen/<int:pk>/certificaat.pdf", views.certificate_pdf, name="certificate_pdf"),
    path("bijeenkomsten/", views.sessions, name="sessions"),
    path("bijeenkomsten/<int:pk>/", views.session_detail, name="session"),
    path("bijeenkomsten/<int:pk>/uitnodigen/", views.session_invite, name="session_invite"),
    path(
        "bijeenkomsten/<int:pk>/aanwezigheid/",
        views.session_attendance,
        name="session_attendance",
    ),
    path(
        "bijeenkomsten/<int:pk>/aanwezigheid/corrigeren/",
        views.session_attendance_correct,
        name="session_attendance_correct",
    ),
    path("bijeenkomsten/<int:pk>/verplaatsen/", views.session_move, name="session_move"),
    path("bijeenkomsten/<int:pk>/afgelasten/", views.session_cancel, name="session_cancel"),
    path("mijn-opleiding/", views.mine, name="mine"),
    path("mijn-opleiding/certificaat.pdf", views.my_certificate, name="my_certificate"),
    path("coordinatoren/<int:pk>/pauzeren/", views.coordinator_pause, name="coordinator_pause"),
    path("coordinatoren/<int:pk>/hervatten/", views.coordinator_resume, name="coordinator_resume"),
    path("coordinatoren/<int:pk>/stoppen/", views.coordinator_stop, name="coordinator_stop"),
]
