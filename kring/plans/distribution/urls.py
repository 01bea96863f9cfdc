"""The plan document, sending it, and the family's own link (coordinator and public pages)."""

from django.urls import path

from kring.plans.distribution import views

urlpatterns = [
    path("<int:case_pk>/plan.pdf", views.plan_pdf, name="plan_pdf"),
    path("<int:case_pk>/versturen/", views.plan_distribution, name="plan_distribution"),
    path("<int:case_pk>/versturen/verwijzer/", views.referrer_consent, name="referrer_consent"),
    path(
        "<int:case_pk>/versturen/link/<int:participant_pk>/",
        views.family_link_create,
        name="family_link_create",
    ),
    path(
        "<int:case_pk>/versturen/link/<int:link_pk>/intrekken/",
        views.family_link_revoke,
        name="family_link_revoke",
    ),
    path("mijn-plan/<str:token>/", views.family_plan, name="family_plan"),
    path("mijn-plan/<str:token>/plan.pdf", views.family_plan_pdf, name="family_plan_pdf"),
    path(
        "mijn-plan/<str:token>/voortgang/<int:agreement_pk>/",
        views.family_progress,
        name="family_progress",
    ),
]
