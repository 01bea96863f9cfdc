from django.urls import path

from kring.money import office_views, views

app_name = "money"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("indienen/", views.submit_month, name="submit_month"),
    path("rekening/", views.bank_account, name="bank_account"),
    path("traject/<int:case_pk>/", views.case_money, name="case"),
    path("traject/<int:case_pk>/uren/", views.add_hours, name="add_hours"),
    path("traject/<int:case_pk>/onkosten/", views.add_expense, name="add_expense"),
    path("regel/<int:pk>/verwijderen/", views.delete_line, name="delete_line"),
    path("regel/<int:pk>/bon/", views.receipt, name="receipt"),
    path("beoordelen/", views.review_list, name="review"),
    path("regel/<int:pk>/beoordelen/", views.review_line, name="review_line"),
    path("tarieven/", office_views.rates, name="rates"),
    path("normen/", office_views.set_norm, name="set_norm"),
    path("maanden/", office_views.months, name="months"),
    path("maanden/betalingen.csv", office_views.payments_csv, name="payments_csv"),
    path("overzichten/<int:pk>.pdf", office_views.statement_pdf, name="statement_pdf"),
    path("financiers/", office_views.contracts, name="contracts"),
    path("financiers/<int:pk>/beeindigen/", office_views.end_contract, name="end_contract"),
    path("facturen/", office_views.invoices, name="invoices"),
    path("facturen/<int:pk>.pdf", office_views.invoice_pdf, name="invoice_pdf"),
    path("facturen/<int:pk>/crediteren/", office_views.credit, name="credit"),
]
