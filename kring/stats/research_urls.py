from django.urls import path

from kring.stats import research_views as views

app_name = "research"
urlpatterns = [
    path("", views.index, name="index"),
    path("downloaden/", views.export, name="export"),
    path("eerdere/", views.history, name="history"),
]
