"""What a signed-in session remembers about its sign-in: when it began, when it was last
used and whether the second factor was given (django-otp's session key)."""

import time

import django_otp
from django_otp import DEVICE_ID_SESSION_KEY

from .selectors import SecondFactor, second_factor_state

STATE_KEY = "rutan_second_factor"
SEEN_KEY = "rutan_seen_at"
SIGNED_IN_KEY = "rutan_signed_in_at"


def now() -> int:
    return int(time.time())


def session_begin(request, user) -> None:
    """On sign-in: the second factor is owed again, the idle clock starts."""
    session = request.session
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session[STATE_KEY] = second_factor_state(user)
    session[SIGNED_IN_KEY] = session[SEEN_KEY] = now()


def second_factor_due(request) -> str | None:
    """SETUP or VERIFY while the signed-in user still owes the second factor, else None.

    Decided at sign-in and kept in the session, so a request costs no query."""
    session = request.session
    if DEVICE_ID_SESSION_KEY in session:
        return None
    state = session.get(STATE_KEY)
    if state is None:  # a session from before the second factor existed
        state = session[STATE_KEY] = second_factor_state(request.user)
    return None if state == SecondFactor.OPTIONAL else state


def second_factor_passed(request, device) -> None:
    django_otp.login(request, device)


def second_factor_forget(request) -> None:
    """The user removed their device: this session owes nothing any more."""
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session[STATE_KEY] = second_factor_state(request.user)
