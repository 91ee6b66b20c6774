"""At phone size (390×844), from a project at 100 % with every expense verified: the coordination declares
the works completed and generates the handover record, the administration committee uploads it signed,
the coordination opens accountability, the committee records the assembly, finance records the refund
from its queue, and the coordination closes. Every page fits the screen and passes axe."""

from decimal import Decimal

import pytest
from django.utils import timezone

from projects import services
from projects.models import Refund
from projects.workflow import ProjectState, ReportAction
from tests.e2e.sessions import logged_in_page
from tests.e2e.test_money_phone import fits, with_password
from tests.factories import PDF_BYTES
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, photo, record_invoice, verify
from tests.projects.helpers import staff_people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("boroughs")]


def at_full_progress():
    people = staff_people()
    works = in_execution_project(two_tranche_call(), people)
    verify(works, record_invoice(works, subtotal=Decimal("200000.00")), people["finance"])
    report = services.progress_report_submit(actor=works.admin, project_id=works.project.pk, physical_percent=100,
                                             summary="Obra terminada.", photos=[photo()])
    services.progress_report_transition(actor=works.supervision, report_id=report.pk, action=ReportAction.ENDORSE)
    return works, people


def closing_step(page, label, consequence, note=""):
    if note:
        page.get_by_label("Motivo o nota").fill(note)
    page.get_by_label(consequence).check()
    page.get_by_role("button", name=label).click()


def test_a_project_is_closed_from_a_phone(browser, live_server, tmp_path):
    works, people = at_full_progress()
    project, today = works.project, timezone.localdate().isoformat()
    closure = f"/seguimiento/{project.pk}/cierre/"
    pdf = tmp_path / "acta.pdf"
    pdf.write_bytes(PDF_BYTES)
    admin = with_password(works.admin)

    coordination = logged_in_page(browser, live_server, people["coordinator"])
    coordination.goto(f"/seguimiento/{project.pk}/")
    assert "Las obras van al 100 %: declara las obras concluidas." in coordination.content()
    coordination.get_by_role("link", name="Ir al cierre").click()
    fits(coordination)
    closing_step(coordination, "Declarar obras concluidas", "Entiendo que las obras quedan declaradas concluidas")
    assert "Obras concluidas" in coordination.locator(".messages").inner_text()
    coordination.get_by_label("Obras que se entregan").fill("Parque rehabilitado con juegos y luminarias.")
    coordination.get_by_label("Fecha de entrega").fill(today)
    coordination.get_by_role("button", name="Generar el acta").click()
    assert "Acta de entrega-recepción generada" in coordination.locator(".messages").inner_text()
    assert coordination.get_by_role("link", name="Acta de entrega-recepción (PDF para firmar)").count() == 1
    fits(coordination)

    committee = logged_in_page(browser, live_server, admin)
    committee.goto(closure)
    committee.get_by_label("Acta de entrega-recepción firmada (PDF)").set_input_files(str(pdf))
    committee.get_by_role("button", name="Cargar el acta firmada").click()
    assert "Acta firmada cargada" in committee.locator(".messages").inner_text()
    fits(committee)

    coordination.goto(closure)
    closing_step(coordination, "Pasar a rendición de cuentas", "Entiendo que el proyecto pasa a rendición de cuentas")
    assert "Rendición de cuentas" in coordination.locator(".messages").inner_text()
    refund = Refund.objects.get(project=project)
    assert refund.amount == Decimal("700000.00") - Decimal("232000.00")

    committee.goto(f"/seguimiento/{project.pk}/")
    committee.get_by_role("link", name="Registrar la asamblea").click()
    committee.get_by_label("Fecha de la asamblea").fill(today)
    committee.get_by_label("Personas asistentes").fill("0")
    committee.get_by_label("Qué se informó").fill("Las obras, el gasto comprobado y el reintegro.")
    committee.get_by_label("Acta de la asamblea (PDF)").set_input_files(str(pdf))
    committee.get_by_role("button", name="Registrar la asamblea").click()
    assert "al menos una" in committee.locator("#id_assembly_attendance_error").inner_text()
    assert committee.get_by_label("Qué se informó").input_value() == "Las obras, el gasto comprobado y el reintegro."
    fits(committee)
    committee.get_by_label("Personas asistentes").fill("54")
    committee.get_by_label("Acta de la asamblea (PDF)").set_input_files(str(pdf))
    committee.get_by_role("button", name="Registrar la asamblea").click()
    assert "Asamblea de rendición de cuentas registrada" in committee.locator(".messages").inner_text()

    finance = logged_in_page(browser, live_server, people["finance"])
    finance.goto("/seguimiento/finanzas/")
    assert "1 reintegro por registrar" in finance.content()
    fits(finance)
    finance.locator("#q-refunds").locator("..").get_by_role("link", name=project.code).click()
    assert "$468,000.00 MXN" in finance.content()
    finance.get_by_label("Referencia de la transferencia").fill("REINT 4471")
    finance.get_by_label("Fecha del reintegro").fill(today)
    finance.get_by_label("Entiendo que el reintegro queda registrado").check()
    finance.get_by_role("button", name="Registrar el reintegro").click()
    assert "Reintegro registrado." in finance.locator(".messages").inner_text()
    fits(finance)

    coordination.goto(closure)
    closing_step(coordination, "Cerrar el proyecto", "Entiendo que el proyecto se cierra", note="Cumplido.")
    assert "Cerrado" in coordination.locator(".messages").inner_text()
    assert coordination.locator(".checklist li.missing").count() == 0
    fits(coordination)
    project.refresh_from_db()
    assert project.status == ProjectState.CLOSED
