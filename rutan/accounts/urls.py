from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import views

urlpatterns = [
    path("masuk/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path(
        "kata-sandi/",
        auth_views.PasswordChangeView.as_view(success_url=reverse_lazy("password_change_done")),
        name="password_change",
    ),
    path(
        "kata-sandi/selesai/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("kata-sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "kata-sandi/lupa/terkirim/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "kata-sandi/atur/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "kata-sandi/atur/selesai/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("dua-langkah/", views.second_factor_overview, name="second_factor"),
    path("dua-langkah/siapkan/", views.second_factor_setup, name="second_factor_setup"),
    path("dua-langkah/verifikasi/", views.second_factor_verify, name="second_factor_verify"),
    path(
        "dua-langkah/kode-cadangan/",
        views.second_factor_backup_codes,
        name="second_factor_backup_codes",
    ),
    path(
        "dua-langkah/kode-cadangan/baru/",
        views.second_factor_codes_renew,
        name="second_factor_codes_renew",
    ),
    path("dua-langkah/hapus/", views.second_factor_remove, name="second_factor_remove"),
    path("sesi/tetap-masuk/", views.session_keepalive, name="session_keepalive"),
]
