"""The expense pages: the project's tab, the invoice read then confirmed, simple receipts, an expense's page
with its actions and files, finance's verification queue, and «qué sigue» for each part."""

import base64
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import Cfdi, Expense, ExpenseEvent
from projects.sat import SatStatus, recorded_answer
from projects.views.expenses import expense_step
from projects.workflow import ExpenseAction, ExpenseState
from tests.factories import PDF_BYTES, UserFactory, upload
from tests.projects.execution_helpers import endorse, in_execution_project, invoice, jpeg, record_invoice, verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(project_call, people):
    return in_execution_project(project_call, people)


def url(name, works, *args):
    return reverse(f"projects:{name}", args=[works.project.pk, *args])


def html(response) -> str:
    return response.content.decode()


def carried_xml(page: str) -> str:
    return re.search(r'name="xml" value="([^"]+)"', page).group(1)


# --- The expenses tab ----------------------------------------------------------------------------------

def test_the_tab_shows_lines_totals_rows_and_the_committees_buttons(client, works, people):
    expense = record_invoice(works, subtotal=Decimal("2000.00"), concept="Varilla corrugada")
    verify(works, expense, people["finance"])
    client.force_login(works.admin)
    page = html(client.get(url("expenses", works)))
    assert "Varilla corrugada" in page and "Materiales de construcción" in page
    assert "$2,320.00" in page  # recorded and verified
    assert "0.23 %" in page  # financial progress: 2,320 ÷ 1,000,000
    assert "Registrar factura (CFDI)" in page and "Registrar recibo simple" in page
    assert 'aria-current="page"' in page and "Gastos" in page  # the tabs, this one current
    client.force_login(works.supervision)
    page = html(client.get(url("expenses", works)))
    assert "Varilla corrugada" in page and "Registrar factura (CFDI)" not in page


def test_the_tab_filters_by_state_and_budget_line(client, works):
    record_invoice(works, line=0, concept="Cemento gris")
    endorse(works, record_invoice(works, line=1, concept="Cuadrilla semana 1"))
    client.force_login(works.supervision)
    page = html(client.get(url("expenses", works), {"status": ExpenseState.RECORDED}))
    assert "Cemento gris" in page and "Cuadrilla semana 1" not in page
    page = html(client.get(url("expenses", works), {"budget_line": works.lines[1].pk}))
    assert "Cuadrilla semana 1" in page and "Cemento gris" not in page
    response = client.get(url("expenses", works), {"status": "nonsense"})
    assert response.status_code == 400 and "Cemento gris" not in html(response)


def test_a_cancelled_invoice_is_flagged_loudly_on_the_tab(client, works):
    expense = record_invoice(works, concept="Block")
    Cfdi.objects.filter(expense=expense).update(sat_status=SatStatus.CANCELLED)
    client.force_login(works.supervision)
    assert "CANCELADA ante el SAT" in html(client.get(url("expenses", works)))


def test_an_over_budget_line_is_flagged(client, works):
    line = works.lines[2]  # 100,000 budgeted
    services.expense_record_invoice(actor=works.admin, project_id=works.project.pk,
                                    xml=upload("f.xml", invoice(subtotal=Decimal("90000"))), budget_line_id=line.pk,
                                    concept="Revolvedora", over_budget_reason="Se descompuso la rentada")
    client.force_login(works.admin)
    page = html(client.get(url("expenses", works)))
    assert "Sobregasto" in page and "Se descompuso la rentada" in page


def _many_expenses(works, count):
    for number in range(count):
        Expense.objects.create(project=works.project, budget_line=works.lines[number % 3], kind=Expense.Kind.SIMPLE,
                               spent_on=timezone.localdate(), supplier=f"Persona {number}", concept=f"Jornal {number}",
                               amount=Decimal("10.00"), receipt_file="projects/recibo.pdf")


def test_the_tabs_query_count_does_not_grow_with_rows(client, works, django_assert_max_num_queries):
    _many_expenses(works, 1)
    client.force_login(works.admin)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        assert client.get(url("expenses", works)).status_code == 200
    _many_expenses(works, 29)
    with django_assert_max_num_queries(len(one)):
        page = html(client.get(url("expenses", works)))
    assert "30 gastos" in page


# --- Recording an invoice: read, then confirm ----------------------------------------------------------

def test_the_preview_shows_what_was_read_and_writes_nothing(client, works):
    xml = invoice(subtotal=Decimal("1500.00"), uuid="6F1A2B3C-1111-4222-8333-944455556666",
                  issuer_rfc="FER990101AA1", issuer_name="FERRETERÍA LA ESQUINA SA DE CV")
    client.force_login(works.admin)
    response = client.post(url("expense_invoice", works), {"xml": upload("f.xml", xml, "text/xml")})
    page = html(response)
    assert response.status_code == 200
    for read in ("6F1A2B3C-1111-4222-8333-944455556666", "FER990101AA1", "FERRETERÍA LA ESQUINA SA DE CV",
                 "$1,500.00", "$1,740.00", "MXN", "I (ingreso)"):
        assert read in page
    assert base64.b64decode(carried_xml(page)) == xml
    assert "— Elige —" in page and 'name="over_budget_reason"' in page
    assert not Expense.objects.exists()


def test_a_refused_xml_shows_its_spanish_reasons_and_cannot_be_confirmed(client, works):
    client.force_login(works.admin)
    response = client.post(url("expense_invoice", works), {"xml": upload("f.xml", invoice(currency="USD"))})
    page = html(response)
    assert response.status_code == 400
    assert "MXN" in page and "Subir otro XML" in page
    assert "expense_invoice_confirm" not in page and "/factura/confirmar/" not in page
    response = client.post(url("expense_invoice", works), {"xml": upload("f.xml", b"no soy xml")})
    assert response.status_code == 400 and "XML" in html(response)
    response = client.post(url("expense_invoice", works), {})
    assert response.status_code == 400 and "Adjunta el archivo XML de la factura." in html(response)
    assert not Expense.objects.exists() and not Cfdi.objects.exists()


def test_a_used_folio_fiscal_is_refused_at_the_preview(client, works):
    record_invoice(works, uuid="AAAAAAAA-1111-4222-8333-944455556666")
    client.force_login(works.admin)
    response = client.post(url("expense_invoice", works),
                           {"xml": upload("f.xml", invoice(uuid="AAAAAAAA-1111-4222-8333-944455556666"))})
    assert response.status_code == 400 and "ya comprueba un gasto" in html(response)


def test_confirming_records_the_invoice_read_again_from_the_xml(client, works):
    xml = invoice(subtotal=Decimal("1000.00"))
    client.force_login(works.admin)
    carried = carried_xml(html(client.post(url("expense_invoice", works), {"xml": upload("f.xml", xml)})))
    response = client.post(url("expense_invoice_confirm", works), {
        "xml": carried, "budget_line": works.lines[0].pk, "concept": "Cemento",
        "pdf": upload("f.pdf", PDF_BYTES, "application/pdf")})
    expense = Expense.objects.get()
    assert response.status_code == 302 and response.url == url("expense_detail", works, expense.pk)
    assert (expense.amount, expense.concept, expense.budget_line_id) == (Decimal("1160.00"), "Cemento",
                                                                          works.lines[0].pk)
    assert expense.cfdi.pdf_file


def test_a_confirm_field_error_keeps_the_input_and_the_xml(client, works):
    xml = invoice()
    client.force_login(works.admin)
    carried = carried_xml(html(client.post(url("expense_invoice", works), {"xml": upload("f.xml", xml)})))
    response = client.post(url("expense_invoice_confirm", works),
                           {"xml": carried, "budget_line": "", "concept": "Arena fina de río"})
    page = html(response)
    assert response.status_code == 400
    assert "Elige el concepto del presupuesto" in page and "Arena fina de río" in page
    assert carried_xml(page) == carried and "Esto leímos del XML" in page
    assert not Expense.objects.exists()


def test_the_confirm_step_never_trusts_the_preview(client, works):
    client.force_login(works.admin)
    bad = base64.b64encode(invoice(currency="USD")).decode()
    response = client.post(url("expense_invoice_confirm", works),
                           {"xml": bad, "budget_line": works.lines[0].pk, "concept": "Cemento"})
    assert response.status_code == 400 and "MXN" in html(response)
    response = client.post(url("expense_invoice_confirm", works),
                           {"xml": "%%% no es base64", "budget_line": works.lines[0].pk, "concept": "Cemento"})
    assert response.status_code == 400 and "súbelo de nuevo" in html(response)
    response = client.post(url("expense_invoice_confirm", works), {
        "xml": base64.b64encode(b"<a>no es factura</a>").decode(), "budget_line": works.lines[0].pk,
        "concept": "Cemento"})
    assert response.status_code == 400 and "Leer la factura" in html(response)
    assert not Expense.objects.exists()


def test_the_over_budget_justification_is_asked_next_to_its_field(client, works):
    xml = invoice(subtotal=Decimal("90000"))
    client.force_login(works.admin)
    carried = carried_xml(html(client.post(url("expense_invoice", works), {"xml": upload("f.xml", xml)})))
    response = client.post(url("expense_invoice_confirm", works),
                           {"xml": carried, "budget_line": works.lines[2].pk, "concept": "Revolvedora"})
    assert response.status_code == 400 and "explica por qué se gasta más" in html(response)
    response = client.post(url("expense_invoice_confirm", works), {
        "xml": carried, "budget_line": works.lines[2].pk, "concept": "Revolvedora",
        "over_budget_reason": "Se descompuso la rentada"})
    assert response.status_code == 302 and Expense.objects.get().over_budget_reason == "Se descompuso la rentada"


def test_only_the_administration_committee_records(client, works, people):
    for user in (works.supervision, people["finance"], people["coordinator"]):
        client.force_login(user)
        assert client.get(url("expense_invoice", works)).status_code == 403
        assert client.get(url("expense_simple", works)).status_code == 403


# --- Simple receipts -------------------------------------------------------------------------------

def test_the_simple_receipt_form_says_what_is_left_and_records(client, works):
    client.force_login(works.admin)
    page = html(client.get(url("expense_simple", works)))
    assert "Te quedan $200,000.00 de recibos simples." in page and 'capture="environment"' in page
    response = client.post(url("expense_simple", works), {
        "budget_line": works.lines[1].pk, "spent_on": timezone.localdate().isoformat(), "supplier": "Juan Pérez",
        "concept": "Jornal albañil", "amount": "1500.50", "receipt": upload("r.jpg", jpeg(), "image/jpeg")})
    expense = Expense.objects.get()
    assert response.status_code == 302 and expense.amount == Decimal("1500.50")
    assert "Te quedan $198,499.50 de recibos simples." in html(client.get(url("expense_simple", works)))


def test_a_simple_receipt_with_errors_keeps_what_was_typed(client, works):
    client.force_login(works.admin)
    response = client.post(url("expense_simple", works), {
        "budget_line": works.lines[1].pk, "spent_on": (timezone.localdate() + timedelta(days=3)).isoformat(),
        "supplier": "María Gómez", "concept": "Jornal ayudante", "amount": "300"})
    page = html(response)
    assert response.status_code == 400
    assert "La fecha del gasto no puede ser futura." in page and "Adjunta el recibo firmado" in page
    assert "María Gómez" in page and "Jornal ayudante" in page
    assert not Expense.objects.exists()


def test_the_cap_of_simple_receipts_is_said_by_the_amount(client, works):
    client.force_login(works.admin)
    response = client.post(url("expense_simple", works), {
        "budget_line": works.lines[1].pk, "spent_on": timezone.localdate().isoformat(), "supplier": "Cuadrilla",
        "concept": "Mano de obra", "amount": "250000", "over_budget_reason": "x",
        "receipt": upload("r.pdf", PDF_BYTES, "application/pdf")})
    assert response.status_code == 400 and "Compruébalo con factura (CFDI)." in html(response)


# --- An expense's page: actions, correction, files -----------------------------------------------

def test_the_detail_shows_the_invoice_its_files_and_history(client, works):
    expense = record_invoice(works, uuid="BBBBBBBB-1111-4222-8333-944455556666")
    endorse(works, expense)
    client.force_login(works.admin)
    page = html(client.get(url("expense_detail", works, expense.pk)))
    assert "BBBBBBBB-1111-4222-8333-944455556666" in page and "Descargar el XML" in page
    assert "Se registró" in page and "Supervisión lo avaló" in page
    assert 'name="action"' not in page  # the administration committee has no action here


def test_supervision_endorses_with_the_version(client, works):
    expense = record_invoice(works)
    client.force_login(works.supervision)
    page = html(client.get(url("expense_detail", works, expense.pk)))
    assert 'value="endorse"' in page and 'value="verify"' not in page
    response = client.post(url("expense_action", works, expense.pk),
                           {"action": "endorse", "endorse-version": expense.version})
    assert response.status_code == 302
    expense.refresh_from_db()
    assert expense.status == ExpenseState.ENDORSED


def test_a_stale_action_is_a_clear_409(client, works):
    expense = record_invoice(works)
    client.force_login(works.supervision)
    response = client.post(url("expense_action", works, expense.pk),
                           {"action": "endorse", "endorse-version": expense.version + 5})
    assert response.status_code == 409 and "Alguien más guardó cambios" in html(response)
    expense.refresh_from_db()
    assert expense.status == ExpenseState.RECORDED


def test_observe_needs_a_note_and_reject_a_confirmation(client, works):
    expense = record_invoice(works)
    client.force_login(works.supervision)
    response = client.post(url("expense_action", works, expense.pk), {"action": "observe", "observe-note": ""})
    assert response.status_code == 400 and "Escribe el motivo" in html(response)
    response = client.post(url("expense_action", works, expense.pk),
                           {"action": "reject", "reject-note": "Factura de otra obra"})
    page = html(response)
    assert response.status_code == 400 and "Marca la casilla para confirmar" in page
    assert "Factura de otra obra" in page
    expense.refresh_from_db()
    assert expense.status == ExpenseState.RECORDED
    response = client.post(url("expense_action", works, expense.pk),
                           {"action": "reject", "reject-note": "Factura de otra obra", "reject-confirm": "on"})
    assert response.status_code == 302
    expense.refresh_from_db()
    assert expense.status == ExpenseState.REJECTED


def test_an_unknown_action_is_refused_without_a_500(client, works):
    expense = record_invoice(works)
    client.force_login(works.supervision)
    assert client.post(url("expense_action", works, expense.pk), {"action": "correct"}).status_code == 400
    assert client.post(url("expense_action", works, expense.pk), {"action": "endorse"}).status_code == 302


def test_the_observed_expense_is_corrected_with_its_note_shown(client, works):
    expense = record_invoice(works)
    services.expense_transition(actor=works.supervision, expense_id=expense.pk, action=ExpenseAction.OBSERVE,
                                note="Va en herramienta, no en materiales")
    expense.refresh_from_db()
    client.force_login(works.admin)
    page = html(client.get(url("expense_correct", works, expense.pk)))
    assert "Va en herramienta, no en materiales" in page and 'name="amount"' not in page
    response = client.post(url("expense_correct", works, expense.pk), {
        "budget_line": works.lines[2].pk, "concept": "", "version": expense.version})
    assert response.status_code == 400 and "Escribe qué se compró o pagó." in html(response)
    response = client.post(url("expense_correct", works, expense.pk), {
        "budget_line": works.lines[2].pk, "concept": "Carretilla", "note": "Cambiado",
        "version": expense.version})
    assert response.status_code == 302
    expense.refresh_from_db()
    assert (expense.status, expense.budget_line_id) == (ExpenseState.RECORDED, works.lines[2].pk)
    client.force_login(works.supervision)
    assert client.get(url("expense_correct", works, expense.pk)).status_code == 403


def test_files_are_served_to_readers_only_and_the_xml_as_an_attachment(client, works, people):
    expense = record_invoice(works)
    client.force_login(works.supervision)
    response = client.get(url("expense_file", works, expense.pk, "xml"))
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/xml"
    assert b"".join(response.streaming_content).startswith(b"<?xml")
    response = client.get(url("expense_file", works, expense.pk, "xml") + "?ver=1")
    assert response["Content-Disposition"].startswith("attachment")
    assert client.get(url("expense_file", works, expense.pk, "pdf")).status_code == 404
    assert client.get(url("expense_file", works, expense.pk, "otro")).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url("expense_file", works, expense.pk, "xml")).status_code == 404
    client.logout()
    assert client.get(url("expense_file", works, expense.pk, "xml")).status_code == 302


# --- Finance's verification queue -----------------------------------------------------------------

def test_the_queue_lists_endorsed_expenses_and_only_finance_acts(client, works, people):
    endorse(works, record_invoice(works, concept="Cemento de la cola"))
    record_invoice(works, concept="Aún sin aval")
    queue = reverse("projects:expense_queue")
    client.force_login(people["finance"])
    page = html(client.get(queue))
    assert "Cemento de la cola" in page and "Aún sin aval" not in page and "Verificar seleccionados" in page
    assert works.project.code in page
    client.force_login(people["coordinator"])
    page = html(client.get(queue))
    assert "Cemento de la cola" in page and "Verificar seleccionados" not in page
    client.force_login(works.supervision)
    assert client.get(queue).status_code == 403


def test_the_queue_filters(client, works, people):
    endorse(works, record_invoice(works, concept="Cemento vigente"))
    cancelled = record_invoice(works, concept="Block cancelado")
    endorse(works, cancelled)
    Cfdi.objects.filter(expense=cancelled).update(sat_status=SatStatus.CANCELLED)
    client.force_login(people["finance"])
    queue = reverse("projects:expense_queue")
    page = html(client.get(queue, {"sat": SatStatus.CANCELLED}))
    assert "Block cancelado" in page and "Cemento vigente" not in page and "CANCELADA ante el SAT" in page
    assert "Cemento vigente" not in html(client.get(queue, {"kind": "simple"}))
    assert "Cemento vigente" in html(client.get(queue, {"code": works.project.code[-4:]}))
    assert "Cemento vigente" not in html(client.get(queue, {"code": "ZZZ-NADA"}))


def test_batch_verify_says_how_many_and_why_each_refusal(client, works, people):
    good = record_invoice(works, concept="Cemento")
    endorse(works, good)
    bad = record_invoice(works, concept="Block")
    endorse(works, bad)
    Cfdi.objects.filter(expense=bad).update(sat_status=SatStatus.CANCELLED)
    client.force_login(people["finance"])
    response = client.post(reverse("projects:expense_batch_verify"),
                           {"expense": [good.pk, bad.pk], "query": "kind=cfdi"}, follow=True)
    page = html(response)
    assert response.redirect_chain[-1][0] == reverse("projects:expense_queue") + "?kind=cfdi"
    assert "Se verificó 1 gasto." in page and "reporta cancelada" in page
    good.refresh_from_db(), bad.refresh_from_db()
    assert (good.status, bad.status) == (ExpenseState.VERIFIED, ExpenseState.ENDORSED)


def test_batch_verify_without_a_selection_is_refused_and_only_for_finance(client, works, people):
    client.force_login(people["finance"])
    response = client.post(reverse("projects:expense_batch_verify"), {})
    assert response.status_code == 400 and "Marca al menos un gasto" in html(response)
    expense = record_invoice(works)
    endorse(works, expense)
    client.force_login(people["coordinator"])
    assert client.post(reverse("projects:expense_batch_verify"), {"expense": [expense.pk]}).status_code == 403
    assert not ExpenseEvent.objects.filter(action="verify").exists()


def test_the_queues_query_count_does_not_grow_with_rows(client, works, people, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _many_expenses(works, 1)
    Expense.objects.update(status=ExpenseState.ENDORSED)
    client.force_login(people["finance"])
    queue = reverse("projects:expense_queue")
    with CaptureQueriesContext(connection) as one:
        assert client.get(queue).status_code == 200
    _many_expenses(works, 29)
    Expense.objects.update(status=ExpenseState.ENDORSED)
    with django_assert_max_num_queries(len(one)):
        page = html(client.get(queue))
    assert "30 gastos por verificar" in page


def test_the_finance_queue_and_start_panel_link_to_the_expense_queue(client, works, people):
    endorse(works, record_invoice(works))
    client.force_login(people["finance"])
    assert "Gastos por verificar (1)" in html(client.get(reverse("projects:finance_queue")))
    page = html(client.get(reverse("dashboard:start")))
    assert reverse("projects:expense_queue") in page and "gasto por verificar" in page


# --- What to do next ----------------------------------------------------------------------------------

def test_next_step_for_each_part(client, works, people):
    observed = record_invoice(works, concept="Observado")
    services.expense_transition(actor=works.supervision, expense_id=observed.pk, action=ExpenseAction.OBSERVE,
                                note="Falta el PDF")
    record_invoice(works, concept="Por avalar")
    endorse(works, record_invoice(works, concept="Por verificar"))
    detail = reverse("projects:detail", args=[works.project.pk])
    client.force_login(works.supervision)
    page = html(client.get(detail))
    assert "Hay 1 gasto por avalar." in page and f"{url('expenses', works)}?status=recorded" in page
    client.force_login(people["finance"])
    page = html(client.get(detail))
    assert "Hay 1 gasto de este proyecto por verificar." in page
    seat = works.project.seats.get(user=works.admin)
    step = expense_step(works.admin, works.project, seat)
    assert step["action"][1] == url("expense_correct", works, observed.pk) and step["tone"] == "error"
    assert expense_step(people["coordinator"], works.project, None) is None


def test_sat_cancelled_after_verification_can_be_revoked_with_confirmation(client, works, people):
    expense = record_invoice(works, uuid="CCCCCCCC-1111-4222-8333-944455556666")
    verify(works, expense, people["finance"])
    with recorded_answer("CCCCCCCC-1111-4222-8333-944455556666", SatStatus.CANCELLED):
        services.sat_recheck_project(project_id=works.project.pk)
    client.force_login(people["finance"])
    page = html(client.get(url("expense_detail", works, expense.pk)))
    assert "CANCELADA" in page and 'value="revoke"' in page
    response = client.post(url("expense_action", works, expense.pk),
                           {"action": "revoke", "revoke-note": "El proveedor la canceló", "revoke-confirm": "on"})
    assert response.status_code == 302
    expense.refresh_from_db()
    assert expense.status == ExpenseState.REJECTED
