from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("tugas/", views.job_list, name="jobs"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/kemajuan/", views.report_progress, name="progress"),
    path("<int:pk>/ulang/", views.report_retry, name="retry"),
    path("<int:pk>/unduh/", views.report_download, name="download"),
]
