"""Template tags of the product's forms."""

from django import template

register = template.Library()

# The fields a list's filter form always shows; the others fold under "Saringan lain".
PRIMARY_FILTERS = ("q",)


@register.simple_tag
def filter_parts(form) -> dict:
    """A filter form's fields split for the one filter pattern (includes/filter_form.html):
    `primary` (the search), `more` (the rest, visible ones), `hidden`, and `active`, how
    many of `more` are set or in error (the fold opens when any is)."""
    primary, more, hidden = [], [], []
    for field in form:
        if field.is_hidden:
            hidden.append(field)
        elif field.name in PRIMARY_FILTERS:
            primary.append(field)
        else:
            more.append(field)
    active = sum(1 for field in more if field.errors or field.value() not in (None, "", []))
    if not primary:  # nothing to search: every filter shows
        primary, more = more, []
    return {"primary": primary, "more": more, "hidden": hidden, "active": active}


@register.simple_tag
def page_links(page_obj, window: int = 2) -> list[int | None]:
    """The page numbers a list shows: the first, the last and `window` either side of the
    current one, None where numbers are left out ("…"). A capped count (more rows than are
    counted) shows no last page, only the pages up to the next one."""
    paginator = page_obj.paginator
    current = page_obj.number
    last = current + 1 if getattr(paginator, "capped", False) else paginator.num_pages
    last = min(last, paginator.num_pages)
    shown = {1, last, *range(max(1, current - window), min(last, current + window) + 1)}
    links: list[int | None] = []
    for number in sorted(shown):
        if links and number - (links[-1] or 0) > 1:
            links.append(None)
        links.append(number)
    return links


@register.simple_tag
def sort_link(params, key: str, default: str = "") -> dict:
    """A sortable column's header: `url` (the same filters, first page, sorted by `key`, or
    by `-key` when already sorted by `key`) and `state` ("ascending", "descending" or "none",
    for aria-sort) from the `sort` of the query `params`."""
    current = params.get("sort") or default
    state = {key: "ascending", f"-{key}": "descending"}.get(current, "none")
    query = params.copy()
    query.pop("page", None)
    query["sort"] = f"-{key}" if state == "ascending" else key
    return {"url": "?" + query.urlencode(), "state": state}


@register.simple_tag
def error_summary(form) -> dict:
    """The errors of a bound form for the summary at its top: the form's own, then one per
    field error in the order of the fields, each naming its field and linking to it."""
    if form is None or not form.is_bound or not form.errors:
        return {"count": 0, "general": [], "fields": []}
    general = list(form.non_field_errors())
    fields = []
    for field in form:
        for error in field.errors:
            if field.is_hidden:
                general.append(error)
            else:
                fields.append({"id": field.auto_id, "label": field.label, "error": error})
    return {"count": len(general) + len(fields), "general": general, "fields": fields}
