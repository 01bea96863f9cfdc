from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from kring.accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("", include("kring.intake.urls")),
    path("account/", include("kring.accounts.urls")),
    path("trajecten/", include("kring.cases.urls")),
    path("coordinatoren/", include("kring.coordinators.urls")),
    path("voorbereiding/", include("kring.preparation.urls")),
    path("plan/", include("kring.plans.urls")),
    path("cijfers/", include("kring.stats.urls")),
    path("taal/", set_language, name="set_language"),
    path("beheer/", admin.site.urls),
]
