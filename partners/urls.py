from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("mitra/", views.partner_list, name="list"),
    path("mitra/<int:pk>/", views.partner_detail, name="detail"),
    path("mitra/perjanjian/", views.agreement_list, name="agreement_list"),
    path("mitra/perjanjian/<int:pk>/", views.agreement_detail, name="agreement_detail"),
    path(
        "mitra/perjanjian/<int:pk>/dokumen/",
        views.agreement_document,
        name="agreement_document",
    ),
    path("mitra/jaminan/<int:pk>/surat/", views.guarantee_letter, name="guarantee_letter"),
    path(
        "mitra/jaminan/wbp/<int:inmate_pk>/baru/", views.guarantee_create, name="guarantee_create"
    ),
]
