"""The funded-project journey continued, from a released first tranche to a closed project, each step by the
person who does it, in the browser at phone size (390×844): the administration committee uploads CFDI
invoices and confirms what was read from them, supervision endorses and finance verifies them from its queue
until the first tranche is fully proved; a progress report at 70 % with a photo is endorsed; the second
tranche is requested, approved and released; more spending is proved, the works reach 100 %, the
coordination completes them and generates the handover record, the committee uploads it signed, the
coordination opens accountability, the committee records the assembly, finance records the refund (released
− verified, shown on the page) and the coordination closes. The project page says «Cerrado» and its
timeline tells every step. Every page fits the phone, has no axe finding and no Content-Security-Policy
error; the records (expense states, verified and released totals, refund, status) are checked in the database.

It starts where tests/e2e/test_project_journey.py ends: the project is built through the services up to its
first tranche released (tests/projects/execution_helpers.py::in_execution_project)."""

from decimal import Decimal

import pytest
from django.utils import timezone

from projects.cfdi_samples import cfdi_xml
from projects.models import Expense, Refund
from projects.workflow import ExpenseState, ProjectState, TrancheState
from tests.e2e.sessions import logged_in_page
from tests.e2e.test_money_phone import fits, with_password
from tests.factories import PDF_BYTES
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, issued_a_moment_ago, jpeg
from tests.projects.helpers import staff_people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("boroughs")]

# The first tranche (70 % of $1,000,000) is proved exactly by the first two invoices, each on a budget line
# with room for it; the third is spent from the second tranche, so the refund is less than that tranche.
INVOICES = [
    # folio fiscal, issuer RFC, subtotal, total shown, budget line (index), what was bought
    ("0A1B2C3D-1111-4A5B-8C9D-A1B2C3D4E501", "MAT010101AB1", Decimal("500000.00"), "$580,000.00", 0,
     "Concreto y varilla para la cancha"),
    ("0A1B2C3D-2222-4A5B-8C9D-A1B2C3D4E502", "OBR850101CD2", Decimal("103448.28"), "$120,000.00", 1,
     "Cuadrilla de albañilería"),
    ("0A1B2C3D-3333-4A5B-8C9D-A1B2C3D4E503", "HER900101EF3", Decimal("50000.00"), "$58,000.00", 2,
     "Herramienta para el mantenimiento"),
]


def shows(locator, text):
    """Retried until the page the last click led to has drawn it (as long as the pages' own timeout: a
    generated PDF on a busy machine takes longer than expect's default 5 s)."""
    from playwright.sync_api import expect

    expect(locator).to_contain_text(text, timeout=15_000)


def said(page, text):
    """The flash message after a form is sent."""
    shows(page.locator(".messages"), text)


def test_from_a_released_first_tranche_to_a_closed_project(browser, live_server, tmp_path):
    people = staff_people()
    works = in_execution_project(two_tranche_call(year=2033), people)
    project, today = works.project, timezone.localdate().isoformat()
    assert project.released_total == Decimal("700000.00")
    admin, supervision = with_password(works.admin), with_password(works.supervision)
    coordinator, finance = people["coordinator"], people["finance"]
    pdf = tmp_path / "acta.pdf"
    pdf.write_bytes(PDF_BYTES)
    picture = tmp_path / "obra.jpg"
    picture.write_bytes(jpeg(size=(640, 480)))

    committee = logged_in_page(browser, live_server, admin)
    supervisor = logged_in_page(browser, live_server, supervision)
    staff = logged_in_page(browser, live_server, coordinator)
    money = logged_in_page(browser, live_server, finance)
    console_errors = []
    for page in (committee, supervisor, staff, money):
        page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    def record_invoice(uuid, rfc, subtotal, shown, line, concept):
        """The committee uploads the XML, checks what was read from it and confirms."""
        xml = tmp_path / f"{uuid}.xml"
        xml.write_bytes(cfdi_xml(uuid=uuid, issuer_rfc=rfc, subtotal=subtotal,
                                 issued_at=issued_a_moment_ago(10)))
        committee.goto(f"/seguimiento/{project.pk}/gastos/")
        committee.get_by_role("link", name="Registrar factura (CFDI)").click()
        committee.get_by_label("XML de la factura (CFDI 4.0)").set_input_files(str(xml))
        committee.get_by_role("button", name="Leer la factura").click()
        read = committee.locator(".cfdi-read").inner_text()
        assert uuid in read and rfc in read and shown in read, read
        fits(committee)
        committee.get_by_label("Concepto del presupuesto").select_option(str(works.lines[line].pk))
        committee.get_by_label("Qué se compró o pagó").fill(concept)
        committee.get_by_role("button", name="Registrar la factura").click()
        said(committee, "Factura registrada")
        fits(committee)
        expense = Expense.objects.get(cfdi__uuid=uuid)
        assert expense.status == ExpenseState.RECORDED and f"${expense.amount:,.2f}" == shown
        return expense

    def endorse_expense(concept):
        supervisor.goto(f"/seguimiento/{project.pk}/gastos/?status=recorded")
        supervisor.get_by_role("link", name=concept).click()
        supervisor.get_by_role("button", name="Avalar").click()
        said(supervisor, "Gasto avalado")
        fits(supervisor)

    def verify_from_the_queue(concepts):
        money.goto("/seguimiento/gastos/por-verificar/")
        fits(money)
        for concept in concepts:
            money.get_by_label(f"Verificar «{concept}» de {project.code}").check()
        money.get_by_role("button", name="Verificar seleccionados").click()
        done = f"Se verificaron {len(concepts)} gastos." if len(concepts) > 1 else "Se verificó 1 gasto."
        said(money, done)
        fits(money)

    def report_progress(percent, summary):
        """The committee reports with a photo; supervision endorses from the progress tab."""
        committee.goto(f"/seguimiento/{project.pk}/avance/")
        committee.get_by_role("link", name="Enviar un informe de avance").click()
        committee.get_by_label("Avance físico de la obra (%)").fill(str(percent))
        committee.get_by_label("Qué se hizo en el periodo").fill(summary)
        committee.get_by_label("Fotos").set_input_files(str(picture))
        committee.get_by_role("button", name="Enviar el informe").click()
        said(committee, "Informe enviado")
        # The report's photo is served through the project's view (the thumbnail loads lazily: scroll to it).
        thumbnail = committee.locator("article.report", has_text=summary).locator(".photos img").first
        thumbnail.scroll_into_view_if_needed()
        committee.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
        fits(committee)
        supervisor.goto(f"/seguimiento/{project.pk}/avance/")
        supervisor.get_by_role("link", name="Avalar u observar").click()
        supervisor.get_by_label("Avalar: el informe corresponde a lo que vemos en la obra").check()
        supervisor.get_by_role("button", name="Registrar mi revisión").click()
        said(supervisor, "Informe avalado")
        shows(supervisor.locator(".summary"), f"{percent}.00 %")
        fits(supervisor)
        assert works.refresh().physical_progress == percent

    def closing_step(label, consequence, done):
        staff.goto(f"/seguimiento/{project.pk}/cierre/")
        staff.get_by_label(consequence).check()
        staff.get_by_role("button", name=label).click()
        said(staff, done)  # the next page first: measuring the one being left races its unloading
        fits(staff)

    # 1. The first tranche's spending: two invoices, endorsed by supervision, verified by finance.
    first = [record_invoice(*invoice) for invoice in INVOICES[:2]]
    supervisor.goto(f"/seguimiento/{project.pk}/")  # «Qué sigue» tells supervision what waits for it
    shows(supervisor.locator(".next-step"), "Hay 2 gastos por avalar.")
    supervisor.get_by_role("link", name="Revisar los gastos").click()
    shows(supervisor.get_by_role("table", name="Gastos, los más recientes primero"), INVOICES[1][5])
    for invoice in INVOICES[:2]:
        endorse_expense(invoice[5])
    assert {e.status for e in Expense.objects.filter(pk__in=[e.pk for e in first])} == {ExpenseState.ENDORSED}
    money.goto(f"/seguimiento/{project.pk}/")
    shows(money.locator(".next-step"), "Hay 2 gastos de este proyecto por verificar.")
    verify_from_the_queue([invoice[5] for invoice in INVOICES[:2]])
    assert {e.status for e in Expense.objects.filter(pk__in=[e.pk for e in first])} == {ExpenseState.VERIFIED}
    assert works.refresh().verified_total == Decimal("700000.00")
    assert project.tranches.get(number=1).proved_amount == Decimal("700000.00")

    # 2. A progress report at 70 % with a photo, endorsed.
    report_progress(70, "Cancha colada y gradas levantadas.")

    # 3. The second tranche: requested by the committee, approved by the coordination, released by finance.
    committee.goto(f"/seguimiento/{project.pk}/recursos/")
    committee.get_by_role("button", name="Solicitar la ministración 2").click()
    committee.get_by_text("Solicitada", exact=True).first.wait_for()
    fits(committee)
    staff.goto(f"/seguimiento/{project.pk}/recursos/")
    staff.get_by_role("button", name="Aprobar la ministración 2").click()
    staff.get_by_text("Aprobada", exact=True).first.wait_for()
    fits(staff)
    money.goto("/seguimiento/finanzas/")
    money.get_by_role("link", name=project.code).first.click()
    money.get_by_label("Referencia de la transferencia").fill("SPEI 20330615")
    money.get_by_label("Fecha de la transferencia").fill(today)
    money.get_by_label("Entiendo que al registrar la entrega").check()
    money.get_by_role("button", name="Registrar la entrega de la ministración 2").click()
    money.get_by_text("Entrega registrada.").wait_for()
    fits(money)
    second = project.tranches.get(number=2)
    assert second.status == TrancheState.RELEASED and second.approved_by == coordinator
    assert second.released_by == finance
    assert works.refresh().released_total == Decimal("1000000.00")

    # 4. Part of the second tranche is spent and proved; the works reach 100 %; the coordination completes
    # them and generates the handover record; the committee uploads it signed; accountability opens.
    last = record_invoice(*INVOICES[2])
    endorse_expense(INVOICES[2][5])
    verify_from_the_queue([INVOICES[2][5]])
    last.refresh_from_db()
    assert last.status == ExpenseState.VERIFIED
    assert works.refresh().verified_total == Decimal("758000.00")
    report_progress(100, "Obra terminada: cancha, gradas y luminarias.")

    closing_step("Declarar obras concluidas", "Entiendo que las obras quedan declaradas concluidas", "Obras concluidas")
    staff.get_by_label("Obras que se entregan").fill("Cancha de usos múltiples con gradas y luminarias.")
    staff.get_by_label("Fecha de entrega").fill(today)
    staff.get_by_role("button", name="Generar el acta").click()
    said(staff, "Acta de entrega-recepción generada")
    fits(staff)

    committee.goto(f"/seguimiento/{project.pk}/cierre/")
    committee.get_by_label("Acta de entrega-recepción firmada (PDF)").set_input_files(str(pdf))
    committee.get_by_role("button", name="Cargar el acta firmada").click()
    said(committee, "Acta firmada cargada")
    fits(committee)

    closing_step("Pasar a rendición de cuentas", "Entiendo que el proyecto pasa a rendición de cuentas",
                 "Rendición de cuentas")
    assert works.refresh().status == ProjectState.ACCOUNTABILITY
    assert Refund.objects.get(project=project).amount == Decimal("242000.00")

    # 5. The committee records the accountability assembly with its minutes; finance records the refund,
    # whose amount the page shows as released − verified; the coordination closes.
    committee.goto(f"/seguimiento/{project.pk}/cierre/")
    committee.get_by_label("Fecha de la asamblea").fill(today)
    committee.get_by_label("Personas asistentes").fill("61")
    committee.get_by_label("Qué se informó").fill("Las obras, los $758,000.00 comprobados y el reintegro.")
    committee.get_by_label("Acta de la asamblea (PDF)").set_input_files(str(pdf))
    committee.get_by_role("button", name="Registrar la asamblea").click()
    said(committee, "Asamblea de rendición de cuentas registrada")
    fits(committee)

    money.goto("/seguimiento/finanzas/")
    money.locator("#q-refunds").locator("..").get_by_role("link", name=project.code).click()
    owed = Decimal("1000000.00") - Decimal("758000.00")
    refund_section = money.locator("section", has=money.locator("#refund-title"))
    assert f"Por reintegrar: ${owed:,.2f} MXN (ministrado − comprobado" in refund_section.inner_text()
    money.get_by_label("Referencia de la transferencia").fill("REINT 7788")
    money.get_by_label("Fecha del reintegro").fill(today)
    money.get_by_label("Entiendo que el reintegro queda registrado").check()
    money.get_by_role("button", name="Registrar el reintegro").click()
    said(money, "Reintegro registrado.")
    assert f"Se reintegraron ${owed:,.2f} MXN" in refund_section.inner_text()
    fits(money)
    refund = Refund.objects.get(project=project)
    assert refund.is_recorded and refund.amount == owed and refund.recorded_by == finance
    assert refund.transfer_reference == "REINT 7788"

    closing_step("Cerrar el proyecto", "Entiendo que el proyecto se cierra", "Cerrado")
    assert staff.locator(".checklist li.missing").count() == 0
    project = works.refresh()
    assert project.status == ProjectState.CLOSED
    assert (project.released_total, project.verified_total) == (Decimal("1000000.00"), Decimal("758000.00"))
    assert set(project.expenses.values_list("status", flat=True)) == {ExpenseState.VERIFIED}

    # The committee's project page tells the whole story.
    committee.goto(f"/seguimiento/{project.pk}/")
    assert committee.locator(".summary").get_by_text("Cerrado", exact=True).count() == 1
    timeline = committee.locator(".timeline").inner_text()
    for step in ["Se solicitó una ministración", "La coordinación aprobó una ministración",
                 "Finanzas ministró el recurso", "Se envió un informe de avance",
                 "Supervisión avaló un informe de avance", "Se declararon concluidas las obras",
                 "Se generó el acta de entrega-recepción", "Se cargó el acta de entrega-recepción firmada",
                 "Pasó a rendición de cuentas", "Se abrió un reintegro",
                 "Se registró la asamblea de rendición de cuentas", "Finanzas registró el reintegro",
                 "Se cerró el proyecto"]:
        assert step in timeline, step
    assert timeline.count("Finanzas ministró el recurso") == 2
    assert timeline.count("Supervisión avaló un informe de avance") == 2
    fits(committee)
    committee.goto(f"/seguimiento/{project.pk}/historial/")
    assert "Se cerró el proyecto" in committee.locator("table.cards tbody tr").first.inner_text()
    fits(committee)
    # A Content-Security-Policy violation shows up as a console error: none on any page of the journey.
    assert not [e for e in console_errors if "Content Security Policy" in e], console_errors
