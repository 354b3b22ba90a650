"""Filters that print values as official documents write them."""

from django import template

from rutan.core.validators import format_nip

register = template.Library()


@register.filter
def nip(value) -> str:
    """An 18-digit NIP in its printed groups: "19800101 200501 1 001"."""
    return format_nip(value or "")


@register.filter
def lower_first(value) -> str:
    """A label inside a phrase: "Asesmen psikologis" → "asesmen psikologis" ("Catat asesmen
    psikologis"); an acronym stays as written ("SPPN")."""
    text = str(value)
    first = text.split(" ", 1)[0]
    if first.isupper():
        return text
    return text[:1].lower() + text[1:]
