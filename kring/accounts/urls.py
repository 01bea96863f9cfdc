from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from kring.accounts import second_factor_views
from kring.accounts.forms import EmailAuthenticationForm
from kring.accounts.login import PacedLoginView, ThrottledPasswordResetView

app_name = "accounts"
urlpatterns = [
    path(
        "inloggen/",
        PacedLoginView.as_view(
            template_name="accounts/login.html", authentication_form=EmailAuthenticationForm
        ),
        name="login",
    ),
    path("uitloggen/", auth_views.LogoutView.as_view(), name="logout"),
    path("tweede-stap/", second_factor_views.verify, name="second_factor"),
    path("tweede-stap/instellen/", second_factor_views.enrol, name="second_factor_enrol"),
    path("beveiliging/", second_factor_views.security, name="security"),
    path(
        "wachtwoord-vergeten/",
        ThrottledPasswordResetView.as_view(
            template_name="accounts/password_reset.html",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "wachtwoord-vergeten/verstuurd/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "wachtwoord-herstellen/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "wachtwoord-herstellen/klaar/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
