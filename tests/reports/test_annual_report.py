"""The programme's annual report (XLSX and PDF with charts) on a small world whose every amount is known:
proposals in two boroughs and two strata, one project with money released, proved, and refunded after its
cancellation, one selected project not yet paid, and a project of another year that must not count."""

import io
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from accounts.roles import StaffRole
from neighbourhoods.models import Stratum
from projects import services
from projects.workflow import ProjectAction
from proposals.models import Proposal, ProposalEvent
from proposals.services import proposal_create
from proposals.workflow import ProposalAction, ProposalState
from reports import charts
from reports.annual_figures import annual_figures
from reports.builders import annual
from reports.models import Report, ReportStatus
from reports.services import report_request
from tests.factories import BoroughFactory, CommunityGroupFactory, NeighbourhoodFactory, UserFactory
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, record_invoice, verify
from tests.projects.helpers import selected_project, staff_people

pytestmark = pytest.mark.django_db
YEAR = 2031
S = ProposalState


def proposal(call, unit, status, *, accepted=False, sent=True) -> Proposal:
    """A proposal of `call` in `unit` standing in `status` (the selection itself is tested elsewhere)."""
    representative = UserFactory()
    group = CommunityGroupFactory(neighbourhood=unit, representative=representative)
    made = proposal_create(actor=representative, call=call, group=group, title=f"Propuesta {unit.key}")
    Proposal.objects.filter(pk=made.pk).update(status=status, neighbourhood=unit, budget_total=Decimal("900000"),
                                               submitted_at=timezone.now() if sent else None)
    if accepted:
        ProposalEvent.objects.create(proposal=made, action=ProposalAction.ACCEPT, from_state=S.SUBMITTED,
                                     to_state=S.ELIGIBLE)
    return made


@pytest.fixture
def people(db):
    return staff_people()


@pytest.fixture
def units(db):
    coyoacan = BoroughFactory(inegi_code="003", iecm_number="03", name="Coyoacán", official_name="COYOACAN")
    return {"iztapalapa": NeighbourhoodFactory(stratum=Stratum.LOW),
            "coyoacan": NeighbourhoodFactory(borough=coyoacan, key="03-001", stratum=Stratum.MEDIUM)}


@pytest.fixture
def world(people, units):
    call = two_tranche_call(year=YEAR)
    # Iztapalapa (stratum low): a project paid 700,000 of 1,000,000, 116,000 proved (100,000 + VAT),
    # cancelled, and the 584,000 left refunded; one proposal still waiting, one eligible.
    works = in_execution_project(call, people)
    verify(works, record_invoice(works, subtotal=Decimal("100000.00")), people["finance"])
    services.project_transition(actor=people["coordinator"], project_id=works.project.pk,
                                action=ProjectAction.CANCEL, note="Abandono de la obra.")
    services.refund_record(actor=people["finance"], project_id=works.project.pk, transfer_reference="R-1",
                           transfer_date=timezone.localdate())
    proposal(call, units["iztapalapa"], S.SUBMITTED)
    proposal(call, units["iztapalapa"], S.ELIGIBLE, accepted=True)
    proposal(call, units["iztapalapa"], S.DRAFT, sent=False)  # never sent: not in any figure
    # Coyoacán (stratum medium): a project of 850,000 not yet paid; waitlisted, not selected, ineligible,
    # and one withdrawn after it was declared eligible.
    selected_project(call, amount=Decimal("850000.00"), unit=units["coyoacan"])
    proposal(call, units["coyoacan"], S.WAITLISTED, accepted=True)
    proposal(call, units["coyoacan"], S.NOT_SELECTED, accepted=True)
    proposal(call, units["coyoacan"], S.INELIGIBLE)
    proposal(call, units["coyoacan"], S.WITHDRAWN, accepted=True)
    # Another year's call and project: never counted in YEAR's report.
    selected_project(two_tranche_call(year=YEAR - 1), amount=Decimal("999999.00"), unit=units["coyoacan"])
    return call


def rows_of(table) -> dict[str, list]:
    return {row[0]: row[1:] for row in table.rows}


def test_the_figures_are_right_by_borough_and_by_stratum_with_totals(world):
    figures = annual_figures(YEAR)
    tables = figures.tables
    assert figures.call_title == f"Convocatoria {YEAR}"
    assert list(tables) == ["summary", "by_state", "proposals_borough", "proposals_stratum", "money_borough",
                            "money_stratum"]
    # Sent, eligible, selected, waitlisted, not selected.
    assert rows_of(tables["proposals_borough"]) == {"Coyoacán": [5, 4, 1, 1, 1], "Iztapalapa": [3, 2, 1, 0, 0]}
    assert rows_of(tables["proposals_stratum"]) == {"Bajo": [3, 2, 1, 0, 0], "Medio": [5, 4, 1, 1, 1]}
    assert tables["proposals_borough"].total == ["Total", 8, 6, 2, 1, 1]
    by_state = rows_of(tables["by_state"])
    assert by_state["Seleccionada"] == [2] and by_state["Retirada"] == [1] and by_state["Enviada"] == [1]
    assert "Borrador" not in by_state and tables["by_state"].total == ["Total", 8]
    # Projects, approved, released, proved (verified), refunded.
    money = rows_of(tables["money_borough"])
    assert money["Iztapalapa"] == [1, Decimal("1000000.00"), Decimal("700000.00"), Decimal("116000.00"),
                                   Decimal("584000.00")]
    assert money["Coyoacán"] == [1, Decimal("850000.00"), Decimal("0"), Decimal("0"), Decimal("0")]
    assert rows_of(tables["money_stratum"])["Bajo"] == money["Iztapalapa"]
    total = ["Total", 2, Decimal("1850000.00"), Decimal("700000.00"), Decimal("116000.00"), Decimal("584000.00")]
    assert tables["money_borough"].total == total and tables["money_stratum"].total == total
    summary = rows_of(tables["summary"])
    assert summary["Propuestas enviadas"] == [8] and summary["Propuestas elegibles"] == [6]
    assert summary["Monto aprobado"] == [Decimal("1850000.00")] and summary["Monto reintegrado"] == [Decimal("584000")]
    # Boroughs by name, strata from the lowest (the order the programme gives priority in).
    assert [row[0] for row in tables["money_borough"].rows] == ["Coyoacán", "Iztapalapa"]
    assert [row[0] for row in tables["proposals_stratum"].rows] == ["Bajo", "Medio"]


def test_a_refund_counts_once_finance_records_its_transfer(world):
    from projects.models import Refund

    Refund.objects.update(recorded_at=None)  # opened at the cancellation, the transfer not yet recorded
    assert annual_figures(YEAR).tables["money_borough"].total[5] == Decimal("0")


def test_the_spreadsheet_has_a_sheet_per_table_money_formats_and_frozen_headers(world, people,
                                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = report_request(actor=people["auditor"], kind="annual_report_xlsx", params={"year": str(YEAR)})
    report.refresh_from_db()
    assert (report.status, report.progress, report.error) == (ReportStatus.DONE, 100, "")
    assert report.title == f"Informe anual {YEAR} del programa (Excel)" and report.file.name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(report.file.read()))
    assert book.sheetnames == ["Resumen", "Por estado", "Propuestas por alcaldía", "Propuestas por estrato",
                               "Dinero por alcaldía", "Dinero por estrato"]
    assert book["Por estado"]["A1"].value == f"Propuestas enviadas por estado — Informe anual {YEAR}, " \
                                             f"Convocatoria {YEAR}"
    sheet = book["Dinero por alcaldía"]
    assert sheet.freeze_panes == "B4"
    assert [c.value for c in sheet[3]] == ["Alcaldía", "Proyectos", "Aprobado", "Ministrado", "Comprobado",
                                           "Reintegrado"]
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert values[-1] == ["Total", 2, 1850000, 700000, 116000, 584000]
    assert values[1] == ["Iztapalapa", 1, 1000000, 700000, 116000, 584000]
    assert sheet["C6"].number_format == '"$"#,##0.00' and sheet["B6"].number_format == "#,##0"
    assert sheet["A6"].font.bold and not sheet["A5"].font.bold  # the totals row stands out
    assert report.rows == sum(len(t.rows) for t in annual_figures(YEAR).tables.values())


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))


def test_the_pdf_prints_the_tables_and_totals_tagged_in_spanish(world, people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = report_request(actor=people["finance"], kind="annual_report_pdf", params={"year": YEAR})
    report.refresh_from_db()
    assert report.status == ReportStatus.DONE, report.error
    data = report.file.read()
    text = pdf_text(data)
    assert f"Informe anual {YEAR}" in text and f"Convocatoria {YEAR}" in text
    assert "Total 2 $1,850,000.00 $700,000.00 $116,000.00 $584,000.00" in text
    assert "Total 8 6 2 1 1" in text and "Dinero por estrato (MXN)" in text
    assert "$999,999.00" not in text  # the other year's project
    reader = PdfReader(io.BytesIO(data))
    assert reader.trailer["/Root"]["/Lang"] == "es" and reader.trailer["/Root"]["/MarkInfo"]["/Marked"]
    # The charts were drawn, not dropped: the «Aprobado» blue (#1f4e79) fills rectangles on a page.
    drawn = "".join(page.get_contents().get_data().decode("latin-1") for page in reader.pages)
    assert "0.121569 0.305882 0.47451 rg" in drawn


def test_progress_is_told_as_each_section_is_done(world, people):
    report = Report(kind="annual_report_xlsx", params={"year": YEAR}, requested_by=people["coordinator"])
    steps = []
    rows = annual.build_xlsx(report, io.BytesIO(), lambda done, total: steps.append((done, total)))
    assert steps == [(1, 6), (2, 6), (3, 6), (4, 6), (5, 6)] and rows > 0


def test_the_printed_report_carries_a_chart_per_money_table_with_its_text_alternative(world):
    html = render_to_string("reports/pdf/annual.html", annual.pdf_context(annual_figures(YEAR)))
    assert html.count("<svg") == 2 and html.count('role="img"') == 2
    # Two boroughs × four amounts; the description reads them for who cannot see the bars.
    borough_chart = html.split("<svg")[1]
    assert borough_chart.count('class="bar"') == 8
    assert "Iztapalapa: Aprobado $1,000,000.00, Ministrado $700,000.00, Comprobado $116,000.00, " \
           "Reintegrado $584,000.00." in borough_chart
    assert html.index("<svg") < html.index("<table", html.index("Dinero por alcaldía (MXN)"))


def test_bars_are_drawn_to_scale_and_labels_are_escaped():
    svg = charts.bar_chart(chart_id="c", title="Prueba <b>", categories=["A & B", "C"],
                           series=[charts.Series("Uno", [Decimal("100"), Decimal("50")], "#1f4e79"),
                                   charts.Series("Dos", [Decimal("0"), Decimal("25")], "#2e7d32")])
    widths = [float(w) for w in re.findall(r'class="bar"[^>]* width="([\d.]+)"', svg)]
    assert len(widths) == 4
    assert widths[1] == 0 and widths[0] == 2 * widths[2] == 4 * widths[3]
    assert "A &amp; B" in svg and "<b>" not in svg and "Prueba &lt;b&gt;" in svg
    empty = charts.bar_chart(chart_id="e", title="Nada", categories=["A"],
                             series=[charts.Series("Uno", [Decimal("0")], "#1f4e79")])
    assert empty.count('class="bar"') == 1  # nothing to scale against: no division by zero
    assert charts.nice_step(1_850_000) == 500_000 and charts.short_pesos(1_500_000) == "$1.5 M"


@pytest.mark.parametrize("role", [StaffRole.COORDINATOR, StaffRole.AUDITOR, StaffRole.COMMITTEE_SECRETARY,
                                  StaffRole.FINANCE_OFFICER])
def test_programme_staff_may_ask_for_it(world, staff, role):
    report, created = report_request(actor=staff[role], kind="annual_report_pdf", params={"year": str(YEAR)})
    assert created and report.params == {"year": YEAR}


@pytest.mark.parametrize("role", [StaffRole.TECHNICAL_REVIEWER, StaffRole.COMMITTEE_MEMBER])
def test_other_people_may_not(world, staff, applicant, role):
    for person in (staff[role], applicant):
        for kind in ("annual_report_xlsx", "annual_report_pdf"):
            with pytest.raises(PermissionDenied):
                report_request(actor=person, kind=kind, params={"year": str(YEAR)})
    assert not Report.objects.exists()


@pytest.mark.parametrize("year, message", [
    ("", "cuatro cifras"), ("dos mil", "cuatro cifras"), ("20310", "cuatro cifras"), ("２０３１", "cuatro cifras"),
    (" -203", "cuatro cifras"), ("2040", "No hay convocatoria del ejercicio 2040"),
])
def test_a_year_without_a_call_is_refused_in_spanish(world, staff, year, message):
    with pytest.raises(ValidationError) as refused:
        report_request(actor=staff[StaffRole.COORDINATOR], kind="annual_report_xlsx", params={"year": year})
    assert message in refused.value.message_dict["year"][0]
    assert not Report.objects.exists()


def test_the_queries_do_not_grow_with_the_rows(world, units, people):
    with CaptureQueriesContext(connection) as small:
        annual_figures(YEAR)
    call = world
    for number in range(6):  # more proposals, a new borough, a unit without stratum, another project
        borough = BoroughFactory(inegi_code=f"01{number}", iecm_number=f"1{number}", name=f"Alcaldía {number}",
                                 official_name=f"ALCALDIA {number}")
        unit = NeighbourhoodFactory(borough=borough, key=f"1{number}-001", stratum="")
        proposal(call, unit, S.NOT_SELECTED, accepted=True)
        proposal(call, unit, S.WITHDRAWN)
    selected_project(call, amount=Decimal("800000.00"), unit=unit)
    with CaptureQueriesContext(connection) as large:
        figures = annual_figures(YEAR)
    assert len(small) == len(large) == 6  # the call, then one GROUP BY per table
    assert figures.tables["proposals_borough"].total[1] == 8 + 13
    assert rows_of(figures.tables["money_stratum"])["Sin estrato"][0] == 1
