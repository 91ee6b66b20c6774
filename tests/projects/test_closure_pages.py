"""The «Cierre y documentos» tab: the checklist item by item, the documents served only to the project's
readers, the handover, accountability and refund forms per role (errors by their field, input kept,
nothing written), the coordination's closing steps (close refused with the missing items, through the
SAT recheck), the suspension and cancellation banners, and refunds in finance's queue."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import AccountabilityAssembly, Cfdi, Handover, Project, Refund
from projects.sat import SatStatus, recorded_answer
from projects.workflow import ProjectAction, ProjectState, ReportAction
from tests.factories import PDF_BYTES, UserFactory, upload
from tests.projects.execution_helpers import in_execution_project, photo, record_invoice, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(project_call, people):
    return in_execution_project(project_call, people)


def full_progress(works, people, *, subtotal=Decimal("100000.00")):
    """One verified invoice and an endorsed report at 100 %."""
    expense = record_invoice(works, subtotal=subtotal)
    verify(works, expense, people["finance"])
    report = services.progress_report_submit(actor=works.admin, project_id=works.project.pk, physical_percent=100,
                                             summary="Obra terminada.", photos=[photo()])
    services.progress_report_transition(actor=works.supervision, report_id=report.pk, action=ReportAction.ENDORSE)
    return expense


def completed(works, people):
    full_progress(works, people)
    services.project_transition(actor=people["coordinator"], project_id=works.project.pk,
                                action=ProjectAction.COMPLETE_WORKS)
    return works.refresh()


def handed_over(works, people):
    completed(works, people)
    services.handover_generate(actor=people["coordinator"], project_id=works.project.pk,
                               works_delivered="Parque con juegos.", delivered_on=timezone.localdate())
    services.handover_upload_signed(actor=works.admin, project_id=works.project.pk,
                                    upload=upload("acta.pdf", PDF_BYTES))
    return works.refresh()


def in_accountability(works, people):
    handed_over(works, people)
    services.project_transition(actor=people["coordinator"], project_id=works.project.pk,
                                action=ProjectAction.OPEN_ACCOUNTABILITY)
    return works.refresh()


def page(client, user, project):
    client.force_login(user)
    response = client.get(reverse("projects:closure", args=[project.pk]))
    assert response.status_code == 200
    return response.content.decode()


def url(name, project, **kwargs):
    return reverse(f"projects:{name}", kwargs={"pk": project.pk, **kwargs})


def step(client, user, project, action, **fields):
    client.force_login(user)
    data = {"action": action, "from": "closure", f"{action}-version": project.version,
            **{f"{action}-{name}": value for name, value in fields.items()}}
    return client.post(reverse("projects:action", args=[project.pk]), data)


# --- The tab ------------------------------------------------------------------------------------------

def test_the_tab_lists_each_checklist_item_done_or_what_is_missing(client, works, people):
    html = page(client, works.admin, works.project)
    assert 'aria-current="page">Cierre y documentos' in html
    assert "Avance físico al 100 %" in html and "Va en 0.00 % (último informe avalado)." in html
    assert "Falta generar el acta." in html and "Falta registrar la asamblea con su acta." in html
    assert "Por reintegrar: $700,000.00 MXN" in html  # the checklist item says the computed figure
    assert html.count('class="missing"') == 4  # progress, handover, assembly, refund
    assert html.count('class="done"') == 2  # no expense open, no cancelled invoice
    # the agreement (from the money pages) is among the documents
    assert reverse("projects:agreement_signed_pdf", args=[works.project.pk]) in html


def test_the_tab_is_read_by_the_project_readers_only(client, works, people):
    for user in (works.admin, works.supervision, works.development, people["auditor"], people["finance"]):
        page(client, user, works.project)
    client.force_login(UserFactory())
    assert client.get(url("closure", works.project)).status_code == 404


def test_the_coordination_sees_the_closing_step_the_state_allows(client, works, people):
    html = page(client, people["coordinator"], works.project)
    assert "Pasos de cierre de la coordinación" in html and 'value="complete_works"' in html
    assert 'value="suspend"' not in html  # suspension and cancellation stay on the project's page
    for user in (people["finance"], people["auditor"], works.admin):
        assert "Pasos de cierre" not in page(client, user, works.project)


def test_the_tab_reads_a_constant_number_of_queries(client, works, people):
    client.force_login(people["coordinator"])
    target = url("closure", works.project)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(target).status_code == 200
        return len(captured)

    record_invoice(works)
    before = count()
    for _ in range(4):
        verify(works, record_invoice(works), people["finance"])
        record_invoice(works, subtotal=Decimal("50.00"))
    assert count() == before


# --- Completing works and the handover ----------------------------------------------------------------------

def test_complete_works_refused_lists_what_is_missing_next_to_the_button(client, works, people):
    response = step(client, people["coordinator"], works.project, "complete_works", confirm="on", note="Listo")
    assert response.status_code == 400
    html = response.content.decode()
    assert "No se pudo; falta:" in html and "Avance físico al 100 %: Va en 0.00 %" in html
    assert "Listo" in html  # the note stays as typed
    assert works.refresh().status == ProjectState.IN_EXECUTION


def test_complete_works_from_the_tab_comes_back_to_it(client, works, people):
    full_progress(works, people)
    response = step(client, people["coordinator"], works.project, "complete_works", confirm="on")
    assert response.status_code == 302 and response["Location"] == url("closure", works.project)
    assert works.refresh().status == ProjectState.WORKS_COMPLETED


def test_the_coordination_generates_the_handover_and_its_errors_keep_what_was_typed(client, works, people):
    project = completed(works, people)
    html = page(client, people["coordinator"], project)
    assert "Generar el acta de entrega-recepción" in html
    client.force_login(people["coordinator"])
    response = client.post(url("handover_generate", project), {"works_delivered": "Parque con luminarias",
                                                               "delivered_on": "2001-01-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_handover_delivered_on_error"' in html and "entre el inicio de la ejecución y hoy" in html
    assert "Parque con luminarias" in html
    assert not Handover.objects.filter(project=project).exists()
    response = client.post(url("handover_generate", project), {"works_delivered": "Parque con luminarias",
                                                               "delivered_on": timezone.localdate().isoformat()})
    assert response.status_code == 302 and response["Location"] == url("closure", project)
    handover = Handover.objects.get(project=project)
    assert handover.generated_file and handover.works_delivered == "Parque con luminarias"
    generated = client.get(url("handover_file", project, which="generada"))
    assert generated.status_code == 200 and generated["Content-Type"] == "application/pdf"
    assert b"".join(generated.streaming_content).startswith(b"%PDF")
    assert client.get(url("handover_file", project, which="firmada")).status_code == 404  # not signed yet
    assert client.get(url("handover_file", project, which="otra")).status_code == 404


def test_only_the_coordination_generates_the_handover(client, works, people):
    project = completed(works, people)
    for user in (works.admin, people["finance"]):
        assert "Generar el acta" not in page(client, user, project)
        response = client.post(url("handover_generate", project), {"works_delivered": "x",
                                                                   "delivered_on": timezone.localdate().isoformat()})
        assert response.status_code == 403
    assert not Handover.objects.filter(project=project).exists()


def test_the_committee_uploads_the_signed_handover_and_a_non_pdf_is_refused_by_its_field(client, works, people):
    project = completed(works, people)
    services.handover_generate(actor=people["coordinator"], project_id=project.pk, works_delivered="Parque.",
                               delivered_on=timezone.localdate())
    html = page(client, works.admin, project)
    assert "Cargar el acta de entrega-recepción firmada" in html
    assert "Imprime el acta de entrega-recepción, fírmenla los comités" in client.get(
        reverse("projects:detail", args=[project.pk])).content.decode()  # «Qué sigue»
    response = client.post(url("handover_upload", project), {"signed_file": upload("acta.txt", b"hola")})
    assert response.status_code == 400
    assert 'id="id_handover_signed_signed_file_error"' in response.content.decode()
    assert not Handover.objects.get(project=project).signed_file
    response = client.post(url("handover_upload", project), {"signed_file": upload("acta.pdf", PDF_BYTES)})
    assert response.status_code == 302
    assert Handover.objects.get(project=project).signed_file
    signed = client.get(url("handover_file", project, which="firmada"))  # the same path as the upload's
    assert signed.status_code == 200 and b"".join(signed.streaming_content) == PDF_BYTES


def test_the_handover_files_are_served_only_to_the_project_readers(client, works, people):
    project = handed_over(works, people)
    outsider = in_execution_project(two_call(), people).admin  # a committee member of another project
    for which in ("generada", "firmada"):
        for user in (works.development, people["auditor"]):
            client.force_login(user)
            assert client.get(url("handover_file", project, which=which)).status_code == 200
        client.force_login(outsider)
        assert client.get(url("handover_file", project, which=which)).status_code == 404
        client.logout()
        assert client.get(url("handover_file", project, which=which)).status_code == 302


def two_call():
    from tests.projects.conftest import two_tranche_call

    return two_tranche_call(year=2030)


# --- Accountability, refund, close -------------------------------------------------------------------------

def test_open_accountability_opens_the_refund_and_the_committee_records_the_assembly(client, works, people):
    project = handed_over(works, people)
    html = page(client, people["coordinator"], project)
    assert 'value="open_accountability"' in html
    response = step(client, people["coordinator"], project, "open_accountability", confirm="on")
    assert response.status_code == 302
    refund = Refund.objects.get(project=project)
    assert refund.amount == Decimal("700000.00") - Decimal("116000.00")
    html = page(client, works.admin, project)
    assert "Registrar la asamblea de rendición de cuentas" in html
    response = client.post(url("accountability_record", project), {
        "held_on": timezone.localdate().isoformat(), "attendance": "0", "reported": "Se informó el gasto.",
        "minutes_file": upload("acta.pdf", PDF_BYTES)})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_assembly_attendance_error"' in html and "al menos una" in html
    assert "Se informó el gasto." in html
    assert not AccountabilityAssembly.objects.filter(project=project).exists()
    response = client.post(url("accountability_record", project), {
        "held_on": timezone.localdate().isoformat(), "attendance": "54", "reported": "Se informó el gasto.",
        "minutes_file": upload("acta.pdf", PDF_BYTES)})
    assert response.status_code == 302
    assert AccountabilityAssembly.objects.get(project=project).attendance == 54
    minutes = client.get(url("accountability_minutes", project))
    assert minutes.status_code == 200 and b"".join(minutes.streaming_content) == PDF_BYTES
    client.force_login(UserFactory())
    assert client.get(url("accountability_minutes", project)).status_code == 404


def test_finance_records_the_computed_refund(client, works, people):
    project = in_accountability(works, people)
    html = page(client, people["finance"], project)
    assert "Por reintegrar: <strong>$584,000.00 MXN</strong>" in html
    assert 'name="amount"' not in html  # the amount is computed, never typed
    detail = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "Registra el reintegro de $584,000.00 MXN" in detail  # «Qué sigue» for finance
    response = client.post(url("refund_record", project), {"transfer_reference": "REINT-77",
                                                           "transfer_date": timezone.localdate().isoformat()})
    assert response.status_code == 400  # not confirmed: nothing written, input kept
    html = response.content.decode()
    assert "Marca la casilla para confirmar" in html and "REINT-77" in html
    assert not Refund.objects.get(project=project).is_recorded
    response = client.post(url("refund_record", project), {"transfer_reference": "", "confirm": "on",
                                                           "transfer_date": timezone.localdate().isoformat()})
    assert response.status_code == 400
    assert 'id="id_refund_transfer_reference_error"' in response.content.decode()
    response = client.post(url("refund_record", project), {"transfer_reference": "REINT-77", "confirm": "on",
                                                           "transfer_date": timezone.localdate().isoformat()})
    assert response.status_code == 302
    refund = Refund.objects.get(project=project)
    assert refund.is_recorded and refund.amount == Decimal("584000.00") and refund.transfer_reference == "REINT-77"
    for user in (people["coordinator"], works.admin):
        client.force_login(user)
        assert client.post(url("refund_record", project), {}).status_code == 403


def test_close_refused_shows_the_missing_items_as_a_list_next_to_the_button(client, works, people):
    project = in_accountability(works, people)
    response = step(client, people["coordinator"], project, "close", confirm="on")
    assert response.status_code == 400
    html = response.content.decode()
    errors = html.split('<ul class="errorlist nonfield">')[1].split("</ul>")[0]
    assert "Asamblea de rendición de cuentas registrada" in errors
    assert "Reintegro de lo no ejercido o no comprobado" in errors
    assert errors.count("<li>") == 2
    assert works.refresh().status == ProjectState.ACCOUNTABILITY


def test_close_without_the_checkbox_is_refused_next_to_it(client, works, people):
    project = in_accountability(works, people)
    response = step(client, people["coordinator"], project, "close")
    assert response.status_code == 400
    assert 'id="id_close-confirm_error"' in response.content.decode()


def test_close_asks_the_sat_first_and_a_cancelled_invoice_blocks_it(client, works, people):
    project = in_accountability(works, people)
    services.accountability_record(actor=works.admin, project_id=project.pk, held_on=timezone.localdate(),
                                   attendance=40, reported="Todo.", minutes=upload("acta.pdf", PDF_BYTES))
    services.refund_record(actor=people["finance"], project_id=project.pk, transfer_reference="R-1",
                           transfer_date=timezone.localdate())
    invoice = Cfdi.objects.get(expense__project=project)
    with recorded_answer(invoice.uuid, SatStatus.CANCELLED):
        response = step(client, people["coordinator"], works.refresh(), "close", confirm="on")
    assert response.status_code == 400
    assert "Ninguna factura cancelada ante el SAT" in response.content.decode()
    assert Cfdi.objects.get(pk=invoice.pk).sat_status == SatStatus.CANCELLED
    assert works.refresh().status == ProjectState.ACCOUNTABILITY


def test_the_whole_closure_from_the_tab(client, works, people):
    project = in_accountability(works, people)
    detail = reverse("projects:detail", args=[project.pk])
    client.force_login(works.admin)
    assert "Celebra la asamblea de rendición de cuentas" in client.get(detail).content.decode()
    services.accountability_record(actor=works.admin, project_id=project.pk, held_on=timezone.localdate(),
                                   attendance=40, reported="Todo.", minutes=upload("acta.pdf", PDF_BYTES))
    client.force_login(people["coordinator"])
    assert "Antes de cerrar el proyecto falta:" in client.get(detail).content.decode()
    services.refund_record(actor=people["finance"], project_id=project.pk, transfer_reference="R-1",
                           transfer_date=timezone.localdate())
    assert "La lista de cierre está completa: cierra el proyecto." in client.get(detail).content.decode()
    response = step(client, people["coordinator"], works.refresh(), "close", confirm="on", note="Cumplido.")
    assert response.status_code == 302
    assert works.refresh().status == ProjectState.CLOSED
    html = page(client, people["coordinator"], project)
    assert 'class="missing"' not in html and "Pasos de cierre" not in html
    assert "Se reintegraron <strong>$584,000.00 MXN</strong>" in html


# --- «Qué sigue» for the coordination --------------------------------------------------------------------------

def test_the_coordination_is_told_the_closing_step_that_is_due(client, works, people):
    detail = reverse("projects:detail", args=[works.project.pk])
    full_progress(works, people)
    client.force_login(people["coordinator"])
    assert "Las obras van al 100 %: declara las obras concluidas." in client.get(detail).content.decode()
    services.project_transition(actor=people["coordinator"], project_id=works.project.pk,
                                action=ProjectAction.COMPLETE_WORKS)
    assert "genera el acta de entrega-recepción" in client.get(detail).content.decode()
    services.handover_generate(actor=people["coordinator"], project_id=works.project.pk, works_delivered="Parque.",
                               delivered_on=timezone.localdate())
    html = client.get(detail).content.decode()
    assert "Antes de pasar a rendición de cuentas falta:" in html and "Falta cargar el acta firmada." in html
    services.handover_upload_signed(actor=works.admin, project_id=works.project.pk,
                                    upload=upload("acta.pdf", PDF_BYTES))
    assert "Todo está listo: pasa el proyecto a rendición de cuentas." in client.get(detail).content.decode()


# --- Suspension and cancellation on the project's page ---------------------------------------------------------

def act(client, user, project, action, **fields):
    client.force_login(user)
    data = {"action": action, f"{action}-version": project.version,
            **{f"{action}-{name}": value for name, value in fields.items()}}
    return client.post(reverse("projects:action", args=[project.pk]), data)


def test_a_suspended_project_says_why_and_that_its_tranches_are_withheld(client, works, people):
    detail = reverse("projects:detail", args=[works.project.pk])
    client.force_login(works.admin)
    assert "Suspendido:" not in client.get(detail).content.decode()
    response = act(client, people["coordinator"], works.project, "suspend", note="Obra detenida sin aviso.",
                   confirm="on")
    assert response.status_code == 302
    for user in (works.admin, people["coordinator"]):
        client.force_login(user)
        html = client.get(detail).content.decode()
        assert "<strong>Suspendido:</strong> Obra detenida sin aviso.</p>" in html
        assert "Las ministraciones están retenidas mientras dure la suspensión." in html
    assert 'value="resume"' in html
    assert "Suspendido:" in page(client, works.admin, works.project)  # the closure tab shows it too
    act(client, people["coordinator"], works.refresh(), "resume", note="Sigue la obra.", confirm="on")
    client.force_login(works.admin)
    assert "Suspendido:" not in client.get(detail).content.decode()


def test_cancelling_says_the_refund_opened_and_its_amount(client, works, people):
    verify(works, record_invoice(works, subtotal=Decimal("100000.00")), people["finance"])
    response = act(client, people["coordinator"], works.project, "cancel", note="Incumplimiento del convenio.",
                   confirm="on")
    assert response.status_code == 302
    html = client.get(response["Location"]).content.decode()
    assert "Se abrió un reintegro de $584,000.00 MXN" in html  # the notice after the action
    assert "<strong>Cancelado:</strong> Incumplimiento del convenio." in html
    assert "Reintegro de $584,000.00 MXN (ministrado − comprobado): pendiente de que Finanzas lo registre." in html
    services.refund_record(actor=people["finance"], project_id=works.project.pk, transfer_reference="R-9",
                           transfer_date=timezone.localdate())
    html = client.get(reverse("projects:detail", args=[works.project.pk])).content.decode()
    assert "referencia R-9." in html


def test_the_banner_costs_no_query_on_a_running_project(client, works, people):
    from django.template import Context, Template

    project = Project.objects.get(pk=works.project.pk)
    template = Template("{% load projects_closure %}{% project_banner project %}")
    with CaptureQueriesContext(connection) as captured:
        assert template.render(Context({"project": project})).strip() == ""
    assert len(captured) == 0


# --- Finance's queue ---------------------------------------------------------------------------------------------

def test_the_finance_queue_lists_refunds_to_record_oldest_first(client, project_call, people):
    first = in_execution_project(project_call, people)
    second = in_execution_project(project_call, people)
    for works in (first, second):
        services.project_transition(actor=people["coordinator"], project_id=works.project.pk,
                                    action=ProjectAction.CANCEL, note="Abandono.")
    client.force_login(people["finance"])
    html = client.get(reverse("projects:finance_queue")).content.decode()
    assert "2 reintegros por registrar" in html and "Cancelación del proyecto" in html
    section = html.split('id="q-refunds"')[1]
    assert section.index(first.project.code) < section.index(second.project.code)
    assert f'href="{url("closure", first.project)}#refund-title"' in section
    start = client.get(reverse("dashboard:start")).content.decode()
    assert "<strong>2</strong> reintegros por registrar" in start
    services.refund_record(actor=people["finance"], project_id=first.project.pk, transfer_reference="R-1",
                           transfer_date=timezone.localdate())
    html = client.get(reverse("projects:finance_queue")).content.decode()
    assert "1 reintegro por registrar" in html and first.project.code not in html.split('id="q-refunds"')[1]


def test_an_empty_refund_section_says_so(client, people):
    client.force_login(people["auditor"])
    assert "Ningún reintegro espera registro." in client.get(reverse("projects:finance_queue")).content.decode()
