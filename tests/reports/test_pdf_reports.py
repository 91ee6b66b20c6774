# ruff: noqa: F811  (the fixtures imported from the committee and project tests are parameters here)
"""The two PDF reports: the Committee's results (ranking with scores and sheets, budget fill, borough caps,
waitlist, votes) and a project's accountability report (agreement, tranches, expenses by budget line with
their CFDI, totals, progress with photographs, logbook, visits, closure). Each is asked for and built
through the report services, and its text read back with pypdf."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format
from pypdf import PdfReader

from committees import services as committee_services
from projects import services as project_services
from projects.models import CommitteeSeat, Project, ProjectPhoto
from projects.workflow import ReportAction
from proposals.models import Call
from proposals.services import proposal_transition
from proposals.workflow import ProposalAction
from reports import registry
from reports.builders.committee_results import alphabetical
from reports.models import Report, ReportStatus
from reports.services import report_build, report_request
from tests.committees.conftest import committee, committee_call, coordinator, members, shortlist  # noqa: F401
from tests.factories import PDF_BYTES, UserFactory, upload
from tests.projects.conftest import people, project, project_call  # noqa: F401
from tests.projects.execution_helpers import in_execution_project, photo, record_invoice, verify
from tests.projects.test_closure_pages import in_accountability

pytestmark = pytest.mark.django_db

# Proposal i's score from four of the five members; the first member gives the odd ones a point less,
# so the averages are 5.000, 4.800, 4.000, 3.800… and the ranking follows the proposals' order.
BASE_SCORES = [5, 5, 4, 4, 3, 3, 2, 2]


def build(actor, kind, params):
    report, _created = report_request(actor=actor, kind=kind, params=params)
    report = report_build(report_id=report.pk)
    assert report.status == ReportStatus.DONE, report.error
    return report


def pdf_text(report) -> str:
    report.file.open("rb")
    try:
        reader = PdfReader(io.BytesIO(report.file.read()))
    finally:
        report.file.close()
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_reader(report) -> PdfReader:
    report.file.open("rb")
    try:
        return PdfReader(io.BytesIO(report.file.read()))
    finally:
        report.file.close()


def embedded_images(report) -> set[bytes]:
    """The distinct images the PDF draws (pypdf lists a shared image once per page that can reach it)."""
    return {image.data for page in pdf_reader(report).pages for image in page.images}


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


# --- Committee results ----------------------------------------------------------------------------------

def score(committee, shortlist, *, skip=()):
    """Every member scores every proposal (but the (member, proposal) pairs in `skip`)."""
    rubric = list(committee.call.rubric.all())
    for number, member in enumerate(members(committee)):
        for i, proposal in enumerate(shortlist):
            if (number, i) in skip:
                continue
            value = BASE_SCORES[i] - (1 if number == 0 and i % 2 else 0)
            committee_services.score_save(actor=member.user, proposal_id=proposal.pk, submit=True,
                                          values={str(c.pk): {"value": value, "comment": ""} for c in rubric})


def close_session(committee, shortlist, *, against=1):
    """Scores (the last member leaves the last proposal unscored), the session with every member, the
    votes (`against` of them against) and the close."""
    score(committee, shortlist, skip={(4, 7)})
    session = committee_services.session_open(
        actor=committee.secretary, committee=committee, held_on=timezone.localdate(),
        present_member_ids=[m.pk for m in members(committee)],
        unscored_decision="Se abre con la hoja pendiente: no cambia la selección.")
    for number, member in enumerate(members(committee)):
        committee_services.vote_cast(actor=member.user, session_id=session.pk,
                                     choice="against" if number < against else "for")
    return committee_services.session_close(actor=committee.secretary, session_id=session.pk)


@pytest.fixture
def capped_call(committee_call):
    """Budget for five proposals, one per borough at most (four boroughs), two places on the waitlist."""
    Call.objects.filter(pk=committee_call.pk).update(max_selected_per_borough=1)
    committee_call.refresh_from_db()
    return committee_call


@pytest.fixture
def results_closed(capped_call, committee, shortlist):
    close_session(committee, shortlist)
    return committee


def test_the_results_pdf_has_the_ranking_scores_sheets_budget_fill_waitlist_and_votes(results_closed, shortlist,
                                                                                      coordinator):
    report = build(coordinator, "committee_results", {"call": str(results_closed.call_id)})
    text = pdf_text(report)
    assert report.rows == 8 and report.title == "Resultados del Comité Técnico Mixto — Convocatoria 2028"
    ranking = between(text, "Prelación y puntajes", "Llenado del presupuesto")
    # rank, folio, title, borough, average score and sheets, in rank order.
    first, second, last = shortlist[0], shortlist[1], shortlist[7]
    assert re.search(rf"1 {first.folio} {first.title} {first.neighbourhood.borough.name} 5\.000 5 ", ranking)
    assert re.search(rf"2 {second.folio} {second.title} \S.* 4\.800 5 ", ranking)
    assert re.search(rf"8 {last.folio} {last.title} \S.* 1\.750 4 ", ranking)  # 4 sheets: (2+2+2+1)/4
    assert [ranking.index(p.folio) for p in shortlist] == sorted(ranking.index(p.folio) for p in shortlist)
    # One per borough: the four best fill four places; the fifth best is waitlisted although money is left.
    fill = between(text, "Llenado del presupuesto", "Propuestas en lista de espera")
    assert "$4,000,000.00" in fill and "Total seleccionado $4,000,000.00 $1,000,000.00" in fill
    assert re.search(rf"4 {shortlist[3].folio} .* \$1,000,000\.00 \$4,000,000\.00 \$1,000,000\.00", fill)
    assert "tope: 1 por alcaldía" in fill and fill.count("Alcanzado") == 4
    waitlist = between(text, "Propuestas en lista de espera", "Votación de la sesión")
    assert shortlist[4].folio in waitlist and shortlist[5].folio in waitlist
    assert not any(p.folio in waitlist for p in shortlist[:4] + shortlist[6:])
    votes = text[text.index("Votación de la sesión"):]
    assert "A favor: 4; En contra: 1; Abstención: 0" in votes and "quórum: 3" in votes
    assert "Integrante 0 Servidora o servidor público En contra" in votes


def test_the_results_pdf_is_tagged_in_spanish_and_counts_its_progress(results_closed, coordinator):
    report = build(coordinator, "committee_results", {"call": results_closed.call_id})
    catalog = pdf_reader(report).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog.get("/Lang") == "es"
    assert report.progress == 100 and report.file.name.endswith(".pdf")


def test_a_withdrawal_after_publication_shows_the_entry_out_and_the_waitlist_moved_up(results_closed, shortlist,
                                                                                      coordinator):
    committee_services.results_publish(actor=coordinator, call=results_closed.call)
    leaving, promoted, still_waiting = shortlist[0], shortlist[4], shortlist[5]
    representative = leaving.group.memberships.get(role="representative").user
    proposal_transition(actor=representative, proposal_id=leaving.pk, action=ProposalAction.WITHDRAW,
                        note="Ya no podemos")
    text = pdf_text(build(coordinator, "committee_results", {"call": results_closed.call_id}))
    ranking = between(text, "Prelación y puntajes", "Llenado del presupuesto")
    assert re.search(rf"1 {leaving.folio} .* Fuera de la selección 2 ", ranking)
    assert re.search(rf"5 {promoted.folio} .* Seleccionada 6 ", ranking)
    fill = between(text, "Llenado del presupuesto", "Propuestas en lista de espera")
    assert leaving.folio not in fill and promoted.folio in fill and "Total seleccionado $4,000,000.00" in fill
    waitlist = between(text, "Propuestas en lista de espera", "Cambios posteriores")
    assert still_waiting.folio in waitlist and promoted.folio not in waitlist
    changes = between(text, "Cambios posteriores a la votación", "Votación de la sesión")
    assert f"{leaving.folio}: votada como «Seleccionada», fuera de la selección." in changes
    assert f"{promoted.folio}: votada como «Lista de espera», ahora «Seleccionada»" in changes
    assert "Pasa de la lista de espera" in changes


def test_the_minutes_the_report_points_to_print_amounts_and_scores_the_mexican_way(results_closed):
    session = results_closed.sessions.get()
    session.minutes.open("rb")
    try:
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(session.minutes.read())).pages)
    finally:
        session.minutes.close()
    assert "$5,000,000.00 MXN" in text and "4.800" in text
    assert "5,000,000,00" not in text and "4,800" not in text


def test_boroughs_are_listed_as_people_read_them():
    names = ["Tlalpan", "Álvaro Obregón", "Coyoacán", "Azcapotzalco"]
    assert sorted(names, key=alphabetical) == ["Álvaro Obregón", "Azcapotzalco", "Coyoacán", "Tlalpan"]


def test_the_results_report_is_refused_until_the_session_is_closed(committee, shortlist, coordinator):
    for params, message in [({"call": "tres"}, "Elige la convocatoria"),
                            ({"call": committee.call_id + 999}, "Esa convocatoria no existe"),
                            ({"call": committee.call_id}, "aún no tiene resultados")]:
        with pytest.raises(ValidationError) as refused:
            report_request(actor=coordinator, kind="committee_results", params=params)
        assert message in " ".join(refused.value.messages)


def test_who_may_ask_for_the_results(capped_call, results_closed, shortlist, staff, applicant):
    call = results_closed.call
    for role in ("coordinator", "auditor", "committee_secretary", "finance_officer"):
        assert report_request(actor=staff[role], kind="committee_results", params={"call": call.pk})[0].pk
    for person in (staff["technical_reviewer"], applicant, shortlist[0].group.members.first()):
        with pytest.raises(PermissionDenied):
            report_request(actor=person, kind="committee_results", params={"call": call.pk})
    member = members(results_closed)[1].user
    with pytest.raises(PermissionDenied):  # a Committee member: once the results are public
        report_request(actor=member, kind="committee_results", params={"call": call.pk})
    committee_services.results_publish(actor=staff["coordinator"], call=call)
    report = build(member, "committee_results", {"call": call.pk})
    assert "Publicados" in pdf_text(report)


# --- Project accountability -----------------------------------------------------------------------------

@pytest.fixture
def works(project_call, people):
    """A project in execution: 70 % released, one invoice verified (CFDI), one still on its way, a simple
    receipt, an endorsed progress report with a photo, three logbook entries and a visit with an answered
    observation."""
    works = in_execution_project(project_call, people)
    project = works.project
    verify(works, record_invoice(works, line=0, subtotal=Decimal("10000.00"), concept="Cemento gris"),
           people["finance"])
    record_invoice(works, line=1, subtotal=Decimal("20000.00"), concept="Pago de albañiles")
    project_services.expense_record_simple(
        actor=works.admin, project_id=project.pk, budget_line_id=works.lines[2].pk, spent_on=timezone.localdate(),
        supplier="Ferretería Don Beto", concept="Carretillas", amount="1500.00",
        receipt=upload("recibo.pdf", PDF_BYTES))
    report = project_services.progress_report_submit(actor=works.admin, project_id=project.pk, physical_percent=40,
                                                     summary="Se colaron los firmes de la cancha.", photos=[photo()])
    project_services.progress_report_transition(actor=works.supervision, report_id=report.pk,
                                                action=ReportAction.ENDORSE)
    for text in ("Llegó el material.", "Inició el colado.", "Se revisó la cimbra."):
        project_services.logbook_write(actor=works.admin, project_id=project.pk, happened_on=timezone.localdate(),
                                       text=text)
    tomorrow = timezone.localdate() + timedelta(days=1)
    visit = project_services.site_visit_record(actor=people["coordinator"], project_id=project.pk,
                                               visited_on=timezone.localdate(), findings="Obra en orden.",
                                               observations=[("Falta el letrero de la obra.", tomorrow)])
    project_services.observation_answer(actor=works.admin, observation_id=visit.observations.get().pk,
                                        answer="Se colocó el letrero.")
    works.refresh()
    return works


def test_the_accountability_pdf_has_the_agreement_tranches_expenses_with_cfdi_totals_and_progress(works, people):
    project = works.project
    report = build(people["coordinator"], "project_accountability", {"project": str(project.pk)})
    text = pdf_text(report)
    assert report.title == f"Informe de rendición de cuentas — {project.code}" and report.rows == 3
    assert project.code in text and project.title in text and project.group.name in text
    assert "un millón de pesos 00/100 M.N." in text  # the agreement's amount in words
    assert f"Firma de la Secretaría {date_format(timezone.localdate())}" in text
    tranches = between(text, "Ministraciones", "Gastos por concepto")
    assert re.search(r"1 70 % \$700,000\.00 Ministrada", tranches) and "2 30 % $300,000.00 Programada" in tranches
    verified, on_its_way = (project.expenses.select_related("cfdi").get(concept=concept)
                            for concept in ("Cemento gris", "Pago de albañiles"))
    expenses = between(text, "Gastos por concepto", "Informes de avance")
    materials = between(expenses, "Materiales de construcción", "Mano de obra")
    assert verified.cfdi.uuid in materials and "Verificado por Finanzas $11,600.00" in materials
    assert on_its_way.cfdi.uuid in between(expenses, "Mano de obra", "Herramienta y equipo")
    assert "Ferretería Don Beto: Carretillas Recibo simple Registrado $1,500.00" in expenses
    money = between(text, "Resumen del dinero", "Convenio de colaboración")
    assert "Monto aprobado $1,000,000.00" in money and "Monto ministrado $700,000.00" in money
    assert "$11,600.00" in money and "Por comprobar (ministrado − comprobado) $688,400.00" in money
    assert "Avance físico: 40.00 %" in text and "Avance financiero: 1.16 %" in text
    progress = between(text, "Informes de avance", "Bitácora de obra")
    assert "40.00 % de avance físico" in progress and "Se colaron los firmes de la cancha." in progress
    assert len(embedded_images(report)) == 1  # the report's photo, embedded once
    logbook = between(text, "Bitácora de obra", "Visitas de supervisión")
    assert "3 anotaciones" in logbook and "Se revisó la cimbra." in logbook
    assert "Falta el letrero de la obra." in text and "Se colocó el letrero." in text
    closure = text[text.index("Cierre del proyecto"):]
    assert "Aún no hay acta de entrega-recepción" in closure and "Aún no hay asamblea" in closure
    assert "hoy quedarían por reintegrar $688,400.00 MXN" in closure


def test_a_new_project_says_what_it_does_not_have_yet(project, people):
    Project.objects.filter(pk=project.pk).update(title='Parque <img src="file:///etc/hostname"> & «más»')
    report = build(people["auditor"], "project_accountability", {"project": project.pk})
    text = pdf_text(report)
    assert 'Parque <img src="file:///etc/hostname"> & «más»' in text  # typed text prints as written
    assert not embedded_images(report)
    for missing in ("Aún no hay convenio generado", "Aún no hay gastos en este concepto" if
                    project.proposal.budget_lines.exists() else "Aún no hay conceptos de presupuesto",
                    "Aún no hay informes de avance", "Aún no hay anotaciones en la bitácora",
                    "Aún no hay visitas de supervisión", "Aún no hay acta de entrega-recepción",
                    "Aún no hay reintegro abierto"):
        assert missing in text
    catalog = pdf_reader(report).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and catalog.get("/Lang") == "es"


def test_the_closure_section_has_the_handover_the_assembly_and_the_refund(project_call, people):
    works = in_execution_project(project_call, people)
    project = in_accountability(works, people)
    project_services.accountability_record(actor=works.admin, project_id=project.pk, held_on=timezone.localdate(),
                                           attendance=54, reported="Se informó el gasto a la comunidad.",
                                           minutes=upload("acta.pdf", PDF_BYTES))
    project_services.refund_record(actor=people["finance"], project_id=project.pk, transfer_reference="REINT-77",
                                   transfer_date=timezone.localdate())
    text = pdf_text(build(works.admin, "project_accountability", {"project": project.pk}))
    closure = text[text.index("Cierre del proyecto"):]
    assert "Parque con juegos." in closure and "acta firmada cargada" in closure
    assert "con 54 personas asistentes" in closure and "Se informó el gasto a la comunidad." in closure
    assert "Cierre: recurso no ejercido o no comprobado: $584,000.00 MXN, reintegrado" in closure
    assert "REINT-77" in closure


def test_a_photo_that_cannot_be_read_is_said_and_the_report_still_builds(works, people):
    stored = ProjectPhoto.objects.get(project=works.project).file
    stored.storage.delete(stored.name)
    report = build(people["finance"], "project_accountability", {"project": works.project.pk})
    assert "Esta foto no se pudo leer." in pdf_text(report) and not embedded_images(report)


def builder_queries(project_pk) -> int:
    report = Report(kind="project_accountability", params={"project": project_pk}, title="")
    with CaptureQueriesContext(connection) as queries:
        registry.kind_of("project_accountability").build(report, io.BytesIO(), lambda done, total: None)
    return len(queries)


def test_the_accountability_report_reads_a_constant_number_of_queries(works, people):
    project = works.project
    few = builder_queries(project.pk)
    for number in range(4):
        record_invoice(works, line=number % 2, subtotal=Decimal("1000.00"), concept=f"Compra {number}")
    project_services.progress_report_submit(actor=works.admin, project_id=project.pk, physical_percent=60,
                                            summary="Segundo periodo.", photos=[photo() for _n in range(8)])
    project_services.logbook_write(actor=works.admin, project_id=project.pk, happened_on=timezone.localdate(),
                                   text="Otra anotación.")
    assert builder_queries(project.pk) == few <= 12
    text = pdf_text(build(works.development, "project_accountability", {"project": project.pk}))
    assert "Compra 3" in text and "Y 2 fotos más en la plataforma." in text


def test_who_may_ask_for_a_project_report(works, people, staff):
    project = works.project
    for person in (people["coordinator"], people["auditor"], people["finance"], works.admin, works.supervision,
                   works.development):
        assert report_request(actor=person, kind="project_accountability", params={"project": project.pk})[0].pk
    group_member = project.group.memberships.select_related("user").first().user  # reads it, holds no seat
    outsider = UserFactory()
    for person in (group_member, outsider, staff["committee_secretary"], staff["technical_reviewer"]):
        with pytest.raises(PermissionDenied):
            report_request(actor=person, kind="project_accountability", params={"project": project.pk})
    CommitteeSeat.objects.filter(user=works.development).update(accepted_at=None)
    with pytest.raises(PermissionDenied):  # elected, but the seat not accepted yet
        report_request(actor=works.development, kind="project_accountability", params={"project": project.pk})


def test_bad_project_parameters_are_refused_in_spanish(project, people):
    for params, message in [({}, "Elige el proyecto"), ({"project": "1; DROP"}, "Elige el proyecto"),
                            ({"project": project.pk + 999}, "Ese proyecto no existe")]:
        with pytest.raises(ValidationError) as refused:
            report_request(actor=people["coordinator"], kind="project_accountability", params=params)
        assert message in " ".join(refused.value.messages)
    assert not Report.objects.exists()
