"""Registry of demo-data seeders. Each app may have a `demo.py` that registers one:

    @seeder(order=20)
    def seed_programmes(ctx): ...

`seed_demo` runs them in order with a shared context; each must be idempotent.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

_SEEDERS: list[tuple[int, str, Callable]] = []


@dataclass
class DemoContext:
    password: str
    log: Callable[[str], None]
    data: dict = field(default_factory=dict)


def seeder(order: int):
    def register(func):
        key = f"{func.__module__}.{func.__name__}"
        if all(k != key for _, k, _ in _SEEDERS):
            _SEEDERS.append((order, key, func))
        return func

    return register


def seeders() -> list[Callable]:
    return [func for _, _, func in sorted(_SEEDERS, key=lambda s: (s[0], s[1]))]
