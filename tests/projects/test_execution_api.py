"""The works stage in the API: expenses, progress reports, the logbook, site visits and closure, each endpoint
by role, its refusals (4xx with Spanish messages, nothing written) and the lists' query budgets."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from nicp.relations import NOT_FOUND
from projects import services
from projects.models import Expense, LogbookEntry, ProgressReport, Project, SiteVisit, VisitObservation
from projects.sat import SatStatus, recorded_answer
from projects.workflow import ExpenseState, ProjectAction, ProjectState
from tests.api.projects_world import api_for
from tests.factories import PDF_BYTES, UserFactory, upload
from tests.projects.execution_helpers import endorse, in_execution_project, invoice, jpeg, record_invoice, verify
from tests.projects.helpers import selected_project

pytestmark = pytest.mark.django_db

API = "/api/v1"


@pytest.fixture
def works(project_call, people):
    return in_execution_project(project_call, people)


def base(works) -> str:
    return f"{API}/projects/{works.project.pk}"


def xml_file(**options):
    return upload("factura.xml", invoice(**options), "text/xml")


def jpeg_file(name="obra.jpg"):
    return upload(name, jpeg(), "image/jpeg")


def today():
    return timezone.localdate()


def stranger(project_call, people):
    """The administration committee of another project: sees none of this one."""
    other = in_execution_project(project_call, people, released=False)
    return other.admin


# --- Expenses ---------------------------------------------------------------------------------------------

def test_the_committee_reads_an_invoice_before_recording_it_and_nothing_is_written(works):
    client = api_for(works.admin)
    response = client.post(f"{base(works)}/expenses/read-invoice/", {"xml": xml_file(subtotal=Decimal("2500.00"))},
                           format="multipart")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["acceptable"] is True and data["problems"] == []
    assert data["total"] == "2900.00" and data["currency"] == "MXN" and data["kind"] == "I"
    assert Expense.objects.count() == 0
    junk = client.post(f"{base(works)}/expenses/read-invoice/", {"xml": upload("x.xml", b"no soy xml")},
                       format="multipart")
    assert junk.status_code == 400 and junk.json()["xml"]
    missing = client.post(f"{base(works)}/expenses/read-invoice/", {}, format="multipart")
    assert missing.status_code == 400 and "xml" in missing.json()


def test_an_invoice_read_twice_reports_the_duplicate_as_a_problem(works):
    data = invoice()
    record = api_for(works.admin).post(f"{base(works)}/expenses/invoice/", {
        "xml": upload("f.xml", data), "budget_line": works.lines[0].pk, "concept": "Cemento"}, format="multipart")
    assert record.status_code == 201, record.content
    again = api_for(works.admin).post(f"{base(works)}/expenses/read-invoice/", {"xml": upload("f.xml", data)},
                                      format="multipart").json()
    assert again["acceptable"] is False and "ya comprueba un gasto" in again["problems"][0]


def test_the_committee_records_an_invoice_expense_with_every_figure_from_its_xml(works):
    response = api_for(works.admin).post(f"{base(works)}/expenses/invoice/", {
        "xml": xml_file(subtotal=Decimal("1000.00")), "pdf": upload("f.pdf", PDF_BYTES, "application/pdf"),
        "budget_line": works.lines[0].pk, "concept": "Varilla"}, format="multipart")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["kind"], data["status"], data["amount"], data["concept"]) == ("cfdi", "recorded", "1160.00",
                                                                               "Varilla")
    assert data["cfdi"]["uuid"] == Expense.objects.get().cfdi.uuid
    assert data["cfdi"]["sat_status"] in SatStatus.values and data["receipt_url"] is None
    assert set(data["cfdi"]) >= {"xml_url", "pdf_url"}  # URLs of the download view (null until it exists)


def test_invoice_refusals_are_400_by_field_in_spanish_and_write_nothing(works):
    client = api_for(works.admin)
    url = f"{base(works)}/expenses/invoice/"
    missing = client.post(url, {}, format="multipart").json()
    assert {"xml", "budget_line", "concept"} <= set(missing)
    bad_line = client.post(url, {"xml": xml_file(), "budget_line": "99999999999999999999", "concept": "x"},
                           format="multipart")
    assert bad_line.status_code == 400 and "budget_line" in bad_line.json()
    foreign = selected_project(works.project.call).proposal.budget_lines.create(
        chapter="works", concept="Otro", unit="lote", quantity=1, unit_price=10, position=0)
    not_ours = client.post(url, {"xml": xml_file(), "budget_line": foreign.pk, "concept": "x"}, format="multipart")
    assert not_ours.status_code == 400 and "Elige el concepto" in not_ours.json()["budget_line"][0]
    dollars = client.post(url, {"xml": xml_file(currency="USD"), "budget_line": works.lines[0].pk, "concept": "x"},
                          format="multipart")
    assert dollars.status_code == 400 and dollars.json()["xml"]
    assert Expense.objects.count() == 0


def test_a_simple_receipt_is_recorded_and_bad_figures_are_refused(works):
    client = api_for(works.admin)
    url = f"{base(works)}/expenses/simple/"
    body = {"receipt": upload("recibo.pdf", PDF_BYTES, "application/pdf"), "budget_line": works.lines[1].pk,
            "spent_on": today().isoformat(), "supplier": "Juan Pérez", "concept": "Jornales", "amount": "1250.50"}
    response = client.post(url, body, format="multipart")
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == "simple" and response.json()["amount"] == "1250.50"
    for field, value in [("amount", "NaN"), ("amount", "-5"), ("amount", "1e400"), ("spent_on", "2030-02-30"),
                         ("spent_on", "ayer")]:
        refused = client.post(url, {**body, "receipt": upload("r.pdf", PDF_BYTES), field: value}, format="multipart")
        assert refused.status_code == 400 and field in refused.json(), (field, value)
    no_file = client.post(url, {key: value for key, value in body.items() if key != "receipt"}, format="multipart")
    assert no_file.status_code == 400 and "receipt" in no_file.json()
    assert Expense.objects.count() == 1


@pytest.mark.parametrize("path", ["invoice/", "simple/", "read-invoice/"])
def test_only_the_administration_committee_records_expenses(works, people, project_call, path):
    for user in [works.supervision, people["coordinator"], people["finance"]]:
        response = api_for(user).post(f"{base(works)}/expenses/{path}", {}, format="multipart")
        assert response.status_code == 403 and response.json()["detail"], user
    assert api_for(people["auditor"]).post(f"{base(works)}/expenses/{path}", {}).status_code == 403
    hidden = api_for(stranger(project_call, people)).post(f"{base(works)}/expenses/{path}", {}, format="multipart")
    assert hidden.status_code == 404 and hidden.json()["detail"] == str(NOT_FOUND)
    assert api_for(None).post(f"{base(works)}/expenses/{path}", {}).status_code == 403


def test_the_expense_path_through_supervision_and_finance(works, people):
    expense = record_invoice(works)
    url = f"{API}/expenses/{expense.pk}/transitions/"
    assert api_for(works.admin).post(url, {"action": "endorse"}, format="json").status_code == 403
    stale = api_for(works.supervision).post(url, {"action": "endorse", "version": 9}, format="json")
    assert stale.status_code == 409
    no_note = api_for(works.supervision).post(url, {"action": "observe"}, format="json")
    assert no_note.status_code == 400 and "note" in no_note.json()
    observed = api_for(works.supervision).post(url, {"action": "observe", "note": "Falta el PDF."}, format="json")
    assert observed.status_code == 200 and observed.json()["status"] == "observed"
    correct = api_for(works.admin).post(f"{API}/expenses/{expense.pk}/correct/", {
        "budget_line": works.lines[0].pk, "concept": "Cemento gris", "note": "Listo."}, format="multipart")
    assert correct.status_code == 200 and correct.json()["status"] == "recorded", correct.content
    assert correct.json()["concept"] == "Cemento gris"
    assert api_for(works.supervision).post(url, {"action": "endorse"}, format="json").json()["status"] == "endorsed"
    verified = api_for(people["finance"]).post(url, {"action": "verify"}, format="json")
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    assert Project.objects.get(pk=works.project.pk).verified_total == expense.amount
    wrong = api_for(people["finance"]).post(url, {"action": "correct"}, format="json")
    assert wrong.status_code == 400 and "action" in wrong.json()


def test_expense_transitions_refuse_bad_bodies_and_unknown_or_hidden_expenses(works, people, project_call):
    expense = record_invoice(works)
    client = api_for(works.supervision)
    for body in [{}, {"action": "fly"}, {"action": "endorse", "version": "x"}, {"action": ["endorse"]},
                 {"action": "endorse", "version": 10**30}]:
        response = client.post(f"{API}/expenses/{expense.pk}/transitions/", body, format="json")
        assert response.status_code == 400, body
    for pk in ["999999", "99999999999999999999999"]:
        assert client.post(f"{API}/expenses/{pk}/transitions/", {"action": "endorse"},
                           format="json").status_code == 404
    hidden = api_for(stranger(project_call, people)).get(f"{API}/expenses/{expense.pk}/")
    assert hidden.status_code == 404
    assert Expense.objects.get(pk=expense.pk).status == ExpenseState.RECORDED


def test_finance_verifies_a_batch_and_hears_why_each_refused_one_was(works, people):
    good = [record_invoice(works, concept=f"Compra {n}") for n in range(2)]
    for expense in good:
        endorse(works, expense)
    not_endorsed = record_invoice(works)
    cancelled = record_invoice(works)
    endorse(works, cancelled)
    cancelled.cfdi.sat_status = SatStatus.CANCELLED
    cancelled.cfdi.save()
    ids = [expense.pk for expense in good] + [not_endorsed.pk, cancelled.pk, 2_000_000_000]
    response = api_for(people["finance"]).post(f"{API}/expenses/verify/", {"ids": ids}, format="json")
    assert response.status_code == 200, response.content
    data = response.json()
    assert sorted(data["verified"]) == sorted(expense.pk for expense in good)
    refused = {row["id"]: row["reason"] for row in data["refused"]}
    assert set(refused) == {not_endorsed.pk, cancelled.pk, 2_000_000_000}
    assert "cancelada" in refused[cancelled.pk] and all(refused.values())
    assert api_for(works.supervision).post(f"{API}/expenses/verify/", {"ids": ids}, format="json").status_code == 403
    for body in [{}, {"ids": []}, {"ids": "1"}, {"ids": [0]}, {"ids": [10**30]}, {"ids": list(range(1, 300))}]:
        assert api_for(people["finance"]).post(f"{API}/expenses/verify/", body, format="json").status_code == 400


def test_the_expense_lists_filter_and_read_only_what_each_person_sees(works, people, project_call):
    invoice_expense = record_invoice(works)
    simple = services.expense_record_simple(
        actor=works.admin, project_id=works.project.pk, budget_line_id=works.lines[1].pk, spent_on=today(),
        supplier="Ana", concept="Jornal", amount=Decimal("500"), receipt=upload("r.pdf", PDF_BYTES))
    endorse(works, invoice_expense)
    finance = api_for(people["finance"])
    everything = finance.get(f"{API}/expenses/").json()
    assert everything["count"] == 2 and everything["results"][0]["id"] == simple.pk  # newest first
    queue = finance.get(f"{API}/expenses/?status=endorsed&ordering=updated_at").json()["results"]
    assert [row["id"] for row in queue] == [invoice_expense.pk]
    assert [row["id"] for row in finance.get(f"{API}/expenses/?kind=simple").json()["results"]] == [simple.pk]
    valid_ones = finance.get(f"{API}/expenses/?sat_status={invoice_expense.cfdi.sat_status}").json()["results"]
    assert [row["id"] for row in valid_ones] == [invoice_expense.pk]
    by_line = finance.get(f"{API}/expenses/?budget_line={works.lines[1].pk}").json()["results"]
    assert [row["id"] for row in by_line] == [simple.pk]
    per_project = api_for(works.supervision).get(f"{base(works)}/expenses/").json()
    assert per_project["count"] == 2
    for query in ["status=nope", "budget_line=99999999999999999999", "project=abc", "ordering=amount",
                  "sat_status=x", "project=999999"]:
        assert finance.get(f"{API}/expenses/?{query}").status_code == 400, query
    outsider = stranger(project_call, people)
    assert api_for(outsider).get(f"{API}/expenses/").json()["count"] == 0
    assert api_for(outsider).get(f"{base(works)}/expenses/").status_code == 404
    assert api_for(UserFactory()).get(f"{API}/expenses/").json()["count"] == 0
    assert api_for(None).get(f"{API}/expenses/").status_code == 403
    detail = api_for(works.development).get(
        f"{API}/expenses/{simple.pk}/").json()
    assert detail["kind"] == "simple" and detail["cfdi"] is None


def _grow(works, count):
    for n in range(count):
        record_invoice(works, subtotal=Decimal("100.00"), concept=f"Compra {n}")


def test_the_expense_lists_cost_the_same_queries_for_1_and_30_rows(works, people):
    def cost(url, user):
        with CaptureQueriesContext(connection) as queries:
            response = api_for(user).get(url)
        assert response.status_code == 200
        return len(queries), response.json()["count"]

    _grow(works, 1)
    global_one, project_one = cost(f"{API}/expenses/", people["finance"]), cost(f"{base(works)}/expenses/",
                                                                               works.admin)
    _grow(works, 29)
    assert cost(f"{API}/expenses/", people["finance"]) == (global_one[0], 30)
    assert cost(f"{base(works)}/expenses/", works.admin) == (project_one[0], 30)


# --- Progress reports ---------------------------------------------------------------------------------------

def test_a_progress_report_with_photos_goes_through_supervision(works, people):
    url = f"{base(works)}/reports/"
    assert api_for(works.supervision).post(url, {}, format="multipart").status_code == 403
    no_photo = api_for(works.admin).post(url, {"physical_percent": "40", "summary": "Cimientos."},
                                         format="multipart")
    assert no_photo.status_code == 400 and "photos" in no_photo.json()
    for percent in ["101", "-1", "NaN", "abc"]:
        bad = api_for(works.admin).post(url, {"physical_percent": percent, "summary": "x", "photos": [jpeg_file()]},
                                        format="multipart")
        assert bad.status_code == 400 and "physical_percent" in bad.json(), percent
    not_a_photo = api_for(works.admin).post(url, {"physical_percent": "40", "summary": "x",
                                                  "photos": [upload("a.jpg", b"no")]}, format="multipart")
    assert not_a_photo.status_code == 400 and "photos" in not_a_photo.json()
    assert ProgressReport.objects.count() == 0
    sent = api_for(works.admin).post(url, {"physical_percent": "40", "summary": "Cimientos.",
                                           "photos": [jpeg_file(), jpeg_file("b.jpg")]}, format="multipart")
    assert sent.status_code == 201, sent.content
    report = sent.json()
    assert report["status"] == "submitted" and len(report["photos"]) == 2
    transitions = f"{url}{report['id']}/transitions/"
    assert api_for(people["coordinator"]).post(transitions, {"action": "endorse"}, format="json").status_code == 403
    observed = api_for(works.supervision).post(transitions, {"action": "observe", "note": "Faltan fotos."},
                                               format="json")
    assert observed.status_code == 200 and observed.json()["status"] == "observed"
    corrected = api_for(works.admin).post(transitions, {"action": "correct", "physical_percent": "45",
                                                        "summary": "Cimientos y muros.", "photos": [jpeg_file()]},
                                          format="multipart")
    assert corrected.status_code == 200 and len(corrected.json()["photos"]) == 3, corrected.content
    endorsed = api_for(works.supervision).post(transitions, {"action": "endorse"}, format="json")
    assert endorsed.status_code == 200 and endorsed.json()["status"] == "endorsed"
    assert Project.objects.get(pk=works.project.pk).physical_progress == Decimal("45")
    listed = api_for(people["auditor"]).get(url).json()
    assert listed["count"] == 1 and listed["results"][0]["photos"][0]["id"]
    assert api_for(works.admin).post(f"{url}999999/transitions/", {"action": "endorse"}).status_code == 404


# --- Logbook --------------------------------------------------------------------------------------------------

def test_the_logbook_is_written_and_read_but_never_edited_or_deleted(works, people, project_call):
    url = f"{base(works)}/logbook/"
    first = api_for(works.admin).post(url, {"happened_on": today().isoformat(), "text": "Llegó el cemento.",
                                            "photos": [jpeg_file()]}, format="multipart")
    assert first.status_code == 201, first.content
    entry = first.json()
    assert entry["author_role"] and len(entry["photos"]) == 1
    correction = api_for(people["coordinator"]).post(url, {"happened_on": today().isoformat(),
                                                           "text": "Eran 40 bultos.", "corrects": entry["id"]},
                                                     format="multipart")
    assert correction.status_code == 201 and correction.json()["corrects"] == entry["id"]
    for method in ["put", "patch", "delete"]:
        for target in [url, f"{url}{entry['id']}/"]:
            response = getattr(api_for(works.admin), method)(target, {"text": "cambiado"}, format="json")
            assert response.status_code == 405, (method, target)
    assert LogbookEntry.objects.get(pk=entry["id"]).text == "Llegó el cemento."
    assert api_for(works.development).get(
        f"{url}{entry['id']}/").json()["text"] == "Llegó el cemento."
    assert api_for(people["auditor"]).get(url).json()["count"] == 2


def test_logbook_refusals(works, people, project_call):
    url = f"{base(works)}/logbook/"
    client = api_for(works.admin)
    for body in [{}, {"happened_on": "2030-13-01", "text": "x"}, {"happened_on": today().isoformat(), "text": ""},
                 {"happened_on": (today() + timedelta(days=2)).isoformat(), "text": "x"},
                 {"happened_on": today().isoformat(), "text": "x", "corrects": "99999999999999"},
                 {"happened_on": today().isoformat(), "text": "x", "corrects": "999999"}]:
        response = client.post(url, body, format="multipart")
        assert response.status_code == 400, (body, response.content)
    assert LogbookEntry.objects.count() == 0
    assert api_for(people["auditor"]).post(url, {}).status_code == 403
    assert api_for(stranger(project_call, people)).post(url, {}, format="multipart").status_code == 404
    assert api_for(UserFactory()).get(url).status_code == 404


# --- Site visits and observations ---------------------------------------------------------------------------

def test_a_visit_with_observations_the_committee_answers_and_the_coordination_settles(works, people):
    url = f"{base(works)}/visits/"
    due = (today() + timedelta(days=10)).isoformat()
    assert api_for(works.admin).post(url, {}, format="json").status_code == 403
    visit = api_for(people["coordinator"]).post(url, {
        "visited_on": today().isoformat(), "findings": "Obra al 40 %.",
        "observations": [{"text": "Señalizar la zanja.", "answer_due_on": due}]}, format="json")
    assert visit.status_code == 201, visit.content
    observation = visit.json()["observations"][0]
    assert observation["status"] == "open"
    with_photos = api_for(people["coordinator"]).post(url, {
        "visited_on": today().isoformat(), "findings": "Segunda visita.", "photos": [jpeg_file()],
        "observations": f'[{{"text": "Limpiar el área.", "answer_due_on": "{due}"}}]'}, format="multipart")
    assert with_photos.status_code == 201, with_photos.content
    assert len(with_photos.json()["photos"]) == 1 and len(with_photos.json()["observations"]) == 1
    observations = f"{base(works)}/observations/"
    assert api_for(works.supervision).get(observations).json()["count"] == 2
    answer = f"{observations}{observation['id']}/answer/"
    assert api_for(people["coordinator"]).post(answer, {"answer": "x"}, format="json").status_code == 403
    assert api_for(works.admin).post(answer, {}, format="json").status_code == 400
    answered = api_for(works.admin).post(answer, {"answer": "Se puso cinta."}, format="json")
    assert answered.status_code == 200 and answered.json()["status"] == "answered"
    settle = f"{observations}{observation['id']}/settle/"
    assert api_for(works.admin).post(settle, {"settled": True}, format="json").status_code == 403
    no_note = api_for(people["coordinator"]).post(settle, {"settled": False}, format="json")
    assert no_note.status_code == 400 and "note" in no_note.json()
    settled = api_for(people["coordinator"]).post(settle, {"settled": True}, format="json")
    assert settled.status_code == 200 and settled.json()["status"] == "settled"
    assert VisitObservation.objects.get(pk=observation["id"]).status == "settled"


def test_visit_refusals(works, people):
    url = f"{base(works)}/visits/"
    client = api_for(people["coordinator"])
    for body in [{}, {"visited_on": today().isoformat(), "findings": "x", "observations": "no es json"},
                 {"visited_on": today().isoformat(), "findings": "x", "observations": [{"text": "x"}]},
                 {"visited_on": today().isoformat(), "findings": "x",
                  "observations": [{"text": "x", "answer_due_on": today().isoformat()}]},
                 {"visited_on": "9999-12-31", "findings": "x"}]:
        response = client.post(url, body, format="json")
        assert response.status_code == 400, (body, response.content)
    assert SiteVisit.objects.count() == 0
    junk = client.post(url, {"visited_on": today().isoformat(), "findings": "x", "observations": "[1, 2"},
                       format="multipart")
    assert junk.status_code == 400 and "observations" in junk.json()
    assert client.post(f"{base(works)}/observations/99999999999999999/answer/", {"answer": "x"},
                       format="json").status_code == 404


# --- Closure ----------------------------------------------------------------------------------------------------

def _endorsed_report(works, percent):
    report = services.progress_report_submit(actor=works.admin, project_id=works.project.pk,
                                             physical_percent=percent, summary="Avance.", photos=[jpeg_file()])
    services.progress_report_transition(actor=works.supervision, report_id=report.pk, action="endorse")


def test_closure_through_the_api_item_by_item(works, people):
    coordinator, finance = people["coordinator"], people["finance"]
    url = f"{base(works)}/closure/"
    verify(works, record_invoice(works, subtotal=Decimal("333333.33")), finance)
    checklist = api_for(works.development).get(url).json()
    assert checklist["ready"] is False and {item["code"] for item in checklist["checklist"]} >= {"progress",
                                                                                                  "handover"}
    assert checklist["handover"] is None and checklist["refund"] is None
    _endorsed_report(works, 100)
    services.project_transition(actor=coordinator, project_id=works.project.pk, action=ProjectAction.COMPLETE_WORKS)
    assert api_for(works.admin).post(f"{url}handover/", {}, format="json").status_code == 403
    bad = api_for(coordinator).post(f"{url}handover/", {"works_delivered": "Parque.", "delivered_on": "2030-02-30"},
                                    format="json")
    assert bad.status_code == 400 and "delivered_on" in bad.json()
    generated = api_for(coordinator).post(f"{url}handover/", {"works_delivered": "Parque rehabilitado.",
                                                              "delivered_on": today().isoformat()}, format="json")
    assert generated.status_code == 200 and generated.json()["handover"]["works_delivered"] == "Parque rehabilitado."
    assert api_for(works.admin).post(f"{url}handover/signed/", {}, format="multipart").status_code == 400
    not_pdf = api_for(works.admin).post(f"{url}handover/signed/", {"signed_file": jpeg_file()}, format="multipart")
    assert not_pdf.status_code == 400 and "signed_file" in not_pdf.json()
    signed = api_for(works.admin).post(f"{url}handover/signed/", {"signed_file": upload("a.pdf", PDF_BYTES)},
                                       format="multipart")
    assert signed.status_code == 200 and signed.json()["handover"]["signed_uploaded_at"]
    services.project_transition(actor=coordinator, project_id=works.project.pk,
                                action=ProjectAction.OPEN_ACCOUNTABILITY)
    too_early = api_for(coordinator).post(f"{url}close/", {}, format="json")
    assert too_early.status_code == 400 and too_early.json()["detail"]
    assembly = {"held_on": today().isoformat(), "attendance": "54", "reported": "Todo el gasto.",
                "minutes_file": upload("acta.pdf", PDF_BYTES)}
    for field, value in [("attendance", "0"), ("attendance", "1e9"), ("held_on", "mañana")]:
        refused = api_for(works.admin).post(f"{url}accountability/", {**assembly, field: value,
                                                                      "minutes_file": upload("a.pdf", PDF_BYTES)},
                                            format="multipart")
        assert refused.status_code == 400 and field in refused.json()
    recorded = api_for(works.admin).post(f"{url}accountability/", assembly, format="multipart")
    assert recorded.status_code == 200 and recorded.json()["accountability"]["attendance"] == 54
    assert api_for(coordinator).post(f"{url}refund/", {}, format="json").status_code == 403
    assert api_for(finance).post(f"{url}refund/", {"transfer_reference": "R-1"}, format="json").status_code == 400
    refund = api_for(finance).post(f"{url}refund/", {"transfer_reference": "REINT-9",
                                                     "transfer_date": today().isoformat()}, format="json")
    assert refund.status_code == 200 and refund.json()["refund"]["amount"] == "313333.34"
    assert api_for(finance).post(f"{url}close/", {}, format="json").status_code == 403
    closed = api_for(coordinator).post(f"{url}close/", {"note": "Cierre."}, format="json")
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == ProjectState.CLOSED and closed.json()["ready"] is True


def test_a_cancelled_invoice_found_at_closure_blocks_it_in_the_api(works, people):
    expense = record_invoice(works)
    verify(works, expense, people["finance"])
    Project.objects.filter(pk=works.project.pk).update(status=ProjectState.ACCOUNTABILITY, physical_progress=100)
    with recorded_answer(expense.cfdi.uuid, SatStatus.CANCELLED):
        refused = api_for(people["coordinator"]).post(f"{base(works)}/closure/close/", {}, format="json")
    assert refused.status_code == 400 and any("cancelada" in message for message in refused.json()["detail"])
    assert Project.objects.get(pk=works.project.pk).status == ProjectState.ACCOUNTABILITY


def test_closure_endpoints_hide_the_project_from_strangers(works, people, project_call):
    outsider = api_for(stranger(project_call, people))
    assert outsider.get(f"{base(works)}/closure/").status_code == 404
    for path in ["handover/", "handover/signed/", "accountability/", "refund/", "close/"]:
        assert outsider.post(f"{base(works)}/closure/{path}", {}, format="json").status_code == 404, path
        assert api_for(people["auditor"]).post(f"{base(works)}/closure/{path}", {}).status_code == 403, path


# --- Query budgets of the works lists ------------------------------------------------------------------------

def test_the_reports_logbook_visits_and_observations_lists_cost_the_same_for_1_and_30_rows(works, people):
    admin, coordinator = works.admin, people["coordinator"]
    due = today() + timedelta(days=5)

    def add(n):
        for _ in range(n):
            LogbookEntry.objects.create(project=works.project, happened_on=today(), text="x", author=admin,
                                        author_role="Administración")
            visit = SiteVisit.objects.create(project=works.project, visited_on=today(), findings="x",
                                             recorded_by=coordinator)
            VisitObservation.objects.create(visit=visit, project=works.project, text="x", answer_due_on=due)
            ProgressReport.objects.create(project=works.project, due_on=today(), physical_percent=1, summary="x",
                                          submitted_by=admin, status="endorsed")

    def costs():
        found = []
        for path in ["reports/", "logbook/", "visits/", "observations/"]:
            with CaptureQueriesContext(connection) as queries:
                assert api_for(coordinator).get(f"{base(works)}/{path}").status_code == 200
            found.append(len(queries))
        return found

    add(1)
    one = costs()
    add(29)
    assert costs() == one


# --- Junk in every field, by each role: a 4xx with a message, never a 5xx ------------------------------------

def _writes(works, people):
    """(who may act, method, url, a valid-shaped body) of each write: the body is read only after the role is
    checked, so junk goes to someone who gets that far. "multipart" sends every value as form text."""
    expense = record_invoice(works)
    coordinator, finance, admin = people["coordinator"], people["finance"], works.admin
    visit = services.site_visit_record(actor=coordinator, project_id=works.project.pk, visited_on=today(),
                                       findings="x", observations=[("Señalizar", today() + timedelta(days=5))])
    observation = visit.observations.get()
    report = services.progress_report_submit(actor=admin, project_id=works.project.pk, physical_percent=5,
                                             summary="x", photos=[jpeg_file()])
    day = today().isoformat()
    return [
        (works.supervision, "post", f"{API}/expenses/{expense.pk}/transitions/", {"action": "endorse", "note": "n"}),
        (admin, "multipart", f"{API}/expenses/{expense.pk}/correct/", {
            "budget_line": works.lines[0].pk, "concept": "c", "amount": "10", "spent_on": day}),
        (finance, "post", f"{API}/expenses/verify/", {"ids": [expense.pk]}),
        (admin, "multipart", f"{base(works)}/expenses/simple/", {
            "budget_line": works.lines[0].pk, "spent_on": day, "supplier": "s", "concept": "c", "amount": "10"}),
        (works.supervision, "post", f"{base(works)}/reports/{report.pk}/transitions/", {
            "action": "observe", "note": "n", "physical_percent": "5"}),
        (admin, "multipart", f"{base(works)}/logbook/", {"happened_on": day, "text": "t", "corrects": 1}),
        (coordinator, "post", f"{base(works)}/visits/", {
            "visited_on": day, "findings": "f", "observations": [{"text": "t", "answer_due_on": day}]}),
        (admin, "post", f"{base(works)}/observations/{observation.pk}/answer/", {"answer": "a"}),
        (coordinator, "post", f"{base(works)}/observations/{observation.pk}/settle/", {"settled": False, "note": "n"}),
        (coordinator, "post", f"{base(works)}/closure/handover/", {"works_delivered": "w", "delivered_on": day}),
        (admin, "multipart", f"{base(works)}/closure/accountability/", {
            "held_on": day, "attendance": 3, "reported": "r"}),
        (finance, "post", f"{base(works)}/closure/refund/", {"transfer_reference": "r", "transfer_date": day}),
        (coordinator, "post", f"{base(works)}/closure/close/", {"note": "n"}),
    ]


def test_junk_in_each_field_of_each_works_write_is_never_a_server_error(works, people):
    from tests.security.test_input_sweep_api import FIXED, leaves, replaced, send

    for user, method, url, body in _writes(works, people):
        client = api_for(user)
        for path in [*list(leaves(body))[1:], ("version",)]:
            for junk in FIXED:
                send(client, method, url, replaced(body, path, junk))
    for junk in ["abc", "-1", "0", "1e30", "1" * 25, "9999-12-31", "x" * 3000, "", "true"]:
        for param in ["page", "ordering", "project", "status", "kind", "sat_status", "budget_line"]:
            assert api_for(people["finance"]).get(f"{API}/expenses/", {param: junk}).status_code < 500


def test_file_urls_point_to_the_page_routes_and_are_null_while_a_route_is_missing():
    from django.urls import reverse

    from projects.api.execution_serializers import file_url

    assert file_url({}, "detail", pk=7) == reverse("projects:detail", args=[7])
    assert file_url({}, "no_such_download", pk=7) is None
