"""Admin template tags: the changelist's rows, cached for a model admin that asks for it."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_list
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from rutan.core import freshness

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
    rows = freshness.cached_for_scope(
        "admin-rows",
        user=context["request"].user,
        perms=[model_admin.view_perm, model_admin.manage_perm],
        query=context["request"].GET,
        parts=[opts.label],
        compute=render,
    )
    return mark_safe(rows)
