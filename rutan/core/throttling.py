"""Throttles of the API besides DRF's per user and per anonymous address (settings name them;
this module imports no view, so DRF can load it while it builds APIView)."""

from knox.models import AuthToken
from rest_framework import throttling


class TokenRateThrottle(throttling.SimpleRateThrottle):
    """Limits the requests made with one API token (`API_THROTTLE_TOKEN`), on top of the
    user's limit: a script's token cannot use up its owner's allowance for the pages."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, AuthToken):
            return None
        # The digest names the token without its secret.
        return self.cache_format % {"scope": self.scope, "ident": request.auth.digest}
