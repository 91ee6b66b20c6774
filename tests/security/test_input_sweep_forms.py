"""Issue #8 item 12: junk in any field of any HTML form never gives a server error.

The demo world is loaded and, for each role, the pages that role reaches are crawled from its menus;
every form found (POST forms, and GET filter forms with the page's query string) is sent with one
field replaced by junk: huge and negative numbers, non-numbers, exponents, NaN, far dates, long text,
empty. A new form is swept as soon as a page links to it. The answer must be a page with errors, a
redirect or another 4xx, never a 5xx (the test client re-raises any exception the view lets out).
"""

import re
from html.parser import HTMLParser
from urllib.parse import urlencode, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from proposals.models import Call, Proposal

pytestmark = pytest.mark.django_db

ROLES = ["solicitante@demo.nicp.mx", "coordinacion@demo.nicp.mx", "revision@demo.nicp.mx",
         "secretaria@demo.nicp.mx", "comite4@demo.nicp.mx", "auditoria@demo.nicp.mx"]
SEEDS = ["/", "/propuestas/", "/grupos/", "/grupos/nuevo/", "/perfil/", "/convocatorias/", "/convocatorias/nueva/",
         "/revision/", "/dictamenes/", "/comites/", "/territorio/", "/avisos/"]
# Not swept: sign-in and account machinery (allauth), the admin, the API (its own sweep), files.
SKIP = re.compile(r"^/(accounts|admin|api|static|media|i18n)/|^/territorio/unidades/|\.(csv|pdf|json)$"
                  r"|/anexos/\d+/$|/asambleas/\d+/(acta|asistencia)/|/fotos/\d+/$")
MAX_PAGES = 120
PAGES_PER_PATTERN = 8

JUNK = ["", "abc", "-1", "1e30", "NaN", "99999999999999999999999999999999", "0001-01-01", "9999-12-31",
        "9999-12-31T23:59", "x" * 3000]
# One field at a time, so the rest of the form is valid and the junk reaches the view and the service.
JUNK_ONE_BY_ONE = ["abc", "-1", "99999999999999999999999999999999"]
DATE_FIELD = re.compile(r"(_on|_at|_date|_deadline)$")
ROW_BEYOND_FIRST = re.compile(r"-[1-9]\d*-")
JUNK_TEXT = st.one_of(
    st.sampled_from(JUNK + ["Infinity", "sNaN", "-0", "1.5", "0x1F", "٣", "²", "2030-02-30", "1" * 5000]),
    st.integers(min_value=-10**40, max_value=10**40).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.text(max_size=40),
)


class Forms(HTMLParser):
    """The forms of a page (action, method, fields with the values the page would send) and its links."""

    def __init__(self):
        super().__init__()
        self.forms, self.links, self._form, self._select, self._textarea = [], [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and (a.get("href") or "").startswith("/"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(),
                          "fields": {}}
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            values = self._form["fields"].setdefault(a["name"], [])
            if kind in ("checkbox", "radio"):
                if "checked" in a or (kind == "radio" and not values):
                    values[:] = ([] if kind == "radio" else values) + [a.get("value", "on")]
            elif kind not in ("submit", "button", "file", "image", "reset"):
                values.append(a.get("value", ""))
        elif tag == "select":
            self._select = self._form["fields"].setdefault(a["name"], [])
            self._select_first = None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if "selected" in a:
                self._select.append(value)
            elif self._select_first is None and value:
                self._select_first = value
        elif tag == "textarea":
            self._textarea = a["name"]
            self._form["fields"][a["name"]] = [""]

    def handle_data(self, data):
        if self._textarea:
            self._form["fields"][self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            if not self._select and self._select_first:
                self._select.append(self._select_first)
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def seeds() -> list[str]:
    """The menus, and every record page a role might work on: what it may not open answers 403/404."""
    urls, states = list(SEEDS), set()
    for pk, status in Proposal.objects.order_by("pk").values_list("pk", "status"):
        if status in states:
            continue  # one proposal in each state shows every form a proposal page offers
        states.add(status)
        urls += [f"/propuestas/{pk}/", f"/propuestas/{pk}/revisar/", f"/propuestas/{pk}/dictamen/"]
        if status in ("draft", "returned"):
            urls += [f"/propuestas/{pk}/paso/{step}/" for step in ("sitio", "proyecto", "presupuesto",
                                                                   "cronograma", "anexos")]
    for call_pk, proposal_pk in Proposal.objects.filter(status="shortlisted").values_list("call", "pk"):
        urls += [f"/comites/{call_pk}/", f"/comites/{call_pk}/sesion/", f"/comites/{call_pk}/propuestas/{proposal_pk}/"]
    for pk in Call.objects.values_list("pk", flat=True):
        urls += [f"/convocatorias/{pk}/", f"/convocatorias/{pk}/editar/", f"/comites/{pk}/", f"/comites/{pk}/sesion/"]
    return list(dict.fromkeys(urls))


def crawl(client) -> list[dict]:
    """The distinct forms of the pages this person reaches (one per form kind, whatever the record)."""
    queue, seen, forms, kinds, per_pattern = seeds(), set(), [], set(), {}
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        pattern = re.sub(r"\d+", "N", urlsplit(url).path)
        if url in seen or SKIP.search(urlsplit(url).path) or per_pattern.get(pattern, 0) >= PAGES_PER_PATTERN:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, url
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        per_pattern[pattern] = per_pattern.get(pattern, 0) + 1
        page = Forms()
        page.feed(response.content.decode())
        for form in page.forms:
            form["action"] = form["action"] or urlsplit(url).path
            # One of each kind: the same form on another record adds nothing; a different action does.
            kind = (re.sub(r"\d+", "N", form["action"]), form["method"], tuple(form["fields"].get("action", [])))
            if not SKIP.search(form["action"]) and kind not in kinds:
                kinds.add(kind)
                forms.append(form)
        queue += [link.split("#")[0] for link in page.links if link.split("#")[0] not in seen]
    return forms


def send(client, form, field, junk):
    """The form as the page would send it, but `field` (a name, or None for every field) holds junk."""
    data = {name: values for name, values in form["fields"].items() if name != "csrfmiddlewaretoken"}
    for name in data if field is None else [field]:
        data[name] = junk if isinstance(junk, list) else [junk]
    if form["method"] == "get":
        response = client.get(form["action"] + "?" + urlencode(data, doseq=True))
    else:
        response = client.post(form["action"], data)
    assert response.status_code < 500, (form["action"], field, str(junk)[:80])
    assert response.status_code in (200, 301, 302, 400, 403, 404, 405, 409), (form["action"], field)
    return response


@pytest.fixture
def world():
    call_command("seed_demo", verbosity=0)


@pytest.fixture
def crawled():
    return {}


def logged_in(email):
    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


def test_every_field_of_every_form_survives_junk(world):
    # One world for every role (loading it is the slow part): what one role's junk changed, the next
    # role's crawl sees, as on a live server.
    for email in ROLES:
        sweep_forms_of(email)


def sweep_forms_of(email):
    client = logged_in(email)
    forms = crawl(client)
    assert forms, email
    for form in forms:
        fields = [f for f in form["fields"] if f != "csrfmiddlewaretoken"]

        for junk in JUNK:
            send(client, form, None, junk)
        # Every field repeated, far beyond any list cap (but under Django's limit on a request's fields).
        send(client, form, None, ["1"] * max(2, 900 // max(1, len(fields))))
        for field in fields:
            if ROW_BEYOND_FIRST.search(field) or field.endswith(("-MIN_NUM_FORMS", "-MAX_NUM_FORMS")):
                continue  # the same field class as row 0's; Django ignores the min/max it sends
            for junk in JUNK_ONE_BY_ONE + (["9999-12-31", "0001-01-01"] if DATE_FIELD.search(field) else []):
                send(client, form, field, junk)



@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_random_junk_in_several_fields_at_once(world, crawled, data):
    email = data.draw(st.sampled_from(ROLES))
    client = logged_in(email)
    if email not in crawled:  # one crawl per role: the examples share the world
        crawled[email] = crawl(client)
    forms = crawled[email]
    form = data.draw(st.sampled_from(forms))
    fields = [f for f in form["fields"] if f != "csrfmiddlewaretoken"]
    if not fields:
        return
    chosen = data.draw(st.lists(st.sampled_from(fields), min_size=1, max_size=3, unique=True))
    form = {**form, "fields": {**form["fields"], **{f: [data.draw(JUNK_TEXT)] for f in chosen[1:]}}}
    send(client, form, chosen[0], data.draw(JUNK_TEXT))


def test_query_strings_of_list_pages_survive_junk(world):
    client = logged_in("coordinacion@demo.nicp.mx")
    pages = ["/propuestas/", "/revision/", "/revision/propuestas.csv", "/grupos/", "/territorio/", "/avisos/",
             "/convocatorias/", "/territorio/alcaldias/007/"]
    params = ["page", "sort", "q", "estado", "status", "call", "borough", "stratum", "estrato", "neighbourhood",
              "modality", "project_type", "ver"]
    for url in pages:
        for junk in JUNK + ["10" * 12, "0", "-5", "1" * 25]:
            response = client.get(url, dict.fromkeys(params, junk))
            assert response.status_code < 500, (url, junk[:40])
        for param in params:
            for junk in ("abc", "1" * 25):
                assert client.get(url, {param: junk}).status_code < 500, (url, param, junk)
