"""Every page as every role (and anonymous), on own and other facility's records."""

import pytest
from django.test import Client
from django.urls import reverse

from rutan.core.roles import Role
from tests.access.matrix import PAGES, ROLES, page_entries
from tests.access.walk import (
    ATTACKERS,
    check,
    missing_args,
    post_data,
    request,
    same_refusal,
    sides,
    url_args,
)
from tests.access.world import OTHER
from tests.urlwalk import page_url_names


def expected(entry, role, side) -> set[int]:
    if role is None:
        return set(entry.ok) if entry.public else {entry.anonymous}
    if not entry.allowed(role, side):
        return {404}
    return set(entry.signed_in or entry.ok)


def test_every_page_has_an_entry():
    assert sorted(page_url_names() - set(PAGES)) == []
    assert sorted(set(PAGES) - page_url_names()) == []


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_pages_answer_as_the_matrix_says(world, role, db):
    client = Client()
    if role is not None:
        client.force_login(world.users[role])
    login = reverse("login")
    wrong = []
    for name, entry in page_entries():
        for side in sides(entry):
            url = reverse(name, args=url_args(entry, world, side))
            response = request(client, entry.method, url, post_data(entry, world, side))
            if name == "logout" and role is not None:
                client.force_login(world.users[role])
            problem = check(
                response,
                expected=expected(entry, role, side),
                anonymous_login=login
                if role is None and not entry.public and entry.anonymous is None
                else None,
                leak_check=not entry.public and role not in (None, Role.NATIONAL_ADMIN),
            )
            if not problem and side == OTHER and role in ATTACKERS and response.status_code == 404:
                missing_url = reverse(name, args=missing_args(entry, world))
                missing = request(client, entry.method, missing_url, post_data(entry, world, side))
                problem = same_refusal(response, missing, url, missing_url)
            if problem:
                wrong.append(
                    f"{entry.method.upper()} {url} ({name} {entry.variant} {side}): {problem}"
                )
    assert wrong == [], "\n".join(wrong)
