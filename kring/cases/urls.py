from django.urls import path

from kring.cases import trail, views

app_name = "cases"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/besluit/<slug:to>/", views.case_decide, name="decide"),
    path("<int:pk>/eerste-contact/", views.case_first_contact, name="first_contact"),
    path("<int:pk>/regio/", views.case_route, name="route"),
    path("<int:case_pk>/logboek/", trail.case_trail, name="trail"),
]
