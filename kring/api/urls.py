from django.urls import path

from kring.api import views

app_name = "koppelingen"
urlpatterns = [
    path("", views.keys_page, name="keys"),
    path("sleutels/<int:pk>/vervangen/", views.rotate, name="rotate"),
    path("sleutels/<int:pk>/intrekken/", views.revoke, name="revoke"),
    path("webhook/", views.webhook, name="webhook"),
    path("webhook/<int:pk>/uitzetten/", views.switch_off_webhook, name="webhook_off"),
    path("berichten/<int:pk>/opnieuw/", views.resend, name="resend"),
]
