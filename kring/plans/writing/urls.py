"""The plan editor, its versions, finalising, and the professionals' acceptance."""

from django.urls import path

from kring.plans.writing import views

urlpatterns = [
    path("<int:case_pk>/", views.plan_edit, name="plan_edit"),
    path("<int:case_pk>/afspraken/nieuw/", views.agreement_add, name="agreement_add"),
    path("<int:case_pk>/afspraken/<int:pk>/", views.agreement_edit, name="agreement_edit"),
    path(
        "<int:case_pk>/afspraken/<int:pk>/verwijderen/",
        views.agreement_delete,
        name="agreement_delete",
    ),
    path("<int:case_pk>/vaststellen/", views.plan_finalise, name="plan_finalise"),
    path("<int:case_pk>/versies/", views.plan_history, name="plan_history"),
    path(
        "<int:case_pk>/toetsing/<int:involvement_pk>/op-de-conferentie/",
        views.acceptance_at_conference,
        name="acceptance_at_conference",
    ),
    path("toetsing/<int:involvement_pk>/", views.plan_acceptance, name="plan_acceptance"),
]
