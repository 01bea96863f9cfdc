from django.urls import include, path

from kring.stats import views

app_name = "stats"
urlpatterns = [
    path("", views.dashboard_page, name="dashboard"),
    path("tabel/<slug:key>.csv", views.table_csv, name="table_csv"),
    path("onderzoek/", include("kring.stats.research_urls")),
]
