from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .roles import Perm
from .scoping import user_can

# (label, url name, permission or permissions all needed); later apps add their entries here.
NAVIGATION = [
    (_("Beranda"), "dashboard:home", None),
    (_("Register WBP"), "inmates:list", Perm.INMATE_VIEW),
    # The facilities' page is about their population: offered to those who read the register
    # (an intern or a mentor may open it, but has no use for it in the menu).
    (pgettext_lazy("menu", "UPT"), "inmates:facility_list", (Perm.FACILITY_VIEW, Perm.INMATE_VIEW)),
    (_("Program"), "programmes:list", Perm.PROGRAMME_VIEW),
    (_("Sesi hari ini"), "programmes:today", Perm.ATTENDANCE_RECORD),
    (_("Magang saya"), "interns:home", Perm.INTERN_LOG_OWN),
    (pgettext_lazy("menu", "Magang"), "interns:intern_list", Perm.INTERN_VIEW),
    (_("Tindak lanjut"), "interns:followup_list", Perm.FOLLOWUP_MANAGE),
    (_("Asesmen"), "assessments:list", Perm.ASSESSMENT_VIEW),
    (_("Mitra"), "partners:list", Perm.PARTNER_VIEW),
    (_("Laporan"), "reports:list", Perm.REPORT_VIEW),
    (_("Log audit"), "audit:list", Perm.AUDIT_VIEW),
]


def navigation(request):
    """The menu of what the user may open; built once per request (a page that renders panels
    with the request would otherwise build it for each)."""
    built = getattr(request, "_rutan_navigation", None)
    if built is None:
        built = request._rutan_navigation = _navigation(request)
    return built


def _navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, perm in NAVIGATION:
        needed = () if perm is None else perm if isinstance(perm, tuple) else (perm,)
        if all(user_can(user, p) for p in needed):
            url = reverse(url_name)
            items.append(
                {
                    "label": label,
                    "url": url,
                    "active": request.path == url or (url != "/" and request.path.startswith(url)),
                }
            )
    return {
        "nav_items": items,
        "can_use_admin": user.is_staff and (user.is_superuser or user_can(user, Perm.ADMIN_SITE)),
    }
