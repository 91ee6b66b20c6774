"""The load run's clients: threads that act as the demo's people would, through HTTP on loopback.

Five roles, given to clients in turn: an anonymous visitor (public list, project page, statistics, public
API), the applicant (drafts a proposal through the API, then edits it), the coordinator (the review queue,
the project list and pages in the browser; the proposal and project lists through the API), the
administration committee (writes in the logbook through the API, reads it) and the supervision committee
(writes in the logbook through the HTML form, with its CSRF token, as a browser does). Every write carries a
unique marker; the markers of the writes answered with a success go to the WriteLog.
"""

import http.client
import json
import random
import re
import threading
import time
import uuid
from collections.abc import Callable
from datetime import date
from http.cookies import SimpleCookie
from urllib.parse import urlencode

from django.conf import settings

from nicp.scale.load_stats import CONNECTION_ERROR, Outcome, Tally
from nicp.scale.load_world import Person, World
from nicp.scale.load_writes import WriteLog, new_marker

TIMEOUT = 30
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Answer:
    def __init__(self, status: int, body: bytes, headers: dict[str, str]):
        self.status, self.body, self.headers = status, body, headers

    def json(self) -> dict:
        return json.loads(self.body or b"{}")


class Client:
    """One person's HTTP client: a fresh connection per request (gunicorn's sync workers close them anyway)."""

    def __init__(self, port: int, tally: Tally, person: Person | None = None):
        self.port, self.tally, self.person = port, tally, person
        self.cookies: dict[str, str] = {settings.SESSION_COOKIE_NAME: person.session} if person else {}

    def request(self, kind: str, method: str, path: str, *, body: bytes | None = None, content_type: str = "",
                token: bool = False, headers: dict | None = None) -> Answer | None:
        sent = {"Host": f"127.0.0.1:{self.port}", **(headers or {})}
        if token and self.person:
            sent["Authorization"] = f"Token {self.person.token}"
        elif self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if content_type:
            sent["Content-Type"] = content_type
        start = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.tally.record(Outcome(kind, CONNECTION_ERROR, time.monotonic() - start, time.monotonic()))
            return None
        finally:
            connection.close()
        now = time.monotonic()
        self.tally.record(Outcome(kind, response.status, now - start, now))
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
        return Answer(response.status, data, dict(response.getheaders()))

    def get(self, kind: str, path: str, *, token: bool = False) -> Answer | None:
        return self.request(kind, "GET", path, token=token)

    def send_json(self, kind: str, method: str, path: str, data: dict) -> Answer | None:
        return self.request(kind, method, path, body=json.dumps(data).encode(), content_type="application/json",
                            token=True)

    def send_multipart(self, kind: str, path: str, fields: dict[str, str]) -> Answer | None:
        """A multipart POST of text fields with the token (the endpoints that take files take only this)."""
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
                 for name, value in fields.items()]
        body = ("".join(parts) + f"--{boundary}--\r\n").encode()
        return self.request(kind, "POST", path, body=body, content_type=f"multipart/form-data; boundary={boundary}",
                            token=True)


# --- What each role does, one step at a time ----------------------------------------------------------------

def visitor_step(client: Client, world: World, writes: WriteLog) -> None:
    path = random.choice(["/proyectos/", "/api/v1/public/projects/", "/estadisticas/",
                          f"/proyectos/{world.project_code}/", "/proyectos/?orden=monto", "/api/v1/calls/"])
    client.get("public read", path)


def applicant_step(client: Client, world: World, writes: WriteLog) -> None:
    title = new_marker("draft")
    created = client.send_json("applicant draft (API)", "POST", "/api/v1/proposals/",
                               {"call": world.open_call, "group": world.group, "title": title})
    if created is None or created.status != 201:
        return
    writes.confirm("draft", title)
    proposal = created.json()
    description = new_marker("edit")
    edited = client.send_json("applicant edit (API)", "PATCH", f"/api/v1/proposals/{proposal['id']}/",
                              {"description": description, "version": proposal["version"]})
    if edited is not None and edited.status == 200:
        writes.confirm("edit", description)
    client.get("applicant read (API)", "/api/v1/proposals/", token=True)


def coordinator_step(client: Client, world: World, writes: WriteLog) -> None:
    if random.random() < 0.5:
        client.get("staff page", random.choice(["/revision/", "/seguimiento/", f"/propuestas/{world.proposal}/",
                                                f"/seguimiento/{world.project}/", "/inicio/"]))
    else:
        client.get("staff API", random.choice(["/api/v1/proposals/", "/api/v1/projects/", "/api/v1/expenses/"]),
                   token=True)


def administration_step(client: Client, world: World, writes: WriteLog) -> None:
    text = new_marker("logbook")
    answer = client.send_multipart("committee logbook (API)", f"/api/v1/projects/{world.project}/logbook/",
                                   {"happened_on": date.today().isoformat(), "text": text})
    if answer is not None and answer.status == 201:
        writes.confirm("logbook", text)
    client.get("committee read (API)", f"/api/v1/projects/{world.project}/logbook/", token=True)


def supervision_step(client: Client, world: World, writes: WriteLog) -> None:
    path = f"/seguimiento/{world.project}/bitacora/nueva/"
    form = client.get("committee form (HTML)", path)
    token = CSRF_INPUT.search(form.body.decode(errors="replace")) if form is not None and form.status == 200 else None
    if token is None:
        return
    text = new_marker("logbook")
    body = urlencode({"csrfmiddlewaretoken": token.group(1), "happened_on": date.today().isoformat(), "text": text})
    answer = client.request("committee logbook (HTML)", "POST", path, body=body.encode(),
                            content_type="application/x-www-form-urlencoded")
    if answer is not None and answer.status == 302:
        writes.confirm("logbook", text)


ROLES: list[tuple[Callable, Callable[[World], Person | None]]] = [
    (visitor_step, lambda w: None),
    (applicant_step, lambda w: w.applicant),
    (coordinator_step, lambda w: w.coordinator),
    (administration_step, lambda w: w.administration),
    (supervision_step, lambda w: w.supervision),
]


def run_clients(*, port: int, world: World, clients: int, stop: threading.Event, tally: Tally,
                writes: WriteLog) -> list[threading.Thread]:
    """Start `clients` threads, roles in turn; each loops until `stop` is set. Returns the threads."""
    threads = []
    for number in range(clients):
        step, who = ROLES[number % len(ROLES)]
        client = Client(port, tally, who(world))

        def loop(step=step, client=client):
            while not stop.is_set():
                try:
                    step(client, world, writes)
                except (ValueError, KeyError):  # an answer that is not the JSON expected: recorded by status
                    time.sleep(0.05)

        thread = threading.Thread(target=loop, name=f"load-client-{number}", daemon=True)
        thread.start()
        threads.append(thread)
    return threads
