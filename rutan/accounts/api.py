from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.settings import api_settings


class TokenObtainView(ObtainAuthToken):
    """Exchange a username and password for the user's API token
    (`Authorization: Token …`)."""

    # DRF's view is not throttled; password guessing is limited per address like any request.
    throttle_classes = api_settings.DEFAULT_THROTTLE_CLASSES
