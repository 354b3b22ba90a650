"""Admin template tags: the changelist's rows, cached for a model admin that asks for it."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_list
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from rutan.core import freshness
from rutan.core.scoping import facility_ids_for
from rutan.facilities.selectors import today_by_timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def scoped_result_list(context, cl):
    """Django's `{% result_list cl %}`. For a model admin with `cache_results` (a scoped one,
    `view_perm`), the rows are rendered once while none of the facilities of the user's scope
    changed (rutan.core.freshness), per scope, query, dates and language: the page is
    counted as before, its rows are not read or written again."""
    opts = cl.opts

    def render() -> str:
        names = [
            f"admin/{opts.app_label}/{opts.model_name}/change_list_results.html",
            f"admin/{opts.app_label}/change_list_results.html",
            "admin/change_list_results.html",
        ]
        return render_to_string(names, result_list(cl))

    model_admin = cl.model_admin
    if not getattr(model_admin, "cache_results", False) or cl.formset is not None:
        return mark_safe(render())
    user = context["request"].user
    scope = facility_ids_for(user, model_admin.view_perm)
    manage = facility_ids_for(user, model_admin.manage_perm)
    parts = [
        opts.label,
        None if scope is None else sorted(scope),
        None if manage is None else sorted(manage),
        sorted(context["request"].GET.lists()),
        sorted(today_by_timezone().items()),
        timezone.get_current_timezone_name(),
    ]
    return mark_safe(freshness.cached("admin-rows", parts, scope, render))
