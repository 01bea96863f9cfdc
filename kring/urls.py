from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from kring.accounts.views import home
from kring.api.api import api
from kring.lib import health
from kring.lib.favicon import favicon
from kring.lib.security import keep_alive

urlpatterns = [
    path("", home, name="home"),
    path("", include("kring.intake.urls")),
    path("account/", include("kring.accounts.urls")),
    path("account/passkeys/", include("django_otp_webauthn.urls", namespace="otp_webauthn")),
    path("trajecten/", include("kring.cases.urls")),
    path("coordinatoren/", include("kring.coordinators.urls")),
    path("voorbereiding/", include("kring.preparation.urls")),
    path("plan/", include("kring.plans.urls")),
    path("cijfers/", include("kring.stats.urls")),
    path("privacy/", include("kring.privacy.urls")),
    path("geld/", include("kring.money.urls")),
    path("opleiding/", include("kring.training.urls")),
    path("begeleiding/", include("kring.coaching.urls")),
    path("evaluatie/", include("kring.evaluation.urls")),
    path("api/v1/", api.urls),
    path("koppelingen/", include("kring.api.urls")),
    path("taal/", set_language, name="set_language"),
    path("vertalen/", include("kring.translations.urls")),
    # django-rosetta: edit the family's catalogues (translators and the office, after the
    # second factor; ROSETTA_ACCESS_CONTROL_FUNCTION).
    path("vertalen/bewerken/", include("rosetta.urls")),
    path("sessie/actief/", keep_alive, name="keep_alive"),
    path("beheer/", admin.site.urls),
    path("favicon.ico", favicon, name="favicon"),
    path("health/live/", health.live, name="health_live"),
    path("health/ready/", health.ready, name="health_ready"),
    path("health/queue/", health.queue, name="health_queue"),
]

# Any exception no view handled; the database gone answers a Dutch 503 (kring/lib/unavailable.py).
handler500 = "kring.lib.unavailable.server_error"
