# ruff: noqa: F811  (the fixtures imported from the committee and project tests are parameters here)
"""The two PDF reports: the Committee's results (ranking with scores and sheets, budget fill, borough caps,
waitlist, votes) and a project's accountability report (agreement, tranches, expenses by budget line with
their CFDI, totals, progress with photographs, logbook, visits, closure). Each is asked for and built
through the report services, and its text read back with pypdf."""

import io
import re
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from committees import services as committee_services
from proposals.models import Call
from reports.models import ReportStatus
from reports.services import report_build, report_request
from tests.committees.conftest import committee, committee_call, coordinator, members, shortlist  # noqa: F401

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
        actor=committee.secretary, committee=committee, held_on=date.today(),
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
