"""Every admin view as every role (and anonymous), on own and other facility's records."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from rutan.core.roles import ROLE_PERMS, Perm, Role
from tests.access.matrix import ADMIN, ROLES
from tests.access.walk import LEAK_MARK, MISSING_PK, request
from tests.access.world import OTHER, OWN
from tests.urlwalk import url_patterns

# Admin URLs that are the site's, not a model's, and what they need.
SITE = {
    "admin:index",
    "admin:app_list",
    "admin:login",
    "admin:logout",
    "admin:password_change",
    "admin:password_change_done",
    "admin:jsi18n",
    "admin:autocomplete",
    "admin:view_on_site",
}


# Buttons of the agreement's change form confirm on a page or act and go back to the form.
OK = {"activate": {200, 302}, "renew": {200, 302}, "terminate": {200, 302}, "revoke": {200, 302}}
# django-import-export's second step only takes the form of the first.
POST_ONLY = {"admin:partners_agreement_process_import"}


def record(entry, world, side, model):
    if entry.record.startswith("shared:"):
        return model._default_manager.order_by("pk").first()
    return world.side(side).objects[entry.record]


def model_views(label, entry, world):
    """Yield (url name, url, need, side, scoped) for every view of one model's admin."""
    model = apps.get_model(label)
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    yield f"{info}_changelist", reverse(f"{info}_changelist"), "view", OWN, False
    yield f"{info}_add", reverse(f"{info}_add"), "manage" if entry.add else "never", OWN, False
    if not entry.record:
        # Library admins (superusers only): any row's pages are refused to every role.
        for view in ("change", "history", "delete"):
            yield f"{info}_{view}", reverse(f"{info}_{view}", args=[MISSING_PK]), "never", OWN, True
        return
    shared = entry.record.startswith("shared:")
    for side in (OWN,) if shared else (OWN, OTHER):
        obj = record(entry, world, side, model)
        for view in ("change", "history"):
            yield (
                f"{info}_{view}",
                reverse(f"{info}_{view}", args=[obj.pk]),
                "view",
                side,
                not shared,
            )
        yield f"{info}_delete", reverse(f"{info}_delete", args=[obj.pk]), "never", side, True
        if entry.history:
            version = obj.history.order_by("-history_id").first().history_id
            url = reverse(f"{info}_simple_history", args=[obj.pk, version])
            yield f"{info}_simple_history", url, "view", side, not shared
        for suffix, need, with_record in entry.extra:
            if with_record:
                name = _extra_name(label, info, suffix)
                yield name, reverse(name, args=[obj.pk]), need, side, not shared
    for suffix, need, with_record in entry.extra:
        if not with_record:
            suffix, _, literal = suffix.partition("/")
            name = f"{info}_{suffix}"
            yield name, reverse(name, args=[literal] if literal else []), need, OWN, False


def _extra_name(label, info, suffix):
    # Django's UserAdmin names its password view after auth.User, whatever the model.
    return "admin:auth_user_password_change" if label == "accounts.user" else f"{info}_{suffix}"


def test_every_admin_url_has_an_entry(world, db):
    registered = {m._meta.label_lower for m in admin.site._registry}
    assert sorted(registered ^ set(ADMIN)) == []
    walked = {name for label, e in ADMIN.items() for name, *_ in model_views(label, e, world)}
    names = {n for route, n, _ in url_patterns() if route.startswith("admin/") and n}
    assert sorted(names - walked - SITE) == []


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r or "anonymous")
def test_admin_answers_as_the_matrix_says(world, role, db):
    client = Client()
    if role is not None:
        client.force_login(world.users[role])
    admin_site = role is not None and Perm.ADMIN_SITE in ROLE_PERMS[role]
    login = reverse("admin:login")
    wrong = []
    site_pages = [reverse("admin:index"), reverse("admin:password_change"), reverse("admin:jsi18n")]
    for url in site_pages:
        response = request(client, "get", url)
        expected = 200 if admin_site else 404
        if role is None:
            ok = response.status_code == 302 and response["Location"].startswith(login)
        else:
            ok = response.status_code == expected
        if not ok:
            wrong.append(f"GET {url}: got {response.status_code}")
    for label, entry in ADMIN.items():
        for name, url, need, side, scoped in model_views(label, entry, world):
            method = "post" if name in POST_ONLY else "get"
            response = request(client, method, url)
            status = response.status_code
            if role is None:
                if status != 302 or not response["Location"].startswith(login):
                    wrong.append(f"GET {url} ({name}): anonymous got {status}")
                continue
            allowed = need != "never" and entry.allowed(role, side, need, scoped)
            expected = OK.get(name.rsplit("_", 1)[-1], {200}) if allowed else {404}
            if status not in expected:
                wrong.append(
                    f"GET {url} ({name} {side}): got {status}, expected {sorted(expected)}"
                )
            elif (
                role != Role.NATIONAL_ADMIN
                and status == 200
                and not response.streaming
                and LEAK_MARK in response.content.decode("utf-8", "replace")
            ):
                wrong.append(f"GET {url} ({name}): shows the other facility's records")
    assert wrong == [], "\n".join(wrong)
