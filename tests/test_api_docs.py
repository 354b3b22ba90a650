"""The API documentation: for signed-in users, served from the project, under the site's CSP."""

from urllib.parse import urlsplit

import html5lib
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.urls import reverse

from rutan.core.models import AuditAction, AuditEntry

DOCS = "/api/docs/"


def _assets(html: str) -> list[str]:
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    return [el.get("src") for el in tree.iter("script")] + [
        el.get("href") for el in tree.iter("link")
    ]


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    cache.clear()  # the refusal's dedupe window
    response = client.get(DOCS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert client.get(f"{DOCS}?script").status_code == 302
    assert client.get("/api/schema/").status_code in (401, 403)
    # The refused API request is an audited attempt (no actor: anonymous).
    refused = AuditEntry.objects.get(action=AuditAction.DENIED)
    assert refused.actor is None and refused.after["path"] == "/api/schema/"


def test_the_page_loads_only_the_projects_own_files(client, kepala):
    client.force_login(kepala)
    response = client.get(DOCS)
    assert response.status_code == 200
    html = response.content.decode()
    tree = html5lib.parse(html, namespaceHTMLElements=False)
    scripts = list(tree.iter("script"))
    assert scripts and all(s.get("src") and not (s.text or "").strip() for s in scripts)
    assert not list(tree.iter("style")) and "style=" not in html
    for url in _assets(html):
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc and url.startswith("/"), url
        if url.startswith("/static/"):
            assert finders.find(url.removeprefix("/static/")), f"{url} is not a static file"
    assert any("drf_spectacular_sidecar/swagger-ui-dist/" in url for url in _assets(html))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_the_start_up_script_loads_and_points_at_the_schema(client, kepala):
    client.force_login(kepala)
    html = client.get(DOCS).content.decode()
    script_url = next(u for u in _assets(html) if u.startswith(DOCS))
    response = client.get(script_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    body = response.content.decode()
    assert "SwaggerUIBundle(" in body and '"/api/schema/"' in body
    assert client.get("/api/schema/?format=json").json()["info"]["title"] == "Rutan API"
