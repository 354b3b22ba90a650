"""Reading the rules once for bulk work.

Every custody write reads the rules it applies (stage fractions, register limits, detention
credits, readings, warrant limits). An import of thousands of rows would read them thousands
of times; inside `rules_cached()` each is read once. Only for work during which no rule
changes (an import runs in one transaction).
"""

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")

_CACHE: ContextVar[dict | None] = ContextVar("inmate_rules", default=None)


@contextmanager
def rules_cached() -> Iterator[None]:
    token = _CACHE.set({})
    try:
        yield
    finally:
        _CACHE.reset(token)


def cached(key: Hashable, load: Callable[[], T]) -> T:
    """`load()`, or inside `rules_cached()` the value it gave the first time for `key`."""
    cache = _CACHE.get()
    if cache is None:
        return load()
    if key not in cache:
        cache[key] = load()
    return cache[key]
