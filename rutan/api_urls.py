from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from rutan.facilities.api import FacilityViewSet
from rutan.inmates.api import InmateViewSet

router = DefaultRouter()
router.register("facilities", FacilityViewSet, basename="facility")
router.register("inmates", InmateViewSet, basename="inmate")

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include(router.urls)),
]
