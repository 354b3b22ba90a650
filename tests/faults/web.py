"""A logged-in demo user talking to the fault stack over HTTP, as a browser would: a session
cookie, the CSRF token of each form, the hidden version of an edit form.

Each write returns what the server acknowledged (a redirect to the saved record) so that a
scenario can compare what users were told with what the database holds afterwards.
"""

from __future__ import annotations

import re
import uuid

import requests

PASSWORD = "rutan-demo-2026"
LOGIN = "/akun/masuk/"
TIMEOUT = 30

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_VERSION = re.compile(r'name="version" value="([^"]*)"')
_REASON = re.compile(r'name="reason-(\d+)"')
_PK_IN = re.compile(r"/(\d+)/")


class Ack:
    """One write the server answered: `ok` when it said it saved (a redirect), `key` names
    the record to look for in the database."""

    def __init__(self, kind: str, status: int, ok: bool, key: str = "", detail: str = ""):
        self.kind, self.status, self.ok, self.key, self.detail = kind, status, ok, key, detail

    def __repr__(self) -> str:
        return f"Ack({self.kind}, {self.status}, ok={self.ok}, key={self.key!r})"


class DemoUser:
    def __init__(self, port: int, username: str):
        self.base = f"http://127.0.0.1:{port}"
        self.username = username
        self.http = requests.Session()

    def url(self, path: str) -> str:
        return self.base + path

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.url(path), timeout=TIMEOUT, allow_redirects=False, **kwargs)

    def form(self, path: str) -> tuple[str, str]:
        """(CSRF token, page) of the form at `path`."""
        response = self.get(path)
        response.raise_for_status()
        match = _CSRF.search(response.text)
        if not match:
            raise AssertionError(f"no CSRF token on {path} ({response.status_code})")
        return match.group(1), response.text

    def post(self, path: str, data: dict, files=None) -> requests.Response:
        return self.http.post(
            self.url(path),
            data=data,
            files=files,
            timeout=TIMEOUT,
            allow_redirects=False,
            headers={"Referer": self.url(path)},
        )

    def login(self) -> DemoUser:
        token, _page = self.form(LOGIN)
        response = self.post(
            LOGIN,
            {"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD},
        )
        if response.status_code != 302:
            raise AssertionError(f"login of {self.username} answered {response.status_code}")
        return self

    # --- the writes of the scenarios -------------------------------------------------------
    def save_attendance(self, session_id: int, marker: str) -> Ack:
        """Take a session's register: the first enrolled inmate absent (sick) with `marker`
        as the note. Acknowledged = redirect back to the register; the history keeps it."""
        path = f"/sesi/{session_id}/"
        token, page = self.form(path)
        enrolments = _REASON.findall(page)
        if not enrolments:
            raise AssertionError(f"session {session_id} shows no register to take")
        data = {"csrfmiddlewaretoken": token, f"reason-{enrolments[0]}": "sick"}
        data[f"note-{enrolments[0]}"] = marker
        if version := _VERSION.search(page):
            data["version"] = version.group(1)
        response = self.post(path, data)
        return Ack("attendance", response.status_code, response.status_code == 302, marker)

    def log_activity(self, on: str, marker: str) -> Ack:
        """The intern saves a draft log; its client_key is the marker looked for later."""
        path = "/magang/kegiatan/baru/"
        token, _page = self.form(path)
        key = str(uuid.uuid4())
        response = self.post(
            path,
            {
                "csrfmiddlewaretoken": token,
                "client_key": key,
                "on": on,
                "hours": "1",
                "log_type": "",
                "description": marker,
            },
        )
        return Ack("intern_log", response.status_code, response.status_code == 302, key)

    def upload_import(self, facility_id: int, kind: str = "register") -> Ack:
        """Upload the kind's own template (a valid file) for a preview by the worker."""
        template = self.get(f"/impor/{kind}/templat.csv")
        template.raise_for_status()
        path = f"/impor/{kind}/upt/{facility_id}/"
        token, _page = self.form(path)
        response = self.post(
            path,
            {"csrfmiddlewaretoken": token},
            files={"file": (f"chaos-{uuid.uuid4().hex[:8]}.csv", template.content, "text/csv")},
        )
        return Ack("import", response.status_code, response.status_code == 302, _pk(response))

    def request_report(self, facility_id: int, period: str) -> Ack:
        """Ask for a new version of a facility's monthly report."""
        token, _page = self.form("/reports/")
        response = self.post(
            "/reports/",
            {
                "csrfmiddlewaretoken": token,
                "target": f"f{facility_id}",
                "period": period,
                "language": "id",
                "new_version": "on",
            },
        )
        return Ack("report", response.status_code, response.status_code == 302, _pk(response))


def _pk(response: requests.Response) -> str:
    match = _PK_IN.search(response.headers.get("Location", ""))
    return match.group(1) if match else ""


def api_token(port: int, username: str) -> str:
    response = requests.post(
        f"http://127.0.0.1:{port}/api/v1/auth/token/",
        json={"username": username, "password": PASSWORD},
        timeout=TIMEOUT,
    )
    response.raise_for_status()
    return response.json()["token"]
