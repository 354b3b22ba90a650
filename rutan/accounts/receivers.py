"""Signal receivers, connected in AccountsConfig.ready()."""

from . import principal
from .sessions import session_begin


def on_user_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        session_begin(request, user)
    # The first page after sign-in reads the user from the cache too.
    principal.load(user.pk)
