"""Extension points for pages owned by a lower app (e.g. the inmate page) that higher apps
fill without the lower app importing them. An app registers in its AppConfig.ready():

    panels.register("inmate_detail", order=20, template="programmes/includes/inmate.html",
                    context=lambda request, inmate: {...})

A panel's context function returns None to hide the panel for that user.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Panel:
    order: int
    template: str
    context: Callable


_PANELS: dict[str, list[Panel]] = {}


def register(slot: str, *, order: int, template: str, context: Callable) -> None:
    panels = _PANELS.setdefault(slot, [])
    if all(p.template != template for p in panels):
        panels.append(Panel(order, template, context))
        panels.sort(key=lambda p: p.order)


def render(slot: str, request, obj) -> list[str]:
    """The rendered HTML of each panel of `slot` that has something for this request."""
    out = []
    for panel in _PANELS.get(slot, []):
        context = panel.context(request, obj)
        if context is not None:
            out.append(render_to_string(panel.template, context, request=request))
    return out
