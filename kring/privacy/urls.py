from django.urls import path

from kring.privacy import views

app_name = "privacy"

urlpatterns = [
    path("verzoeken/", views.request_list, name="requests"),
    path("verzoeken/<int:pk>/", views.request_detail, name="request_detail"),
    path("verzoeken/<int:pk>/inzage/", views.request_export, name="request_export"),
    path("verzoeken/<int:pk>/verwijderen/", views.request_erase, name="request_erase"),
]
