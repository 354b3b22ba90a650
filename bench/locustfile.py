"""The daily mix for `make chaos` (bench/chaos.py runs it headless against the fault stack):
the dashboard, register searches, attendance saves, intern logs and API lists, by the demo
users, logged in with CSRF as a browser would.

Every write the server acknowledges (a redirect to the saved record) is recorded with its
marker; at the end the markers, the answers by status and the 5xx go to CHAOS_RESULT (JSON)
for the runner to look for in the database.

Environment: CHAOS_SESSIONS (session ids whose register pembina may take, comma-separated),
CHAOS_RESULT (where to write the JSON).
"""

import itertools
import json
import os
import random
import re
import uuid
from datetime import date

from locust import HttpUser, between, events, task

PASSWORD = "rutan-demo-2026"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="([^"]*)"')
REASON = re.compile(r'name="reason-(\d+)"')
SEARCHES = ["a", "budi", "siti", "an", "rahmat", "dewi", "yohanes", "ko", "sri", "eko"]

SESSIONS = [int(s) for s in os.environ.get("CHAOS_SESSIONS", "").split(",") if s]
_session_turn = itertools.count()
RESULT = {"attendance": [], "intern_log": [], "stale": 0, "status": {}, "5xx": []}


@events.request.add_listener
def _count(request_type, name, response, exception, **kwargs):
    status = getattr(response, "status_code", 0) or 0
    RESULT["status"][str(status)] = RESULT["status"].get(str(status), 0) + 1
    if status >= 500:
        RESULT["5xx"].append(f"{request_type} {name} {status}")


@events.quitting.add_listener
def _write(environment, **kwargs):
    path = os.environ.get("CHAOS_RESULT")
    if path:
        with open(path, "w") as out:
            json.dump(RESULT, out)


class DemoUser(HttpUser):
    abstract = True
    username = ""
    wait_time = between(0.5, 2)

    def on_start(self):
        self.client.headers["Referer"] = self.host + "/"
        token = self.csrf("/akun/masuk/", name="login page")
        self.client.post(
            "/akun/masuk/",
            {"csrfmiddlewaretoken": token, "username": self.username, "password": PASSWORD},
            allow_redirects=False,
            name="login",
        )

    def csrf(self, path, name=None):
        page = self.client.get(path, name=name or path)
        match = CSRF.search(page.text)
        return match.group(1) if match else ""


class Head(DemoUser):
    """The facility head: dashboard and register searches."""

    username = "kepala"
    weight = 12

    @task(3)
    def dashboard(self):
        self.client.get("/", name="dashboard")

    @task(2)
    def search(self):
        self.client.get(f"/wbp/?q={random.choice(SEARCHES)}", name="register search")


class Registry(DemoUser):
    """The registry officer searches the register all day."""

    username = "registrasi"
    weight = 10

    @task
    def search(self):
        self.client.get(f"/wbp/?q={random.choice(SEARCHES)}", name="register search")

    @task
    def dashboard(self):
        self.client.get("/", name="dashboard")


class Programmes(DemoUser):
    """The programme officer takes registers: each user its own sessions, in turn."""

    username = "pembina"
    weight = 12

    def on_start(self):
        super().on_start()
        turn = next(_session_turn)
        self.sessions = SESSIONS[turn::12] or SESSIONS

    @task
    def attendance(self):
        session = random.choice(self.sessions)
        path = f"/sesi/{session}/"
        page = self.client.get(path, name="register page").text
        token, rows = CSRF.search(page), REASON.findall(page)
        if not token or not rows:
            return
        marker = f"load-{uuid.uuid4()}"
        data = {"csrfmiddlewaretoken": token.group(1), f"reason-{rows[0]}": "sick"}
        data[f"note-{rows[0]}"] = marker
        if version := VERSION.search(page):
            data["version"] = version.group(1)
        with self.client.post(
            path, data, allow_redirects=False, name="attendance save", catch_response=True
        ) as response:
            if response.status_code == 302:
                RESULT["attendance"].append(marker)
                response.success()
            elif response.status_code == 200:
                # Someone saved this register since the page was read: refused, nothing lost.
                RESULT["stale"] += 1
                response.success()


class Intern(DemoUser):
    """The intern writes activity logs from a phone."""

    username = "magang"
    weight = 10

    @task
    def log(self):
        token = self.csrf("/magang/kegiatan/baru/", name="intern log form")
        key = str(uuid.uuid4())
        with self.client.post(
            "/magang/kegiatan/baru/",
            {
                "csrfmiddlewaretoken": token,
                "client_key": key,
                "on": date.today().isoformat(),
                "hours": "1",
                "description": f"load {key}",
            },
            allow_redirects=False,
            name="intern log save",
            catch_response=True,
        ) as response:
            if response.status_code == 302:
                RESULT["intern_log"].append(key)
                response.success()


class Api(HttpUser):
    """A partner system lists the register through the API with a token."""

    weight = 6
    wait_time = between(0.5, 2)

    def on_start(self):
        answer = self.client.post(
            "/api/v1/auth/token/",
            json={"username": "kepala", "password": PASSWORD},
            name="api token",
        )
        self.client.headers["Authorization"] = f"Token {answer.json().get('token', '')}"

    @task(2)
    def inmates(self):
        self.client.get("/api/v1/inmates/", name="api inmates")

    @task
    def sessions(self):
        self.client.get("/api/v1/sessions/", name="api sessions")
