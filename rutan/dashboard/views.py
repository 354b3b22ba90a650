from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from rutan.core.roles import Perm
from rutan.core.scoping import user_can

from . import selectors


def _regional_context(request) -> dict:
    sort = request.GET.get("sort", "name")
    descending = request.GET.get("dir") == "desc"
    return selectors.regional_dashboard(
        user=request.user, sort=sort, descending=descending, kanwil=request.GET.get("kanwil")
    )


@login_required
@require_GET
def home(request):
    """A facility's day for facility staff; one row per facility for Kanwil and directorate."""
    facility = selectors.home_facility(user=request.user, requested=request.GET.get("upt"))
    if facility is not None:
        return render(
            request,
            "dashboard/home_facility.html",
            selectors.facility_dashboard(user=request.user, facility=facility),
        )
    if request.GET.get("upt") or not user_can(request.user, Perm.FACILITY_VIEW):
        if request.GET.get("upt"):
            raise Http404
        return render(request, "dashboard/home_empty.html")
    return render(request, "dashboard/home_regional.html", _regional_context(request))


@login_required
@require_GET
def facility_panel(request, pk):
    """The widgets of one facility alone, for htmx to refresh in place."""
    facility = selectors.home_facility(user=request.user, requested=pk)
    if facility is None:
        raise Http404
    return HttpResponse(selectors.facility_dashboard(user=request.user, facility=facility)["html"])


@login_required
@require_GET
def regional_table(request):
    """The sortable facility table alone, for htmx to swap when a heading is clicked."""
    if not user_can(request.user, Perm.FACILITY_VIEW):
        raise Http404
    return HttpResponse(_regional_context(request)["html"])
