from django.urls import path

from kring.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("regio/", views.regions, name="regions"),
    path("traject/<int:case_pk>/", views.case, name="case"),
    path("traject/<int:case_pk>/link/<int:pk>/", views.hand_over, name="hand_over"),
    path("v/<str:token>/", views.answer, name="answer"),
]
