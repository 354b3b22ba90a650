"""Ask for every URL as one role, on own and other records, and list what differs from the
matrix."""

import operator

from django.db import transaction
from django.test import Client

from tests.access.matrix import Entry
from tests.access.world import OTHER, OWN, World

# Names of the other facility's records: no answer to a role of "own" may contain them.
LEAK_MARK = "Zulu"
# Names of own records: an answer to a role that may not see them must not contain them.
OWN_MARK = "Alfa"


def url_args(entry: Entry, world: World, side: str) -> list:
    objects = world.side(side).objects
    args = []
    for arg in entry.args:
        if arg.startswith("="):
            args.append(arg[1:])
        elif "." in arg:
            key, attr = arg.split(".", 1)
            args.append(operator.attrgetter(attr)(objects[key]))
        else:
            args.append(objects[arg].pk)
    return args


def post_data(entry: Entry, world: World, side: str) -> dict:
    objects = world.side(side).objects
    return {
        key: value[1:] if value.startswith("=") else objects[value].pk for key, value in entry.data
    }


def request(client: Client, method: str, url: str, data=None, **extra):
    # A POST is tried and undone: what the matrix checks is the answer, not the write.
    with transaction.atomic():
        response = getattr(client, method)(url, data or {}, **extra)
        transaction.set_rollback(True)
    return response


def check(response, *, expected: set[int], anonymous_login: str | None, leak_check: bool):
    """Return a description of what is wrong with `response`, or ''."""
    status = response.status_code
    if anonymous_login is not None:
        location = response.get("Location", "")
        if status != 302 or not location.startswith(anonymous_login):
            return f"anonymous got {status} {location}".strip()
        return ""
    if status not in expected:
        return f"got {status}, expected {sorted(expected)}"
    if leak_check and not getattr(response, "streaming", False):
        body = response.content.decode("utf-8", "replace")
        if LEAK_MARK in body:
            return f"{status} shows the other facility's records ({LEAK_MARK})"
    return ""


def sides(entry: Entry):
    return (OWN, OTHER) if entry.args and any(not a.startswith("=") for a in entry.args) else (OWN,)
