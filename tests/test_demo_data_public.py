"""The demo shows the public side well: every site on the map inside its borough, photos, logbook entries,
documents and one invoice that staff made public, committee names on last year's call only, and a
progress chart with a series over the works' execution whose money adds up."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from projects.models import (
    AccountabilityAssembly,
    Expense,
    ExpenseEvent,
    Handover,
    LogbookEntry,
    Project,
    ProjectPhoto,
)
from projects.public import records
from projects.public.querysets import public_projects, public_rows
from projects.workflow import ExpenseState, ProjectState, TrancheState
from proposals.models import Call, Proposal
from proposals.models.calls import MEXICO_CITY

pytestmark = pytest.mark.django_db

# A generous box around each demo borough (INEGI code): (south, north, west, east).
BOROUGHS = {
    "003": (19.28, 19.37, -99.21, -99.10),  # Coyoacán
    "005": (19.44, 19.60, -99.20, -99.04),  # Gustavo A. Madero
    "007": (19.28, 19.42, -99.14, -98.94),  # Iztapalapa
    "010": (19.23, 19.42, -99.34, -99.17),  # Álvaro Obregón
    "012": (19.08, 19.32, -99.33, -99.10),  # Tlalpan
    "015": (19.40, 19.47, -99.19, -99.12),  # Cuauhtémoc
}


def _today():
    return timezone.now().astimezone(MEXICO_CITY).date()


@pytest.fixture
def projects(db):
    call_command("seed_demo", stdout=StringIO())
    return {p.code[-4:]: p for p in Project.objects.filter(call__fiscal_year=_today().year - 1).order_by("code")}


def _inside(borough: str, latitude, longitude) -> bool:
    south, north, west, east = BOROUGHS[borough]
    return south <= float(latitude) <= north and west <= float(longitude) <= east


def test_every_site_is_a_point_inside_its_units_borough(projects):
    rows = public_rows(public_projects().order_by("code"))
    assert len(rows) == len(projects) > 0
    for row in rows:
        assert row["location_precision"] == "site", row["code"]
        assert _inside(row["borough_code"], row["latitude"], row["longitude"]), row
    assert (projects["0003"].proposal.latitude, projects["0003"].proposal.longitude) == (
        Decimal("19.279800"), Decimal("-99.186200"))

    with_site = list(Proposal.objects.exclude(address="").select_related("neighbourhood__borough"))
    assert len(with_site) > len(projects)  # the other calls' proposals too
    for proposal in with_site:
        assert proposal.latitude is not None, proposal
        assert _inside(proposal.neighbourhood.borough.inegi_code, proposal.latitude, proposal.longitude), proposal
    points = [(p.latitude, p.longitude) for p in with_site]
    assert len(set(points)) == len(points)  # two sites in one unit are apart: every marker shows


def test_staff_made_public_photos_logbook_entries_documents_and_one_receipt(projects):
    works, second, closed = projects["0003"], projects["0004"], projects["0006"]
    for project in (works, second, closed):
        shown = records.detail(project)["photos"]
        assert len(shown) >= 2 and all(photo["caption"] and photo["taken_on"] for photo in shown), project
    # Only report photographs of projects under way or closed; never the one taken far from the site.
    public = ProjectPhoto.objects.filter(is_public=True)
    assert set(public.values_list("project__status", flat=True)) == {ProjectState.IN_EXECUTION, ProjectState.CLOSED}
    assert not public.filter(report__isnull=True).exists() and not public.filter(far_from_site=True).exists()
    assert ProjectPhoto.objects.filter(project=works, far_from_site=True, is_public=False).exists()

    logbook = records.detail(works)["logbook"]
    assert len(logbook) == 2 and not any(entry["corrects_id"] for entry in logbook)
    assert not LogbookEntry.objects.filter(is_public=True).exclude(project=works).exists()
    assert not LogbookEntry.objects.filter(is_public=True, corrections__isnull=False).exists()

    documents = {doc["kind"]: doc for doc in records.detail(closed)["documents"]}
    assert documents["handover"]["public"] and documents["accountability"]["public"]
    assert not documents["agreement"]["public"]
    assert records.document_file(closed, "handover") and records.document_file(closed, "accountability")
    assert Handover.objects.filter(is_public=True).count() == AccountabilityAssembly.objects.filter(
        is_public=True).count() == 1

    [receipt] = Expense.objects.filter(receipt_public=True)
    assert (receipt.project, receipt.kind, receipt.status) == (works, Expense.Kind.CFDI, ExpenseState.VERIFIED)
    assert [e["id"] for e in records.detail(works)["expenses"] if e["receipt_public"]] == [receipt.pk]


def test_committee_names_are_public_on_last_years_call_only(projects):
    closed = projects["0006"]
    assert closed.call.committee_names_public
    assert not Call.objects.exclude(pk=closed.call_id).filter(committee_names_public=True).exists()
    seats = [seat for committee in records.detail(closed)["committees"] for seat in committee["seats"]]
    assert len(seats) >= 9 and all(seat["name"] for seat in seats)


def test_the_works_history_spreads_over_the_execution_and_the_money_adds_up(projects):
    today = _today()
    closed = projects["0006"]
    series = records.detail(closed)["progress_series"]
    physical = [p for p in series if p["physical"] is not None]
    financial = [p for p in series if p["financial"] is not None]
    assert len({p["date"] for p in physical}) >= 2 and physical[-1]["physical"] == 100
    assert len({p["date"] for p in financial}) >= 4
    assert [p["financial"] for p in financial] == sorted(p["financial"] for p in financial)
    assert financial[-1]["financial"] == records.percent(closed.verified_total, closed.approved_amount)
    assert all(closed.execution_starts_on <= p["date"] < today for p in series)
    # The series is the same money the project's totals show: timestamps moved, never amounts.
    released = closed.tranches.filter(status=TrancheState.RELEASED)
    assert closed.released_total == sum(t.amount for t in released)
    assert closed.verified_total == sum(closed.expenses.filter(status="verified").values_list("amount", flat=True))
    assert [t.transfer_date for t in released.order_by("number")] == sorted({t.transfer_date for t in released})

    for project in (projects["0003"], projects["0004"]):
        dates = {p["date"] for p in records.detail(project)["progress_series"]}
        assert len(dates) >= 4 and min(dates) > project.execution_starts_on and max(dates) < today, project

    # Each expense is recorded, endorsed and verified in that order, after its invoice and before today.
    for expense in Expense.objects.filter(status=ExpenseState.VERIFIED):
        steps = list(ExpenseEvent.objects.filter(expense=expense).order_by("id").values_list("created_at", flat=True))
        days = [step.astimezone(MEXICO_CITY).date() for step in steps]
        assert steps == sorted(steps) and expense.spent_on < days[0] and days[-1] <= today, expense

    # The public timeline reads in order, each tranche on the day it was transferred.
    milestones = records.detail(closed)["milestones"]
    assert [m["date"] for m in milestones] == sorted(m["date"] for m in milestones)
    assert milestones[0]["date"] < closed.execution_starts_on <= milestones[-1]["date"] == today
    assert [m["date"] for m in milestones if m["action"] == "tranche_release"] == [
        t.transfer_date for t in released.order_by("number")]
    assert closed.agreement.ministry_signed_on < closed.execution_starts_on - timedelta(days=1)
    # The committees accepted on the day they were elected; the logbook was written the day it tells about.
    works = projects["0003"]
    elected = works.elections.get().scheduled_at.astimezone(MEXICO_CITY).date()
    assert {seat.accepted_at.astimezone(MEXICO_CITY).date() for seat in works.seats.all()} == {elected}
    assert all(entry.written_at.astimezone(MEXICO_CITY).date() == entry.happened_on for entry in works.logbook.all())


def test_a_demo_loaded_before_the_public_side_gets_it_on_the_next_run(db):
    with mock.patch("projects.demo_public.seed_sites", return_value=0), \
            mock.patch("projects.demo_public.seed_publication", return_value=0):
        call_command("seed_demo", stdout=StringIO())
    assert Proposal.objects.filter(latitude__isnull=False).count() == 1  # the court's, which its photos need
    assert not ProjectPhoto.objects.filter(is_public=True).exists()
    assert not Call.objects.filter(committee_names_public=True).exists()

    call_command("seed_demo", stdout=StringIO())
    assert ProjectPhoto.objects.filter(is_public=True).exists()
    assert LogbookEntry.objects.filter(is_public=True).count() == 2
    assert not Proposal.objects.exclude(address="").filter(latitude__isnull=True).exists()
