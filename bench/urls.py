"""URLs of `make bench` (rutan.settings.bench): the product's, plus the bench's own."""

from django.contrib import admin
from django.http import HttpResponse
from django.urls import path

from rutan.inmates.models import Inmate
from rutan.urls import handler404, handler500  # noqa: F401 - the product's error pages
from rutan.urls import urlpatterns as product_urlpatterns


def hello(request):
    """The floor every page is compared with: the whole middleware stack, no work."""
    return HttpResponse(b"hello", content_type="text/plain")


# The peer: the stock ModelAdmin of the same model on a plain AdminSite (a superuser sees
# every inmate of the country, as in our admin).
stock_admin = admin.AdminSite(name="stock_admin")
stock_admin.register(Inmate)

urlpatterns = [
    path("bench/hello/", hello),
    path("bench/stock-admin/", stock_admin.urls),
    *product_urlpatterns,
]
