"""The call report (XLSX), asked for and built through the report services and read back with openpyxl:
every submitted proposal with its money, dates, scores and outcome, the summary per borough, the totals,
text that looks like a formula kept as text, who may ask for it, and queries that do not grow with rows."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from openpyxl import load_workbook

from accounts.roles import StaffRole
from committees import services as committee_services
from committees.models import Committee
from projects.models import Project
from proposals.models import FolioCounter, Proposal, TechnicalReview
from proposals.services import proposal_create, proposal_transition
from proposals.workflow import ProposalAction, ProposalState
from reports.benchmark import PATHS, report_call
from reports.builders import call_report
from reports.models import ReportStatus
from reports.services import report_build, report_request
from tests.committees.conftest import members, score_all, shortlisted_proposals
from tests.factories import CommunityGroupFactory, NeighbourhoodFactory, UserFactory, complete_proposal, make_open_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(staff):
    return staff["coordinator"]


@pytest.fixture
def call(db):
    return make_open_call(year=2028, total_budget=Decimal("3000000"), committee_quorum=3, waitlist_size=2)


def committee_for(call, coordinator):
    committee = committee_services.committee_set(actor=coordinator, call=call, secretary=UserFactory())
    for i in range(3):
        committee_services.member_add(actor=coordinator, committee=committee, email=f"comite{i}@ejemplo.mx",
                                      full_name=f"Integrante {i}", sector="academia", institution="UNAM")
    return committee


def decide(committee, coordinator):
    """The Committee's session on what was scored: opened, voted, closed, results published."""
    Committee.objects.filter(pk=committee.pk).update(min_score_sheets=1)
    committee.refresh_from_db()
    session = committee_services.session_open(actor=committee.secretary, committee=committee,
                                              held_on=timezone.localdate(),
                                              present_member_ids=[m.pk for m in members(committee)])
    for member in members(committee):
        committee_services.vote_cast(actor=member.user, session_id=session.pk, choice="for")
    committee_services.session_close(actor=committee.secretary, session_id=session.pk)
    committee_services.results_publish(actor=coordinator, call=committee.call)


def sent_proposal(call, *, title="Parque vecinal", group_name=None, amount="1000000.00"):
    """A proposal filled and submitted by its group's representative."""
    representative = UserFactory()
    group = CommunityGroupFactory(representative=representative, **({"name": group_name} if group_name else {}))
    proposal = proposal_create(actor=representative, call=call, group=group, title=title)
    complete_proposal(proposal, representative, amount=amount)
    return proposal_transition(actor=representative, proposal_id=proposal.pk, action=ProposalAction.SUBMIT), \
        representative


@pytest.fixture
def world(call, coordinator):
    """A call through its cycle: six proposals before the Committee (one with an adjusted cost), three
    selected with their projects, two waitlisted, one not; one sent with a formula-looking title and
    returned for corrections; a draft, and a draft withdrawn before it was ever sent."""
    committee = committee_for(call, coordinator)
    shortlist = shortlisted_proposals(call, 6)
    TechnicalReview.objects.create(proposal=shortlist[0], reviewer=coordinator, status="submitted",
                                   adjusted_cost=Decimal("900000.00"), result="feasible",
                                   submitted_at=timezone.now())
    score_all(committee, shortlist, value_for=lambda member, proposal: 5 - shortlist.index(proposal) % 3)
    FolioCounter.objects.update_or_create(call=call, defaults={"last_number": 100})  # past the shortlist's
    returned, _rep = sent_proposal(call, title="=cmd()", group_name="@SUM(A1:A9)")
    proposal_transition(actor=coordinator, proposal_id=returned.pk, action=ProposalAction.RETURN,
                        note="Falta la constancia", correction_deadline=timezone.localdate() + timedelta(days=5))
    decide(committee, coordinator)
    representative = UserFactory()
    group = CommunityGroupFactory(representative=representative)
    proposal_create(actor=representative, call=call, group=group, title="Borrador que nunca se envió")
    withdrawn = proposal_create(actor=representative, call=call, group=group, title="Borrador retirado")
    proposal_transition(actor=representative, proposal_id=withdrawn.pk, action=ProposalAction.WITHDRAW)
    return {"shortlist": shortlist, "returned": returned, "committee": committee}


def build(user, call):
    report, created = report_request(actor=user, kind="call_report", params={"call": str(call.pk)})
    assert created
    report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    return report, load_workbook(BytesIO(report.file.read()))


def table(sheet):
    """The sheet as dicts keyed by its header (first row)."""
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]


def test_one_row_per_submitted_proposal_with_money_dates_scores_and_outcome(world, call, coordinator):
    report, book = build(coordinator, call)

    assert book.sheetnames == ["Propuestas", "Por alcaldía", "Totales"]
    assert report.title == "Reporte de la convocatoria 2028" and report.rows == 7
    sheet = book["Propuestas"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:6] == ["Folio", "Nombre del proyecto", "Grupo promovente", "Clave de la unidad territorial",
                           "Unidad territorial", "Alcaldía"]
    for header in ("Estrato (índice de desarrollo social)", "Tipo de proyecto", "Modalidad", "Monto solicitado",
                   "Monto ajustado (dictamen técnico)", "Monto aprobado", "Estado", "Enviada",
                   "Devuelta para correcciones", "Decisión del Comité", "Clave del proyecto", "Proyecto creado",
                   "Calificación promedio del Comité", "Calificación: Calidad", "Lugar en la prelación",
                   "Resultado"):
        assert header in headers
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(headers)).column_letter}8"
    rows = {row["Folio"]: row for row in table(sheet)}
    # Drafts (kept or withdrawn before sending) are not in a report on what the programme received.
    assert set(rows) == set(Proposal.objects.filter(call=call).exclude(folio="").values_list("folio", flat=True))
    assert not any(row["Nombre del proyecto"].startswith("Borrador") for row in rows.values())

    adjusted = world["shortlist"][0]
    row = rows[adjusted.folio]
    project = Project.objects.get(proposal=adjusted)
    assert row["Nombre del proyecto"] == adjusted.title
    assert (row["Clave de la unidad territorial"], row["Unidad territorial"]) == (adjusted.neighbourhood.key,
                                                                                adjusted.neighbourhood.name)
    assert row["Alcaldía"] == adjusted.neighbourhood.borough.name and row["Estrato (índice de desarrollo social)"]
    assert (row["Monto solicitado"], row["Monto ajustado (dictamen técnico)"], row["Monto aprobado"]) == \
        (1000000, 900000, 900000)
    assert (row["Estado"], row["Resultado"]) == ("Seleccionada", "Seleccionada")
    assert row["Clave del proyecto"] == project.code and row["Proyecto creado"].date() == timezone.localdate()
    assert row["Calificación promedio del Comité"] == 5 and row["Calificación: Calidad"] == 5
    assert row["Lugar en la prelación"] == 1
    assert row["Decisión del Comité"].date() == timezone.localdate()
    outcomes = sorted(rows[p.folio]["Resultado"] for p in world["shortlist"])
    assert outcomes == ["Lista de espera"] * 2 + ["No seleccionada"] + ["Seleccionada"] * 3
    assert all(rows[p.folio]["Monto aprobado"] is None for p in world["shortlist"]
               if rows[p.folio]["Resultado"] != "Seleccionada")

    returned = rows[world["returned"].folio]
    assert returned["Estado"] == "Devuelta para correcciones" and returned["Resultado"] is None
    assert returned["Enviada"].date() == returned["Devuelta para correcciones"].date() == timezone.localdate()
    assert returned["Decisión del Comité"] is None and returned["Calificación promedio del Comité"] is None
    # Real dates and money with its format, not text.
    money = sheet.cell(2, headers.index("Monto solicitado") + 1)
    day = sheet.cell(2, headers.index("Enviada") + 1)
    assert money.data_type == "n" and "#,##0.00" in money.number_format
    assert day.is_date and day.number_format == "dd/mm/yyyy"


def test_text_that_looks_like_a_formula_stays_text(world, call, coordinator):
    _report, book = build(coordinator, call)
    sheet = book["Propuestas"]
    cells = {cell.value: cell for row in sheet.iter_rows(min_row=2) for cell in row}
    for text in ("=cmd()", "@SUM(A1:A9)"):
        cell = cells[text]
        assert cell.data_type == "s" and cell.value == text  # a string cell, never a formula
        assert cell.quotePrefix  # and marked so that editing it keeps it text
    assert not any(cell.data_type == "f" for sheet in book for row in sheet.iter_rows() for cell in row)


def test_the_borough_summary_and_the_totals_add_up(world, call, coordinator):
    _report, book = build(coordinator, call)
    sent = Proposal.objects.filter(call=call).exclude(folio="").select_related("neighbourhood__borough")
    boroughs = table(book["Por alcaldía"])
    total = boroughs.pop()
    assert total["Alcaldía"] == "Total"
    assert book["Por alcaldía"].auto_filter.ref.endswith(str(len(boroughs) + 1))  # the total row sorts apart
    expected = {}
    for proposal in sent:
        figures = expected.setdefault(proposal.neighbourhood.borough.name, [0, Decimal(0)])
        figures[0] += 1
        figures[1] += proposal.budget_total
    assert {row["Alcaldía"]: [row["Propuestas"], Decimal(str(row["Monto solicitado"]))] for row in boroughs} == expected
    for column in ("Propuestas", "Monto solicitado", "Monto aprobado", "Seleccionada: propuestas",
                   "En lista de espera: propuestas"):
        assert total[column] == sum(row[column] or 0 for row in boroughs), column
    selected = sent.filter(status=ProposalState.SELECTED)
    assert total["Seleccionada: propuestas"] == selected.count() == 3
    assert Decimal(str(total["Monto aprobado"])) == sum(p.assigned_amount for p in selected)
    assert total["Devuelta para correcciones: propuestas"] == 1

    facts = {row[0]: row[1] for row in book["Totales"].iter_rows(values_only=True) if row[0]}
    assert facts["Convocatoria"] == call.title and facts["Ejercicio fiscal"] == 2028
    assert facts["Propuestas enviadas"] == 7 and facts["Seleccionadas"] == 3
    assert facts["En lista de espera"] == 2 and facts["No seleccionadas"] == 1
    assert Decimal(str(facts["Monto solicitado"])) == sum(p.budget_total for p in sent)
    assert Decimal(str(facts["Monto aprobado"])) == sum(p.assigned_amount for p in selected)
    # Every state but the draft, in the workflow's order, and their total.
    assert facts["Seleccionada"] == 3 and facts["Devuelta para correcciones"] == 1 and facts["Retirada"] == 0
    assert "Borrador" not in facts and facts["Total"] == 7


@pytest.mark.parametrize("role,allowed", [
    (StaffRole.COORDINATOR, True), (StaffRole.AUDITOR, True), (StaffRole.COMMITTEE_SECRETARY, True),
    (StaffRole.FINANCE_OFFICER, True), (StaffRole.TECHNICAL_REVIEWER, False), (StaffRole.COMMITTEE_MEMBER, False),
])
def test_who_may_ask_for_it(call, staff, role, allowed):
    if allowed:
        report, created = report_request(actor=staff[role], kind="call_report", params={"call": call.pk})
        assert created and report.params == {"call": call.pk}
    else:
        with pytest.raises(PermissionDenied):
            report_request(actor=staff[role], kind="call_report", params={"call": call.pk})


def test_a_group_member_may_not_and_a_draft_call_is_for_oversight_only(call, staff, applicant, group):
    with pytest.raises(PermissionDenied):
        report_request(actor=applicant, kind="call_report", params={"call": call.pk})
    draft = make_open_call(year=2031)
    draft.status = "draft"
    draft.save(update_fields=["status"])
    with pytest.raises(PermissionDenied):
        report_request(actor=staff[StaffRole.FINANCE_OFFICER], kind="call_report", params={"call": draft.pk})
    assert report_request(actor=staff[StaffRole.AUDITOR], kind="call_report", params={"call": draft.pk})[1]


@pytest.mark.parametrize("value", [None, "", "tres", "-1", "0", "1.5", True, "²", "99999999999999999999", "999999"])
def test_a_call_that_is_not_one_is_refused_in_spanish(call, staff, value):
    params = {} if value is None else {"call": value}
    with pytest.raises(ValidationError) as refused:
        report_request(actor=staff[StaffRole.COORDINATOR], kind="call_report", params=params)
    message = " ".join(refused.value.message_dict["call"])
    assert "convocatoria" in message


def test_a_report_built_for_someone_who_lost_the_role_fails_with_a_reason(call, staff):
    finance = staff[StaffRole.FINANCE_OFFICER]
    report, _created = report_request(actor=finance, kind="call_report", params={"call": call.pk})
    finance.groups.clear()
    report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED and "permiso" in report.error and not report.file


def sent_in_bulk(call, n):
    """n submitted proposals (folio, amount, unit) and one submit event each: rows to read, fast."""
    proposals = []
    for _ in range(n):
        representative = UserFactory()
        unit = NeighbourhoodFactory()
        group = CommunityGroupFactory(neighbourhood=unit, representative=representative)
        proposal = proposal_create(actor=representative, call=call, group=group, title=f"Parque {unit.key}")
        proposals.append(proposal)
    start = Proposal.objects.filter(call=call).exclude(folio="").count()
    for number, proposal in enumerate(proposals, start=start + 1):
        Proposal.objects.filter(pk=proposal.pk).update(
            status=ProposalState.SHORTLISTED, folio=f"MB-{call.fiscal_year}-{number:05d}",
            budget_total=Decimal("1000000"), neighbourhood=proposal.group.neighbourhood, modality="new",
            project_type="park", submitted_at=timezone.now())
    return proposals


def test_queries_do_not_grow_with_the_rows(call, coordinator, django_assert_max_num_queries, monkeypatch):
    """Measured: a build reads a constant number of queries per chunk (the row query and one grouped query
    per related table), whatever the rows hold."""
    committee = committee_for(call, coordinator)
    member = members(committee)[0]

    def measured(n_new):
        score_all_for(member, sent_in_bulk(call, n_new))
        report, _created = report_request(actor=coordinator, kind="call_report", params={"call": call.pk})
        with django_assert_max_num_queries(QUERIES_ONE_CHUNK):
            report_build(report_id=report.pk)
        report.refresh_from_db()
        return report.rows

    assert measured(5) == 5
    assert measured(55) == 60
    # Three chunks of 25: the same work per chunk, twice more.
    monkeypatch.setattr(call_report, "CHUNK", 25)
    report, _created = report_request(actor=coordinator, kind="call_report", params={"call": call.pk})
    with django_assert_max_num_queries(QUERIES_ONE_CHUNK + 2 * QUERIES_PER_CHUNK):
        report_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.rows == 60


def score_all_for(member, proposals):
    values = {str(c.pk): {"value": 4, "comment": ""} for c in member.committee.call.rubric.all()}
    for proposal in proposals:
        committee_services.score_save(actor=member.user, proposal_id=proposal.pk, values=values, submit=True)


# Measured. A chunk: its rows, then events, assemblies, reviews, score sheets and ranking entries grouped by
# proposal, and at most one progress write. The rest: the row's claim, the requester and roles, the call,
# its rubric, the count, the first progress write, the done row and the notice.
QUERIES_PER_CHUNK = 6 + 1
QUERIES_ONE_CHUNK = 19


def test_an_empty_call_gives_headers_and_zero_totals(call, coordinator):
    report, book = build(coordinator, call)
    assert report.rows == 0 and book["Propuestas"].max_row == 1
    facts = {row[0]: row[1] for row in book["Totales"].iter_rows(values_only=True) if row[0]}
    assert facts["Propuestas enviadas"] == 0 and facts["Total"] == 0
    assert [row[0] for row in book["Por alcaldía"].iter_rows(values_only=True)] == ["Alcaldía", "Total"]


def test_the_benchmark_calls_carry_the_rows_their_states_imply(coordinator):
    """The benchmark's generated call (reports/benchmark.py) gives the report related rows to read: the
    steps of each proposal's state, its assembly and its technical review."""
    NeighbourhoodFactory.create_batch(3)
    bench_coordinator, call = report_call(40)
    assert report_call(40)[1] == call and Proposal.objects.filter(call=call).count() == 40  # reused
    for proposal in Proposal.objects.filter(call=call):
        assert list(proposal.events.values_list("action", flat=True)) == PATHS[proposal.status]
    report, book = build(bench_coordinator, call)
    rows = table(book["Propuestas"])
    assert report.rows == 40 and all(row["Enviada"] for row in rows)
    feasible = [row for row in rows if row["Estado"] == "Factible"]
    assert feasible and all(row["Dictamen técnico entregado"] and row["Asamblea vecinal"]
                            and row["Monto ajustado (dictamen técnico)"] for row in feasible)
