from django.urls import path

from . import views

app_name = "inmates"

urlpatterns = [
    path("wbp/", views.inmate_list, name="list"),
    path("wbp/baru/<int:facility_pk>/", views.inmate_create, name="create"),
    path("wbp/<int:pk>/", views.inmate_detail, name="detail"),
    path("wbp/<int:pk>/ubah/", views.inmate_update, name="update"),
    path("wbp/<int:pk>/pindah-blok/", views.inmate_move_block, name="move_block"),
    path("wbp/<int:pk>/pindah-upt/", views.inmate_transfer, name="transfer"),
    path("wbp/<int:pk>/bebas/", views.inmate_release, name="release"),
    path("wbp/<int:pk>/ekspor-data-subjek/", views.inmate_subject_export, name="subject_export"),
    path("wbp/peringatan-penahanan/", views.custody_alerts, name="custody_alerts"),
    path("wbp/<int:pk>/penahanan/", views.detention_add, name="detention_add"),
    path("wbp/<int:pk>/putusan/", views.verdict_record, name="verdict_record"),
    path("wbp/<int:pk>/remisi/", views.remisi_create, name="remisi_create"),
    path(
        "wbp/<int:pk>/penahanan/<int:entry_pk>/batal/",
        views.detention_remove,
        name="detention_remove",
    ),
    path("wbp/<int:pk>/remisi/<int:entry_pk>/batal/", views.remisi_remove, name="remisi_remove"),
    path("wbp/<int:pk>/putusan/batal/", views.verdict_remove, name="verdict_remove"),
    path("wbp/<int:pk>/register-f/", views.disciplinary_create, name="disciplinary_create"),
    path(
        "wbp/<int:pk>/register-f/<int:entry_pk>/tutup/",
        views.disciplinary_close,
        name="disciplinary_close",
    ),
    path("upt/", views.facility_index, name="facility_list"),
    path("upt/<int:pk>/", views.facility_detail, name="facility_detail"),
]
