from django.urls import path

from kring.intake import manager_urls, views

app_name = "intake"
urlpatterns = [
    path("aanvraag/", views.public_request, name="public_request"),
    path("aanvraag/ontvangen/", views.received, name="received"),
    path("privacy/", views.privacy, name="privacy"),
    path("verwijzingen/", views.my_referrals, name="my_referrals"),
    path("verwijzingen/nieuw/", views.referral_create, name="referral_create"),
    *manager_urls.urlpatterns,
]
