"""Subject access (UU 27/2022 PDP): what each app holds about one inmate, for the export.

The inmate app owns the export; every app that keeps records about an inmate registers in its
AppConfig.ready() a function that returns its sections (the inmate app imports no higher app):

    subject.register(order=30, collect=lambda inmate, by: [subject.section(...), ...])
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import models
from django.utils import timezone

_COLLECTORS: list[tuple[int, Callable]] = []
# Never in an export: plumbing, and the ciphertext whose plain text a collector adds itself.
_SKIP = {"inmate"}


@dataclass
class Section:
    """One kind of record: a stable key, a title, the records and their field labels."""

    key: str
    title: str
    labels: dict[str, str]
    records: list[dict]
    refs: list[tuple[str, str]] = field(default_factory=list)  # (object_type, id) for the audit


def register(*, order: int, collect: Callable) -> None:
    if all(c is not collect for _, c in _COLLECTORS):
        _COLLECTORS.append((order, collect))
        _COLLECTORS.sort(key=lambda item: item[0])


def collect(inmate, by) -> list[Section]:
    """Every registered app's sections about `inmate`, in order; `by` is who exports (a
    collector that decrypts confidential text audits that read)."""
    sections = []
    for _, func in _COLLECTORS:
        sections.extend(func(inmate, by))
    return sections


def plain(instance: models.Model, f: models.Field):
    """A field's value as a person reads it, JSON-safe: labels for choices, names for links."""
    if f.choices:
        return str(getattr(instance, f"get_{f.name}_display")())
    if f.is_relation:
        related_id = getattr(instance, f.attname)
        return None if related_id is None else str(getattr(instance, f.name))
    value = getattr(instance, f.attname)
    if isinstance(value, models.fields.files.FieldFile):
        return value.name.rsplit("/", 1)[-1] if value else None
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return value


def section(
    key: str,
    title,
    objects: Iterable[models.Model],
    *,
    model: type[models.Model],
    exclude: Iterable[str] = (),
    extra: Callable | None = None,
    extra_labels: dict | None = None,
) -> Section:
    """A section of every concrete field of `objects` (but `exclude`, links back to the inmate
    and `*_encrypted` ciphertext), plus what `extra(obj)` adds (e.g. decrypted text)."""
    skip = _SKIP | set(exclude)
    fields = [
        f
        for f in model._meta.concrete_fields
        if f.name not in skip and not f.name.endswith("_encrypted")
    ]
    labels = {f.name: str(f.verbose_name) for f in fields}
    labels |= {k: str(v) for k, v in (extra_labels or {}).items()}
    records, refs = [], []
    for obj in objects:
        row = {f.name: plain(obj, f) for f in fields}
        if extra:
            row |= extra(obj)
        records.append(row)
        refs.append((obj._meta.label_lower, str(obj.pk)))
    return Section(key=key, title=str(title), labels=labels, records=records, refs=refs)
