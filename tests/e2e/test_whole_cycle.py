"""The whole cycle in one browser test (issue 14): a new group signs up, drafts and submits; the coordination
accepts it, holds the assembly and has it reviewed; the Mixed Technical Committee is integrated, scores, sits and
publishes; the project's committees are elected and accept; the account, the agreement and the tranche; an
expense proved by a CFDI, endorsed and verified; progress at 100 % with a photo, endorsed; handover,
accountability assembly, refund and closure; the coordination's accountability report and the nightly open
data, built by a real worker; and an anonymous visitor finds the closed project on the public map, opens its
page and downloads the open data.

Every change goes through a page, by the person who makes it (the community at 390×844, the staff at a desk).
Set up beforehand, as the world the cycle runs in: the territory (boroughs and a unit), the published call
(one person per community committee, one tranche) and the accounts of the staff, the Committee and the
neighbours who will be elected. The system's own part is the worker, started for the whole test, and the
nightly open-data task, sent as beat sends it at 03:00. Deadlines need no clock travel: the call's dates are
set around today (Mexico City) and every step happens today.

The worker runs on the configured broker: the embedded file-system one on SQLite, Redis when
CELERY_BROKER_URL points at it (CI's PostgreSQL stage)."""

import csv
import io
import json
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.core import mail

from accounts.roles import StaffRole
from notifications.models import Notice
from projects.models import Project
from projects.services import project_rules_save
from projects.workflow import ExpenseState, ProjectState
from proposals.models import BudgetLine, Proposal
from reports.builders.open_data import KIND as OPEN_DATA
from reports.models import Report, ReportStatus
from reports.opendata.datasets import all_datasets
from reports.opendata.oc4ids import ocid
from tests.e2e import cycle_steps as steps
from tests.factories import PDF_BYTES, NeighbourhoodFactory, UserFactory, jpeg_bytes, make_open_call
from tests.real_worker import database_shared_with_a_worker, wait_until, worker_process

pytestmark = [pytest.mark.e2e, pytest.mark.worker, pytest.mark.django_db(transaction=True),
              pytest.mark.usefixtures("boroughs")]

BUDGET = Decimal("950000.00")
INVOICE = {"uuid": "0A1B2C3D-4444-4A5B-8C9D-A1B2C3D4E514", "rfc": "MAT010101AB1", "subtotal": Decimal("500000.00"),
           "total": "$580,000.00", "concept": "Juegos infantiles y luminarias solares"}
REFUND = "$370,000.00"  # released (the whole amount, one tranche) − verified (the invoice's total)


@contextmanager
def server_on_its_own_connections(live_server):
    """On SQLite the live server borrows the test's in-memory connection and closes every connection after
    each request: harmless in memory, fatal once the database is a file shared with the worker. While it is,
    the server's request threads open their own connections to that file."""
    server = getattr(live_server.thread, "httpd", None)
    borrowed = getattr(server, "connections_override", None) or {}
    saved = dict(borrowed)
    borrowed.clear()
    try:
        yield
    finally:
        borrowed.update(saved)


@pytest.fixture
def worker(live_server, transactional_db, settings, tmp_path):
    """A real worker for the whole test, on this test's database and on media files both processes read."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}
    with database_shared_with_a_worker(tmp_path) as url, server_on_its_own_connections(live_server), \
            worker_process(tmp_path / "worker.log", DJANGO_SETTINGS_MODULE="tests.worker_settings", DATABASE_URL=url,
                           NICP_TEST_MEDIA_ROOT=str(settings.MEDIA_ROOT)) as process:
        yield process


def the_world(tmp_path) -> tuple[object, dict]:
    """What exists before the cycle: the unit, the published call and the people's accounts."""
    NeighbourhoodFactory(key="07-101", name="Aculco (Pueblo)", latitude=Decimal("19.3578"),
                         longitude=Decimal("-99.0924"))
    call = make_open_call(year=2036, committee_quorum=3)
    people = {
        "coordinator": UserFactory(roles=[StaffRole.COORDINATOR], full_name="Laura Coordinación"),
        "reviewer": UserFactory(roles=[StaffRole.TECHNICAL_REVIEWER], full_name="Arq. Torres"),
        "secretary": UserFactory(roles=[StaffRole.COMMITTEE_SECRETARY], full_name="Secretaría del Comité"),
        "finance": UserFactory(roles=[StaffRole.FINANCE_OFFICER], full_name="Finanzas"),
        **{f"member{i}": UserFactory(full_name=f"Integrante {i} del Comité") for i in range(3)},
        # Neighbours with accounts of their own, whom the election assembly will elect.
        "administration": UserFactory(email="adm@ejemplo.mx", full_name="Marta Administración"),
        "supervision": UserFactory(email="sup@ejemplo.mx", full_name="Jorge Supervisión"),
        "development": UserFactory(email="des@ejemplo.mx", full_name="Lucía Desarrollo"),
    }
    project_rules_save(actor=people["coordinator"], call=call, data={"members_per_committee": 1})
    (tmp_path / "predio.jpg").write_bytes(jpeg_bytes((800, 600)))
    (tmp_path / "obra.jpg").write_bytes(jpeg_bytes((640, 480)))
    for name in ("constancia.pdf", "acta.pdf", "cuenta.pdf"):
        (tmp_path / name).write_bytes(PDF_BYTES)
    return call, people


def test_the_whole_cycle_from_sign_up_to_the_open_data(browser, live_server, worker, tmp_path):
    call, people = the_world(tmp_path)
    cycle = steps.Cycle(browser=browser, live_server=live_server, files=tmp_path, people=people)
    title = "Parque La Ermita"

    # 1. The community, on a phone: sign up, create the group, draft and submit.
    steps.group_signs_up(cycle, email="rosa@ejemplo.mx", password="Clave-larga-2026!",
                         group_name="Vecinas de Aculco", unit_label="Aculco (Pueblo) (07-101)")
    folio = steps.group_drafts_and_submits(cycle, call=call, title=title, budget=BUDGET,
                                           point=("19.357800", "-99.092400"))
    assert Proposal.objects.get(title=title).folio == folio

    # 2. The coordination: eligible, the assembly held, the technical review assigned and delivered.
    steps.staff_accept_hold_the_assembly_and_review(cycle, title=title)
    assert Proposal.objects.get(folio=folio).status == "feasible"

    # 3. The Committee: integrated, the proposal passed to it, scored, the session, the vote, the results.
    steps.committee_scores_sits_and_publishes(cycle, call=call, folio=folio, amount=BUDGET)
    project = Project.objects.get(proposal__folio=folio)
    assert project.approved_amount == BUDGET

    # 4. The project: committees elected and accepted; account, agreement, the tranche released.
    assert steps.project_committees_are_elected(cycle, title=title) == project.pk
    steps.agreement_signed_and_first_tranche_released(cycle, project_id=project.pk, code=project.code)
    project.refresh_from_db()
    assert (project.status, project.released_total) == (ProjectState.IN_EXECUTION, BUDGET)

    # 5. Works: the invoice read, confirmed, endorsed and verified; the works at 100 % with a photo.
    line = BudgetLine.objects.get(proposal=project.proposal)
    steps.expense_with_a_cfdi_endorsed_and_verified(cycle, project_id=project.pk, code=project.code,
                                                    budget_line=line.pk, invoice=INVOICE)
    assert list(project.expenses.values_list("status", flat=True)) == [ExpenseState.VERIFIED]
    steps.progress_report_with_a_photo_endorsed(cycle, project_id=project.pk, percent=100,
                                                summary="Obra terminada: juegos, bancas y luminarias.")

    # 6. Closure, item by item, to «Cerrado».
    steps.closure(cycle, project_id=project.pk, code=project.code, refund=REFUND)
    project.refresh_from_db()
    assert project.status == ProjectState.CLOSED
    assert (project.released_total, project.verified_total) == (BUDGET, Decimal("580000.00"))

    # 7. The worker: the accountability report the coordination asks for, and the nightly open data.
    pdf = steps.accountability_report_built_by_the_worker(cycle, project_id=project.pk)
    assert pdf.startswith(b"%PDF")
    assert project.code in pdf_text(pdf)
    from reports.tasks import build_open_data_snapshots

    build_open_data_snapshots.delay()  # what beat sends every night at 03:00
    snapshots = Report.objects.filter(kind=OPEN_DATA, requested_by__isnull=True)
    wait_until(lambda: snapshots.filter(status=ReportStatus.DONE).count() == len(all_datasets())
               or snapshots.filter(status=ReportStatus.FAILED).exists(), worker, "the open-data snapshots")
    assert not snapshots.exclude(status=ReportStatus.DONE).exists(), list(snapshots.values("params", "error"))

    # Every notice of the cycle (the group's and the staff's) was e-mailed by the worker, not by the server.
    notices = Notice.objects.filter(recipient__email="rosa@ejemplo.mx")
    assert notices.exists()
    wait_until(lambda: not Notice.objects.filter(emailed_at__isnull=True).exists(), worker, "the notices e-mailed")
    sent_here = {message.subject for message in mail.outbox}
    assert not sent_here & set(notices.values_list("subject", flat=True)), sent_here

    # 8. An anonymous visitor on a phone: the map's list, the project's page, the open data.
    anonymous_visitor_finds_the_closed_project(cycle, project)


def anonymous_visitor_finds_the_closed_project(cycle, project) -> None:
    context = cycle.browser.new_context(base_url=cycle.live_server.url, viewport=steps.PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/proyectos/mapa/")
    marker = page.locator("#mapa .leaflet-marker-icon")
    marker.first.wait_for()  # the site's point, typed by the group, is on the map
    assert marker.count() == 1
    steps.narrow(page)
    page.locator(".map-list").get_by_role("link", name=project.title).click()
    page.wait_for_url(f"**/proyectos/{project.code}/")
    assert page.locator(".lead .tag-state").inner_text() == "Cerrado"
    money = page.locator("section#dinero").inner_text()
    for figure in ("$950,000.00 MXN", "$580,000.00 MXN", REFUND):
        assert figure in money, (figure, money)
    assert INVOICE["concept"] in page.locator("section#gastos").inner_text()
    steps.narrow(page)

    page.goto("/datos/")
    steps.narrow(page)
    for filename in ("oc4ids.json", "proyectos.csv"):
        href = page.locator(f'a[href^="/datos/{filename}"]').first.get_attribute("href")
        response = page.request.get(href)
        assert response.status == 200, filename
        assert response.headers["etag"].startswith('"s'), response.headers  # the worker's snapshot, not live
        if filename == "oc4ids.json":
            package = json.loads(response.body())
            mine = [p for p in package["projects"] if p["id"] == ocid(project.code)]
            assert len(mine) == 1 and mine[0]["status"] == "completion", mine
        else:
            rows = csv.reader(io.StringIO(response.body().decode("utf-8-sig")))
            assert any(project.code in row for row in rows)
    context.close()


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

