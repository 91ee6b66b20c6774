"""The public records: what each public output may show of a project (projects/public/records.py)."""

from decimal import Decimal

import pytest

from neighbourhoods.models import Neighbourhood
from projects.models import Expense
from projects.public import records
from projects.public.filters import PublicProjectFilter
from projects.public.querysets import public_projects, public_rows
from projects.workflow import ProjectAction
from proposals.models import Proposal
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, record_invoice, verify
from tests.projects.helpers import selected_project, staff_people


@pytest.fixture
def staff(db):
    return staff_people()


def test_a_company_is_named_and_an_individual_is_not():
    assert records.supplier_shown(Expense.Kind.CFDI, "MATERIALES SA DE CV", "MAT010101AB1") == (
        "MATERIALES SA DE CV", "MAT010101AB1")
    assert records.supplier_shown(Expense.Kind.CFDI, "JUAN PEREZ", "PEJU800101AB1") == ("Persona física", "")
    assert records.supplier_shown(Expense.Kind.SIMPLE, "Juan Pérez", "") == ("Persona física", "")


def test_figures_not_yet_reported_are_none_not_zero(staff):
    project = selected_project(two_tranche_call(year=2034))
    row = public_rows(public_projects().filter(pk=project.pk))[0]
    assert row["physical_progress"] is None
    assert row["financial_progress"] is None
    assert row["released_amount"] == 0


def test_financial_progress_is_verified_over_approved(staff):
    works = in_execution_project(two_tranche_call(year=2035), staff)
    expense = record_invoice(works, subtotal=Decimal("100000.00"))
    verify(works, expense, staff["finance"])
    row = public_rows(public_projects().filter(pk=works.project.pk))[0]
    assert row["financial_progress"] == Decimal("11.6")  # 116,000 of 1,000,000
    series = records.progress_series(works.project)
    assert [point["financial"] for point in series if point["financial"] is not None] == [Decimal("11.6")]


def test_a_site_point_is_preferred_then_the_unit_centroid_then_none(staff):
    project = selected_project(two_tranche_call(year=2036))
    row = public_rows(public_projects().filter(pk=project.pk))[0]
    assert (row["latitude"], row["location_precision"]) == (None, "")
    Neighbourhood.objects.filter(pk=project.neighbourhood_id).update(latitude=Decimal("19.4"),
                                                                     longitude=Decimal("-99.1"))
    row = public_rows(public_projects().filter(pk=project.pk))[0]
    assert (row["latitude"], row["longitude"], row["location_precision"]) == (19.4, -99.1, "unit_centroid")
    Proposal.objects.filter(pk=project.proposal_id).update(latitude=Decimal("19.35"), longitude=Decimal("-99.15"))
    row = public_rows(public_projects().filter(pk=project.pk))[0]
    assert (row["latitude"], row["longitude"], row["location_precision"]) == (19.35, -99.15, "site")


def test_milestones_carry_no_notes(staff):
    from projects import services

    works = in_execution_project(two_tranche_call(year=2037), staff)
    services.project_transition(actor=staff["coordinator"], project_id=works.project.pk,
                                action=ProjectAction.SUSPEND, note="Motivo con un nombre propio")
    milestones = records.milestones(works.project)
    assert "suspend" in [m["action"] for m in milestones]
    assert all(set(m) == {"action", "label", "date"} for m in milestones)


def test_committee_names_follow_the_call_rule(staff):
    works = in_execution_project(two_tranche_call(year=2038), staff)
    seats = [seat for committee in records.committees(works.project) for seat in committee["seats"]]
    assert seats and all(seat["name"] is None for seat in seats)
    works.project.call.committee_names_public = True
    works.project.call.save()
    seats = [seat for committee in records.committees(works.project) for seat in committee["seats"]]
    assert all(seat["name"] for seat in seats)


def test_the_filter_refuses_unknown_values_in_spanish(db):
    found = PublicProjectFilter({"borough": "999", "type": "castillo", "unit": "zz", "sort": "x"},
                                queryset=public_projects())
    assert not found.is_valid()
    assert set(found.errors) == {"borough", "type", "unit", "sort"}
    assert "alcaldía" in str(found.errors["borough"])


def test_the_filter_sorts_by_amount(staff):
    call = two_tranche_call(year=2039)
    small = selected_project(call, amount=Decimal("500000.00"))
    big = selected_project(call, amount=Decimal("900000.00"))
    ordered = PublicProjectFilter({"sort": "monto", "year": "2039"}, queryset=public_projects()).qs
    assert list(ordered.values_list("pk", flat=True)) == [big.pk, small.pk]
    newest = PublicProjectFilter({"year": "2039"}, queryset=public_projects()).qs
    assert list(newest.values_list("pk", flat=True)) == [big.pk, small.pk]
    by_code = PublicProjectFilter({"q": small.code.lower()}, queryset=public_projects()).qs
    assert list(by_code.values_list("pk", flat=True)) == [small.pk]
