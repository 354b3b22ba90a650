from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("dasbor/upt/<int:pk>/", views.facility_panel, name="facility_panel"),
    path("dasbor/upt/", views.regional_table, name="regional_table"),
]
