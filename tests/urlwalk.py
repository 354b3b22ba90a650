"""The project's URL patterns, walked once, for the tests that must cover every one."""

from django.urls import URLPattern, URLResolver, get_resolver


def url_patterns():
    """Yield (route, name, callback) for every URL pattern, namespaced names."""

    def walk(resolver, prefix="", namespace=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                inner = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                yield from walk(pattern, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
                yield prefix + str(pattern.pattern), name, pattern.callback

    yield from walk(get_resolver())


def page_url_names() -> set[str]:
    return {
        name
        for route, name, _ in url_patterns()
        if not route.startswith(("admin/", "api/v1/", "^api/v1/")) and name
    }


def api_operations() -> set[tuple[str, str]]:
    """(URL name, HTTP method) of every API operation, as the router and views declare them."""
    operations = set()
    for route, name, callback in url_patterns():
        if not route.startswith(("api/v1/", "^api/v1/")) or not name or "format" in route:
            continue
        actions = getattr(callback, "actions", None)
        if actions:
            # DRF adds "head" to a viewset's actions once it has answered a GET.
            operations |= {(name, method) for method in actions if method != "head"}
            continue
        view = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
        methods = [
            m for m in ("get", "post", "put", "patch", "delete") if view and hasattr(view, m)
        ]
        operations |= {(name, method) for method in methods}
    return operations
