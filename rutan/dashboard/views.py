from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from rutan.core.scoping import user_roles

from . import selectors


@login_required
def home(request):
    return render(
        request,
        "dashboard/home.html",
        {
            "facilities": selectors.facility_overview(user=request.user),
            "roles": sorted(user_roles(request.user)),
        },
    )
