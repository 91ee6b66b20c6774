"""A coordinator asks for the call report, watches the bar reach 100 % without the page reloading, and
downloads a spreadsheet that opens.

How progress is made visible, honestly: the tasks run eagerly in tests, which would build the report inside
the request, before the page exists. Here the broker is replaced by a list (the task's `delay` records the id)
and the test itself plays the worker: it runs the real `report_build` with the real call-report builder, in
small chunks (CHUNK = 2, so six proposals are three progress steps), and after each progress write it waits
until the browser's bar shows that value. The page never reloads (a marker set on `window` survives), so
what moved the bar is the page's script polling the status URL."""

import dataclasses

import openpyxl
import pytest
from django.urls import reverse

from proposals.models import Proposal
from proposals.services import proposal_create, proposal_transition
from reports import registry, tasks
from reports.models import Report, ReportStatus
from reports.services import report_build
from tests.e2e.sessions import logged_in_page
from tests.factories import CommunityGroupFactory, NeighbourhoodFactory, UserFactory, complete_proposal, make_open_call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PROPOSALS = 6


def submitted_call():
    call = make_open_call(year=2034)
    representative = UserFactory()
    group = CommunityGroupFactory(neighbourhood=NeighbourhoodFactory(), representative=representative)
    for i in range(PROPOSALS):
        proposal = complete_proposal(proposal_create(actor=representative, call=call, group=group,
                                                     title=f"Parque {i}"), representative)
        proposal_transition(actor=representative, proposal_id=proposal.pk, action="submit")
    return call


def bar_value(page) -> int:
    return int(page.locator("#report-bar").evaluate("bar => bar.value"))


def test_the_coordinator_watches_the_call_report_reach_100_and_downloads_it(browser, live_server, monkeypatch,
                                                                           tmp_path):
    from reports.builders import call_report  # the real builder (installed with the call report)

    monkeypatch.setattr(call_report, "CHUNK", 2)
    queue = []  # the broker: the task is not run inside the request
    monkeypatch.setattr(tasks.build_report, "delay", queue.append)
    call = submitted_call()
    coordinator = UserFactory(roles=["coordinator"], full_name="Coordinación")
    page = logged_in_page(browser, live_server, coordinator)

    page.goto(reverse("proposals:call_detail", args=[call.pk]))
    page.get_by_role("button", name="Reporte de la convocatoria (XLSX)").click()
    page.wait_for_url("**/reportes/*/")
    report = Report.objects.get()
    assert queue == [report.pk] and report.status == ReportStatus.QUEUED
    assert page.get_by_text("En cola").is_visible() and bar_value(page) == 0
    assert page.get_by_role("link", name="Actualizar").is_visible()
    assert not page.get_by_role("link", name="Descargar el reporte").is_visible()
    page.evaluate("window.sameDocument = true")

    kind = registry.kind_of("call_report")
    seen = []

    def watched(progress):
        def paced(done, total):
            progress(done, total)
            written = Report.objects.get(pk=report.pk).progress
            if written and (not seen or written > seen[-1]):
                page.wait_for_function("v => document.querySelector('#report-bar').value === v", arg=written)
                seen.append(written)
        return paced

    problems = []  # what went wrong inside the build (the row only keeps a message for people)

    def build(report_row, out, progress):
        try:
            page.get_by_text("Generándose").wait_for()  # the page noticed the worker started
            return kind.build(report_row, out, watched(progress))
        except Exception as error:
            problems.append(repr(error))
            raise

    monkeypatch.setitem(registry._KINDS, "call_report", dataclasses.replace(kind, build=build))
    assert report_build(report_id=queue.pop()).status == ReportStatus.DONE, problems

    page.wait_for_function("() => document.querySelector('#report-bar').value === 100")
    download = page.get_by_role("link", name="Descargar el reporte")
    download.wait_for()
    assert page.locator("[data-report-percent]").inner_text() == "100 %"
    assert page.locator("[data-report-label]").inner_text() == "Listo"
    assert not page.get_by_role("link", name="Actualizar").is_visible()
    assert page.evaluate("window.sameDocument") is True  # no reload: the script moved the bar
    assert len(seen) >= 2 and all(0 < value < 100 for value in seen), seen

    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == f"reporte-de-la-convocatoria-{call.fiscal_year}.xlsx"
    path = tmp_path / "reporte.xlsx"
    info.value.save_as(path)
    book = openpyxl.load_workbook(path, read_only=True)
    sheet = book.worksheets[0]
    folios = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]}
    assert folios == set(Proposal.objects.filter(call=call).values_list("folio", flat=True))
    assert len(folios) == PROPOSALS
