from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("program/", views.programme_list, name="list"),
    path("program/baru/<int:facility_pk>/", views.programme_create, name="create"),
    path("program/<int:pk>/", views.programme_detail, name="detail"),
    path("program/<int:pk>/ubah/", views.programme_update, name="update"),
    path("program/<int:pk>/status/", views.programme_status, name="status"),
    path("program/<int:pk>/jadwal/", views.slot_create, name="slot_create"),
    path("program/<int:pk>/jadwal/<int:slot_pk>/hapus/", views.slot_delete, name="slot_delete"),
    path("program/<int:pk>/buat-sesi/", views.sessions_generate, name="sessions_generate"),
    path("program/<int:pk>/sesi-baru/", views.session_create, name="session_create"),
    path("program/<int:pk>/daftarkan/", views.enrol, name="enrol"),
    path("program/<int:pk>/daftarkan-massal/", views.enrol_bulk, name="enrol_bulk"),
    path("program/<int:pk>/produk/", views.product_create, name="product_create"),
    path("sesi/", views.session_list, name="session_list"),
    path("sesi/hari-ini/", views.sessions_today, name="today"),
    path("sesi/<int:pk>/", views.session_register, name="session_register"),
    path("sesi/<int:pk>/ubah/", views.session_update, name="session_update"),
    path("sesi/<int:pk>/batal/", views.session_cancel, name="session_cancel"),
    path("peserta/<int:pk>/", views.enrolment_detail, name="enrolment_detail"),
    path("peserta/<int:pk>/keluar/", views.enrolment_withdraw, name="enrolment_withdraw"),
    path("peserta/<int:pk>/selesai/", views.enrolment_complete, name="enrolment_complete"),
    path("peserta/<int:pk>/evaluasi/", views.evaluation_record, name="evaluation_record"),
    path("peserta/<int:pk>/sertifikat/", views.certificate_issue, name="certificate_issue"),
    path("sertifikat/<int:pk>/pdf/", views.certificate_download, name="certificate_pdf"),
    path("sertifikat/<int:pk>/cabut/", views.certificate_revoke, name="certificate_revoke"),
    path("verify/<str:code>/", views.verify, name="verify"),
    path("asimilasi/", views.assimilation_list, name="assimilation_list"),
    path("asimilasi/baru/", views.assimilation_create, name="assimilation_create"),
    path("asimilasi/<int:pk>/", views.assimilation_detail, name="assimilation_detail"),
    path("asimilasi/<int:pk>/log/", views.assimilation_log, name="assimilation_log"),
    path("asimilasi/<int:pk>/akhiri/", views.assimilation_end, name="assimilation_end"),
]
