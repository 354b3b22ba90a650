from django.urls import path

from . import followup_views, views

app_name = "interns"

urlpatterns = [
    path("magang/", views.home, name="home"),
    path("magang/hadir/", views.attendance, name="attendance"),
    path("magang/kegiatan/baru/", views.log_create, name="log_create"),
    path("magang/kegiatan/simpan-otomatis/", views.log_autosave, name="log_autosave"),
    path("magang/kegiatan/<int:pk>/", views.log_detail, name="log_detail"),
    path("magang/kegiatan/<int:pk>/ubah/", views.log_edit, name="log_edit"),
    path("magang/kegiatan/<int:pk>/ajukan/", views.log_submit, name="log_submit"),
    path("magang/kegiatan/<int:pk>/tinjau/", views.log_review, name="log_review"),
    path("magang/foto/<int:pk>/", views.photo, name="photo"),
    path("magang/tinjauan/", views.review_queue, name="review_queue"),
    path("magang/peserta/", views.intern_list, name="intern_list"),
    path("magang/peserta/<int:pk>/", views.intern_detail, name="intern_detail"),
    path(
        "magang/peserta/<int:pk>/kirim-tautan/",
        views.intern_resend_invite,
        name="intern_resend_invite",
    ),
    path(
        "magang/peserta/<int:pk>/evaluasi/<int:year>-<int:month>/",
        views.evaluation,
        name="evaluation",
    ),
    path(
        "magang/peserta/<int:pk>/logbook.pdf",
        views.logbook_export,
        {"fmt": "pdf"},
        name="logbook_pdf",
    ),
    path(
        "magang/peserta/<int:pk>/logbook.xlsx",
        views.logbook_export,
        {"fmt": "xlsx"},
        name="logbook_xlsx",
    ),
    path("magang/angkatan/<int:batch_pk>/peserta-baru/", views.intern_create, name="intern_create"),
    path("magang/angkatan/<int:pk>/ringkasan/", views.batch_summary, name="batch_summary"),
    path(
        "magang/atur-sandi/<uidb64>/<token>/",
        views.SetPasswordView.as_view(),
        name="set_password",
    ),
    path(
        "magang/atur-sandi/selesai/",
        views.SetPasswordDoneView.as_view(),
        name="set_password_done",
    ),
    path("tindak-lanjut/", followup_views.followup_list, name="followup_list"),
    path("tindak-lanjut/<int:pk>/", followup_views.followup_detail, name="followup_detail"),
]
