from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .selectors import SecondFactor
from .sessions import SEEN_KEY, SIGNED_IN_KEY, now, second_factor_due

# The activity time is written at most once a minute: most requests change no session row.
SEEN_RESOLUTION = 60


class IdleSessionMiddleware:
    """Sign a user out after `SESSION_IDLE_TIMEOUT` seconds without a request, or
    `SESSION_COOKIE_AGE` seconds after sign-in, with a message on the login page.

    The request then goes on as anonymous (a page asks for login, the API answers 401).
    `request.session_idle_remaining` tells the page's warning (static/js/session-timeout.js)
    how many seconds are left."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    def _check(self, request):
        session, moment = request.session, now()
        seen = session.get(SEEN_KEY)
        signed_in = session.get(SIGNED_IN_KEY)
        if seen is None or signed_in is None:  # a session from before this rule
            session[SEEN_KEY] = session[SIGNED_IN_KEY] = seen = moment
        idle = settings.SESSION_IDLE_TIMEOUT
        if moment - seen > idle:
            logout(request)
            minutes = max(1, idle // 60)
            messages.info(
                request,
                ngettext(
                    "Sesi Anda berakhir karena tidak ada aktivitas selama %(n)d menit. "
                    "Silakan masuk lagi.",
                    "Sesi Anda berakhir karena tidak ada aktivitas selama %(n)d menit. "
                    "Silakan masuk lagi.",
                    minutes,
                )
                % {"n": minutes},
            )
            return
        if moment - signed_in > settings.SESSION_COOKIE_AGE:
            logout(request)
            messages.info(request, _("Sesi Anda sudah terlalu lama. Silakan masuk lagi."))
            return
        if moment - seen >= SEEN_RESOLUTION:
            session[SEEN_KEY] = seen = moment
        request.session_idle_remaining = idle - (moment - seen)


# Pages a user who still owes the second factor may open.
SECOND_FACTOR_OPEN = {
    "login",
    "logout",
    "set_language",
    "second_factor_verify",
    "second_factor_setup",
    "second_factor_backup_codes",
    "session_keepalive",
}


class SecondFactorMiddleware:
    """After the password, a user with an authenticator reaches nothing but the code page,
    and one whose role requires a second factor (`TWO_FACTOR_REQUIRED`) and has none
    reaches nothing but its set-up: not the pages, the admin site or the API by session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            due = second_factor_due(request)
            # Pages shown meanwhile leave out the menus the user cannot use yet.
            request.second_factor_due = due
            if due is not None and not self._open(request):
                return self._refuse(request, due)
        return self.get_response(request)

    @staticmethod
    def _open(request) -> bool:
        try:
            return resolve(request.path_info).url_name in SECOND_FACTOR_OPEN
        except Resolver404:
            return False

    @staticmethod
    def _refuse(request, due):
        if request.path_info.startswith("/api/"):
            return JsonResponse(
                {
                    "detail": _(
                        "Masukkan kode verifikasi dua langkah di situs dulu, atau pakai token API."
                    ),
                    "code": "second_factor_required",
                },
                status=403,
            )
        name = "second_factor_setup" if due == SecondFactor.SETUP else "second_factor_verify"
        target = reverse(name) + "?" + urlencode({"next": request.get_full_path()})
        if request.headers.get("HX-Request") == "true":
            response = redirect(target)
            response["HX-Redirect"] = target
            return response
        return redirect(target)
