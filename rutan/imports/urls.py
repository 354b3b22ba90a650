from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("impor/upt/<int:facility_pk>/", views.import_index, name="index"),
    path("impor/<slug:kind>/upt/<int:facility_pk>/", views.import_start, name="start"),
    path(
        "impor/<slug:kind>/templat.csv", views.import_template, {"fmt": "csv"}, name="template_csv"
    ),
    path(
        "impor/<slug:kind>/templat.xlsx",
        views.import_template,
        {"fmt": "xlsx"},
        name="template_xlsx",
    ),
    path("impor/<int:pk>/", views.import_detail, name="detail"),
    path("impor/<int:pk>/kemajuan/", views.import_progress, name="progress"),
    path("impor/<int:pk>/petakan/", views.import_map, name="map"),
    path("impor/<int:pk>/simpan/", views.import_confirm, name="confirm"),
]
