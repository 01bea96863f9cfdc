"""URLs for the follow-up, the implementation registration and the list of those due."""

from django.urls import path

from kring.plans.aftercare import views

urlpatterns = [
    path("<int:case_pk>/nazorg/", views.follow_up, name="follow_up"),
    path("<int:case_pk>/uitvoering/", views.implementation, name="implementation"),
    path(
        "uitvoering-te-registreren/",
        views.implementation_due_list,
        name="implementation_due_list",
    ),
]
