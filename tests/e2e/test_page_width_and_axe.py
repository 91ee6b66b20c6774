"""Every page of the demo, for every demo role, at phone size: no page wider than the screen, no axe finding.

A breadth-first crawl from the home page follows each same-origin link (GET only) that the role can see.
Pages that share a URL pattern repeat one template, so each role visits a few of each pattern (and at most
PAGE_CAP pages in all): the crawl covers every kind of page in a few minutes. Skipped: logging out,
downloads (PDF, CSV, JSON, GeoJSON, attachments, photos, receipts, documents), the Django admin (its own
markup), the API and its
Swagger UI (a vendored third-party page, not ours to fix) and the language switch (a POST).
"""

import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from accounts.models import User
from nicp.management.commands.seed_demo import DEMO_ACCOUNTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

VIEWPORT = {"width": 390, "height": 844}
PAGE_CAP = 150  # pages per role, at most
PER_PATTERN = 2  # pages per URL pattern (and query-string shape) per role: the same template with other rows
AXE_PER_PATTERN = 1  # axe is the slow part (~1 s a page): once per pattern and role; the width check on all
SKIP = re.compile(
    r"^/(admin|api|i18n)/|logout|\.(pdf|csv|json|geojson|zip|xml|txt)$|/anexos/\d+|/fotos/\d+|/documentos/\w+/"
    r"|/acta|/archivo/|/reportes/\d+/descargar/|/comprobante/"
)
ROLES = ["anonymous", *(email for email, _name, _roles in DEMO_ACCOUNTS)]
# One Committee member stands for all of them: their pages are the same.
ROLES = [r for r in ROLES if not re.match(r"comite[2-9]@", r)]


def pattern_of(path, query):
    """The URL pattern, its word arguments (a step's slug picks another template; ids do not) and which
    query keys it carries: pages with one key render one template."""
    try:
        match = resolve(path)
        name = (match.view_name, *sorted(str(v) for v in match.kwargs.values() if not str(v).isdigit()))
    except Resolver404:
        name = (path,)
    keys = sorted(part.split("=")[0] for part in query.split("&") if part)
    return name, tuple(keys)


def session_cookie(email, live_server):
    client = Client()
    client.force_login(User.objects.get(email=email))
    cookie = client.cookies["sessionid"]
    return {"name": "sessionid", "value": cookie.value, "url": live_server.url}


def crawl(page, axe, start="/"):
    """Visit what one role can reach; return {url: [problems]} for the pages that have any."""
    problems = {}
    seen, per_pattern, axed, queue, visited = {start}, {}, set(), deque([(start, None)]), 0
    while queue and visited < PAGE_CAP:
        url, key = queue.popleft()
        response = page.goto(url)
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        visited += 1
        found = []
        if response.status >= 500:
            found.append(f"status {response.status}")
        width, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if width > inner:
            wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
                .slice(-3).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""")
            found.append(f"{width}px wide at {inner}px: {wide}")
        if key not in axed:
            axed.add(key)
            for violation in axe.run(page).response["violations"]:
                targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
                found.append(f"axe {violation['id']}: {violation['help']} {targets}")
        if found:
            problems[page.url] = found
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)"):
            href, _fragment = urldefrag(href)
            parts = urlsplit(href)
            if parts.netloc != urlsplit(page.url).netloc or SKIP.search(parts.path):
                continue
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if local in seen:
                continue
            seen.add(local)
            key = pattern_of(parts.path, parts.query)
            if per_pattern.get(key, 0) >= PER_PATTERN:
                continue
            per_pattern[key] = per_pattern.get(key, 0) + 1
            queue.append((local, key))
    return problems, visited


@pytest.fixture
def demo(settings):
    settings.NICP_STAFF_MFA_REQUIRED = False  # as the demo runs
    call_command("seed_demo", verbosity=0)


def test_every_page_fits_a_phone_and_has_no_axe_violation(browser, live_server, demo):
    axe = Axe()
    report, counts = {}, {}
    for role in ROLES:
        context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
        if role != "anonymous":
            context.add_cookies([session_cookie(role, live_server)])
        page = context.new_page()
        page.set_default_timeout(15_000)
        csp = []
        page.on("console", lambda msg, csp=csp: csp.append(msg.text) if "Content Security Policy" in msg.text else None)
        problems, counts[role] = crawl(page, axe)
        if csp:
            problems["console"] = csp
        report.update({f"{role} {url}": found for url, found in problems.items()})
        context.close()
    print(counts)
    assert all(n >= 5 for n in counts.values()), counts  # every role reached its pages
    assert not report, "\n".join(f"{where}:\n  " + "\n  ".join(found) for where, found in report.items())
