"""Optimistic concurrency: a row's version is its `updated_at`, read under a row lock."""

from django.utils.http import parse_etags
from django.utils.translation import gettext_lazy as _

STALE_MESSAGE = _(
    "Data ini sudah diubah orang lain sejak Anda membukanya; tidak ada yang disimpan. "
    "Berikut isinya sekarang: ulangi perubahan Anda bila masih perlu."
)


def row_version(obj) -> str:
    """The version of a saved row as forms carry it: its `updated_at` (empty when unsaved)."""
    return obj.updated_at.isoformat() if obj is not None and obj.pk else ""


def locked_version(obj) -> str:
    """The row's current version, locking it until the transaction ends (call inside one)."""
    updated_at = (
        type(obj)
        ._default_manager.select_for_update()
        .filter(pk=obj.pk)
        .values_list("updated_at", flat=True)
        .get()
    )
    return updated_at.isoformat()


def lock_current(obj, version: str):
    """The row of `obj` as stored now, locked until the transaction ends, and whether it is
    newer than `version`, the one a form showed (empty: not checked). Call inside a transaction.
    """
    current = type(obj)._base_manager.select_for_update().get(pk=obj.pk)
    return current, bool(version) and row_version(current) != version


def etag(pk, version: str) -> str:
    """A weak tag: the representation also holds values computed on today's date."""
    return f'W/"{pk}-{version}"'


def if_match_passes(header: str, current: str) -> bool:
    """Whether an If-Match header names the current tag; weak and strong forms compare alike."""
    tags = parse_etags(header)
    return "*" in tags or current.removeprefix("W/") in {t.removeprefix("W/") for t in tags}
