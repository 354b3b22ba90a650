"""Answers one app provides for a sibling it must not import (to keep imports one-way).

The providing app registers in its AppConfig.ready(): `providers.provide("name", func)`;
the asking app calls `providers.get("name")`, which is None when no app provides it.
"""

from collections.abc import Callable

_PROVIDED: dict[str, Callable] = {}

# Known names and what they answer:
#   inmate_literacy_level(*, inmate, script="latin") -> LiteracyLevel | None
#       the latest final level in that script only         (assessments)
#   inmate_interest_areas(*, inmate) -> list[str]          (assessments)
#   assimilation_eligibility(*, inmate, on) -> result with .rules of
#       (code, label, passed, reason)                      (assessments)
#   audit_inmate_ids(*, text) -> QuerySet of inmate pks whose name or registration
#       number contains `text`, for the audit log's filter  (inmates)


def provide(name: str, func: Callable) -> None:
    _PROVIDED[name] = func


def get(name: str) -> Callable | None:
    return _PROVIDED.get(name)
