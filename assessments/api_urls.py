from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("assessments/psychological", api.PsychologicalViewSet, basename="psychological")
router.register("assessments/literacy", api.LiteracyViewSet, basename="literacy")
router.register("assessments/interest", api.InterestViewSet, basename="interest")
router.register("assessments/behaviour", api.BehaviourViewSet, basename="behaviour")

urlpatterns = [
    path(
        "inmates/<int:pk>/recommendations/",
        api.InmateRecommendationsView.as_view(),
        name="inmate-recommendations",
    ),
    path(
        "inmates/<int:pk>/eligibility/",
        api.InmateEligibilityView.as_view(),
        name="inmate-eligibility",
    ),
    path(
        "inmates/<int:pk>/rights/<str:kind>/steps/",
        api.InmateRightStepView.as_view(),
        name="inmate-right-step",
    ),
    *router.urls,
]
