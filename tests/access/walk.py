"""Ask for every URL as one role, on own and other records, and list what differs from the
matrix."""

import difflib
import operator
import re

from django.db import transaction
from django.test import Client

from rutan.core.roles import Role
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
    # A redirect's flash message is not carried to the next, unrelated request.
    client.cookies.pop("messages", None)
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


MISSING_PK = 987654321
# The pen test's two accounts: another facility's head and an intern. Their refusals of
# existing records are compared with those of missing ones (twice the requests: not for all).
ATTACKERS = (Role.FACILITY_HEAD, Role.INTERN)


def missing_args(entry: Entry, world: World) -> list:
    """The other side's URL arguments with every record id replaced by one that no row has."""
    return [
        MISSING_PK if isinstance(value, int) and not arg.startswith("=") else value
        for arg, value in zip(entry.args, url_args(entry, world, OTHER), strict=True)
    ]


def same_refusal(refused, missing, url: str, missing_url: str) -> str:
    """'' when a refusal of an existing record reads exactly as that of a missing one."""
    if refused.status_code != missing.status_code:
        return f"{refused.status_code} here but {missing.status_code} for a missing id"
    body = _stable(refused.content.decode("utf-8", "replace").replace(url, ""))
    other = _stable(missing.content.decode("utf-8", "replace").replace(missing_url, ""))
    if body == other:
        return ""
    diff = difflib.unified_diff(body.splitlines(), other.splitlines(), lineterm="", n=0)
    return "the refusal differs from that of a missing id: " + " | ".join(list(diff)[2:6])


def _stable(html: str) -> str:
    # Per-response tokens (CSRF, CSP nonce) are not part of what the answer tells.
    html = re.sub(r'(value|content)="[A-Za-z0-9]{32,}"', r'\1=""', html)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', html)
