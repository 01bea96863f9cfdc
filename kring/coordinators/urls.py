from django.urls import path

from kring.coordinators import profile_views, views

app_name = "coordinators"
urlpatterns = [
    # The coordinator's own pages.
    path("aanbiedingen/", views.my_offers, name="offers"),
    path("aanbiedingen/<int:pk>/accepteren/", views.offer_accept, name="offer_accept"),
    path("aanbiedingen/<int:pk>/afwijzen/", views.offer_decline, name="offer_decline"),
    path("mijn-profiel/", profile_views.my_profile, name="my_profile"),
    path(
        "mijn-profiel/afwezig/<int:pk>/verwijderen/",
        profile_views.unavailability_delete,
        name="unavailability_delete",
    ),
    # The manager's pool and matching.
    path("pool/", profile_views.pool, name="pool"),
    path("pool/<int:pk>/", profile_views.profile_edit, name="profile_edit"),
    path("trajecten/<int:case_pk>/aanbieden/", views.offer_make, name="offer_make"),
    path("batch/", views.batch, name="batch"),
]
