from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("asesmen/", views.assessment_list, name="list"),
    path("asesmen/sppn/", views.sppn_entry, name="sppn"),
    path("asesmen/kelayakan/", views.eligibility_worklist, name="worklist"),
    path("asesmen/survei/", views.survey_list, name="survey_list"),
    path("asesmen/survei/baru/<int:facility_pk>/", views.survey_create, name="survey_create"),
    path("asesmen/survei/<int:pk>/", views.survey_detail, name="survey_detail"),
    path("asesmen/wbp/<int:pk>/", views.inmate_assessments, name="inmate"),
    path("asesmen/wbp/<int:pk>/daftarkan/", views.recommendation_enrol, name="enrol"),
    path("asesmen/wbp/<int:pk>/hak/<str:kind>/langkah/", views.right_step_done, name="right_step"),
    path("asesmen/<str:kind>/baru/", views.assessment_create, name="create"),
    path("asesmen/<str:kind>/<int:pk>/", views.assessment_detail, name="detail"),
    path("asesmen/<str:kind>/<int:pk>/ubah/", views.assessment_update, name="update"),
    path("asesmen/<str:kind>/<int:pk>/final/", views.assessment_finalise, name="finalise"),
]
