"""Every API operation as every role (and anonymous), on own and other facility's records."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rutan.core.roles import Role
from tests.access.matrix import API, ROLES, api_entries
from tests.access.walk import (
    ATTACKERS,
    LEAK_MARK,
    OWN_MARK,
    missing_args,
    request,
    same_refusal,
    sides,
    url_args,
)
from tests.access.world import OTHER
from tests.urlwalk import api_operations


def test_every_api_operation_has_an_entry():
    assert sorted(api_operations() - set(API)) == []
    assert sorted(set(API) - api_operations()) == []


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_api_answers_as_the_matrix_says(world, role, db):
    client = APIClient()
    if role is not None:
        client.force_login(world.users[role])
    wrong = []
    for name, method, entry in api_entries():
        for side in sides(entry):
            url = reverse(name, args=url_args(entry, world, side))
            response = request(client, method, url, format="json")
            allowed = entry.allowed(role, side)
            status = response.status_code
            body = b"" if response.streaming else response.content
            if role is None:
                expected = set(entry.ok) if entry.public else {entry.anonymous}
            elif allowed:
                expected = set(entry.ok)
            elif entry.args:
                expected = {404}
            elif method == "get":
                expected = {200}  # a list, with nothing in it
            else:
                # A create names its facility in the body: refused there as for a facility
                # that does not exist (400), or refused outright to a role that never may.
                expected = {400, 403}
            problem = ""
            if status not in expected:
                problem = f"got {status}, expected {sorted(expected)}"
            elif role not in (None, Role.NATIONAL_ADMIN) and LEAK_MARK.encode() in body:
                problem = f"{status} shows the other facility's records"
            elif role is not None and not allowed and OWN_MARK.encode() in body:
                problem = f"{status} shows records the role may not see"
            if not problem and side == OTHER and role in ATTACKERS and status == 404:
                missing_url = reverse(name, args=missing_args(entry, world))
                missing = request(client, method, missing_url, format="json")
                problem = same_refusal(response, missing, url, missing_url)
            if problem:
                wrong.append(f"{method.upper()} {url} ({name} {side}): {problem}")
    assert wrong == [], "\n".join(wrong)
