"""The admin site: who may use it at all, and the site's own views kept inside the scope.

Only staff who hold `Perm.ADMIN_SITE` (directorate, facility head, registry) or superusers
use the admin; anyone else signed in gets 404 for every admin URL, as for a record outside
their scope; anonymous visitors are sent to the admin's login. Each model admin's own views
are guarded by `rutan.core.admin.ScopedAdminMixin`.
"""

import functools

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.http import Http404
from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import freshness
from .roles import Perm
from .scoping import scope_table, user_can


class RutanAdminSite(admin.AdminSite):
    site_header = _("Rutan — administrasi")
    site_title = _("Rutan")
    index_title = _("Administrasi")
    # Fifty models in a side menu on every page cost more than the page's rows; the index
    # lists them, and the breadcrumbs lead back to it.
    enable_nav_sidebar = False

    def get_app_list(self, request, app_label=None):
        """The models the user may open (the index and every page's side menu), kept a few
        minutes per user, memberships and permissions: built afresh it read the permissions
        of fifty models on every admin page. The menu only links; each view checks again."""
        if app_label is not None or not request.user.is_authenticated:
            return super().get_app_list(request, app_label)
        user = request.user
        parts = [
            user.pk,
            user.is_superuser,
            user.is_staff,
            sorted(map(repr, scope_table(user))),
            () if user.is_superuser else sorted(user.get_all_permissions()),
        ]
        return freshness.remembered(
            "admin-apps", parts, lambda: super(RutanAdminSite, self).get_app_list(request), 300
        )

    def has_permission(self, request):
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and (user.is_superuser or user_can(user, Perm.ADMIN_SITE))
        )

    def admin_view(self, view, cacheable=False):
        inner = super().admin_view(view, cacheable)

        @functools.wraps(view)
        def gate(request, *args, **kwargs):
            if request.user.is_authenticated and not self.has_permission(request):
                raise Http404
            return inner(request, *args, **kwargs)

        return gate

    def get_urls(self):
        urls = super().get_urls()
        # Django's "view on site" redirects for any row that exists: an existence oracle.
        return [
            path(
                "r/<path:content_type_id>/<path:object_id>/",
                self.admin_view(self.view_on_site),
                name="view_on_site",
            )
            if getattr(pattern, "name", None) == "view_on_site"
            else pattern
            for pattern in urls
        ]

    def view_on_site(self, request, content_type_id, object_id):
        try:
            model = ContentType.objects.get_for_id(int(content_type_id)).model_class()
        except (ContentType.DoesNotExist, ValueError) as exc:
            raise Http404 from exc
        model_admin = self._registry.get(model)
        if model_admin is None or model_admin.get_object(request, object_id) is None:
            raise Http404
        return shortcut(request, content_type_id, object_id)

    def autocomplete_view(self, request):
        from .admin import ScopedAutocompleteJsonView

        return ScopedAutocompleteJsonView.as_view(admin_site=self)(request)
