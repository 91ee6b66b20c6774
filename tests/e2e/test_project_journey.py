"""From a published result to a released first tranche, each step by the person who does it, in the
browser at phone size: the election assembly is recorded, the elected people accept, the account is
verified, the agreement is generated, signed and uploaded, and the first tranche is requested, approved and
released by two different staff members. The project's timeline shows every step.

The project comes from the selection's own path (the proposal's `select` transition, whose signal makes
the project, as publication does); publication itself is covered in tests/projects/test_projects_from_results.py."""

import pytest
from django.utils import timezone

from accounts.roles import StaffRole
from projects import services
from projects.models import BankAccount, CommitteeKind, Project
from projects.workflow import ProjectState, TrancheState
from tests.e2e.sessions import logged_in_page
from tests.factories import PDF_BYTES, UserFactory
from tests.projects.conftest import two_tranche_call
from tests.projects.helpers import VALID_CLABE, selected_project, slate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("boroughs")]

PDF = {"name": "documento.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}


def until(check, seconds=10):
    """The server answers before the browser has drawn the page: poll the record for a few seconds."""
    import time

    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.2)
    return True


def fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide"


def test_from_a_selected_proposal_to_a_released_first_tranche(browser, live_server):
    coordinator = UserFactory(roles=[StaffRole.COORDINATOR], full_name="Coordinación")
    finance = UserFactory(roles=[StaffRole.FINANCE_OFFICER], full_name="Finanzas")
    project = selected_project(two_tranche_call(year=2032))
    members = slate(prefix="ruta")
    # The presidents of administration and supervision already have accounts: the election links them.
    admin = UserFactory(email=members[0]["email"], full_name=members[0]["full_name"])
    supervisor = UserFactory(email=members[3]["email"], full_name=members[3]["full_name"])
    assert members[0]["committee"] == CommitteeKind.ADMINISTRATION
    assert members[3]["committee"] == CommitteeKind.SUPERVISION

    # The coordination schedules and records the election assembly.
    staff = logged_in_page(browser, live_server, coordinator)
    staff.goto(f"/seguimiento/{project.pk}/")
    staff.get_by_role("link", name="Programar una asamblea de elección").click()
    staff.get_by_label("Fecha y hora").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_label("Lugar").fill("Parque Central")
    staff.get_by_role("button", name="Programar", exact=True).click()
    staff.get_by_role("link", name="Registrar el resultado").first.click()
    for label, value in [("Asistentes", "80"), ("Votos a favor de la planilla", "70"), ("Votos en contra", "5"),
                         ("Abstenciones", "5")]:
        staff.get_by_label(label).fill(value)
    staff.get_by_label("Acta de la asamblea (PDF)").set_input_files(PDF)
    for kind in CommitteeKind:
        for i, member in enumerate(m for m in members if m["committee"] == kind):
            staff.locator(f'[name="{kind.value}-{i}-full_name"]').fill(member["full_name"])
            staff.locator(f'[name="{kind.value}-{i}-email"]').fill(member["email"])
            staff.locator(f'[name="{kind.value}-{i}-position"]').select_option(member["position"])
    staff.get_by_role("button", name="Registrar el resultado").click()
    staff.get_by_text("Resultado de la asamblea registrado.").wait_for()
    fits(staff)
    project.refresh_from_db()
    assert project.status == ProjectState.AGREEMENT_PENDING

    # The elected presidents accept from their invitation links; the others accept too.
    for person in (admin, supervisor):
        seat = project.seats.get(user=person)
        page = logged_in_page(browser, live_server, person)
        page.goto(f"/seguimiento/invitacion/{seat.token}/")
        page.get_by_role("button", name="Acepto mi lugar en el comité").click()
        page.get_by_text("Aceptaste tu lugar en el comité").wait_for()
        fits(page)
    for seat in project.seats.filter(accepted_at__isnull=True).select_related("user"):
        services.seat_accept(actor=seat.user, token=seat.token)

    # The administration committee registers the account; finance verifies it.
    committee = logged_in_page(browser, live_server, admin)
    committee.goto(f"/seguimiento/{project.pk}/recursos/")
    committee.get_by_label("Banco").fill("Banco del Bienestar")
    committee.get_by_label("Titular de la cuenta").fill("Comité de Administración")
    committee.get_by_label("CLABE").fill(VALID_CLABE)
    committee.get_by_label("Comprobante de la cuenta (PDF)").set_input_files(PDF)
    committee.get_by_role("button", name="Registrar la cuenta").click()
    committee.get_by_text("Cuenta registrada").first.wait_for()
    money = logged_in_page(browser, live_server, finance)
    money.goto(f"/seguimiento/{project.pk}/recursos/")
    money.get_by_label("Verificar: los datos coinciden con el comprobante").check()
    money.get_by_role("button", name="Guardar la revisión").click()
    assert BankAccount.objects.get(project=project).status == BankAccount.Status.VERIFIED

    # The coordination generates the agreement; the committee uploads it signed; finance records the ministry's.
    staff.goto(f"/seguimiento/{project.pk}/recursos/")
    staff.get_by_role("button", name="Generar el convenio").click()
    staff.get_by_role("link", name="Descargar el convenio (PDF)").wait_for()
    committee.goto(f"/seguimiento/{project.pk}/recursos/")
    committee.get_by_label("Convenio firmado por los comités (PDF)").set_input_files(PDF)
    committee.get_by_role("button", name="Cargar", exact=True).click()
    committee.get_by_role("link", name="Descargar el convenio firmado (PDF)").wait_for()
    money.goto(f"/seguimiento/{project.pk}/recursos/")
    money.get_by_label("Fecha en que firmó la Secretaría").fill(timezone.localdate().isoformat())
    money.get_by_label("Entiendo que al registrar la firma").check()
    money.get_by_role("button", name="Registrar la firma").click()
    money.wait_for_load_state()
    assert until(lambda: Project.objects.get(pk=project.pk).status == ProjectState.IN_EXECUTION)

    # The first tranche: requested by the committee, approved by the coordination, released by finance.
    committee.goto(f"/seguimiento/{project.pk}/recursos/")
    committee.get_by_role("button", name="Solicitar la ministración 1").click()
    committee.get_by_text("Solicitada", exact=True).first.wait_for()
    staff.goto(f"/seguimiento/{project.pk}/recursos/")
    staff.get_by_role("button", name="Aprobar la ministración 1").click()
    staff.get_by_text("Aprobada", exact=True).first.wait_for()
    money.goto("/seguimiento/finanzas/")
    money.get_by_role("link", name=project.code).first.click()
    money.get_by_label("Referencia de la transferencia").fill("SPEI 20261128")
    money.get_by_label("Fecha de la transferencia").fill(timezone.localdate().isoformat())
    money.get_by_label("Entiendo que al registrar la entrega").check()
    money.get_by_role("button", name="Registrar la entrega de la ministración 1").click()
    money.get_by_text("Entrega registrada.").wait_for()
    fits(money)
    tranche = project.tranches.get(number=1)
    project.refresh_from_db()
    assert tranche.status == TrancheState.RELEASED and tranche.approved_by == coordinator
    assert tranche.released_by == finance and project.released_total == tranche.amount

    # The committee's page tells the whole story.
    committee.goto(f"/seguimiento/{project.pk}/")
    timeline = committee.locator(".timeline").inner_text()
    for step in ["Se creó el proyecto", "Se programó la asamblea de elección", "Se registró la elección de comités",
                 "aceptó su lugar", "Se registró la cuenta bancaria", "Finanzas verificó la cuenta bancaria",
                 "Se generó el convenio", "Se cargó el convenio firmado", "Se registró la firma del convenio",
                 "Se solicitó una ministración", "La coordinación aprobó una ministración",
                 "Finanzas ministró el recurso"]:
        assert step in timeline, step
    fits(committee)
