"""Issue #8 item 2: no amount can break a proposal. Every money and quantity input is bounded (form,
serializer, model, database), the budget service checks each line and the total before writing, and
whatever is sent, the stored proposal reads back and the staff queue keeps working."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from nicp import bounds
from proposals import services
from proposals.forms import BudgetLineFormSet, ModalityForm, ReviewForm
from proposals.models import BudgetLine, CallModality, Proposal, TechnicalReview
from tests.factories import UserFactory, complete_proposal

pytestmark = pytest.mark.django_db


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def line(quantity, unit_price):
    return {"chapter": "works", "concept": "Obra", "unit": "lote", "quantity": quantity, "unit_price": unit_price}


def assert_readable(proposal_id):
    """Every read the probe broke: the row, its lines, the staff queue and its CSV."""
    proposal = Proposal.objects.get(pk=proposal_id)
    assert Decimal("0") <= proposal.budget_total <= bounds.PROPOSAL_AMOUNT_MAX
    assert proposal.budget_total == sum((li.amount for li in proposal.budget_lines.all()), Decimal("0"))
    list(Proposal.objects.values_list("budget_total", "assigned_amount"))


def test_an_oversized_line_is_refused_by_the_api_with_nothing_written(draft, applicant):
    before = draft.version
    # Each factor alone fits its column (12 digits); the product would not fit the total's (14).
    response = api_for(applicant).patch(f"/api/v1/proposals/{draft.pk}/", {
        "budget_lines": [line("9999999999.99", "9999999999.99")]}, format="json")
    assert response.status_code == 400
    assert "budget_lines" in response.json()
    draft.refresh_from_db()
    assert draft.version == before and not draft.budget_lines.exists()
    assert_readable(draft.pk)


def test_the_budget_service_checks_the_line_amount_and_the_total_before_writing(draft, applicant):
    with pytest.raises(Exception) as error:
        services.budget_lines_save(actor=applicant, proposal_id=draft.pk, lines=[
            line(bounds.QUANTITY_MAX, bounds.UNIT_PRICE_MAX)])
    assert "no puede superar" in str(error.value)
    half = (bounds.PROPOSAL_AMOUNT_MAX / 2 + 1).quantize(Decimal("0.01"))
    with pytest.raises(Exception) as error:
        services.budget_lines_save(actor=applicant, proposal_id=draft.pk, lines=[line(Decimal("1"), half)] * 2)
    assert "El total del presupuesto no puede superar" in str(error.value)
    assert not draft.budget_lines.exists()
    saved = services.budget_lines_save(actor=applicant, proposal_id=draft.pk,
                                       lines=[line(Decimal("1"), bounds.PROPOSAL_AMOUNT_MAX)])
    assert saved.budget_total == bounds.PROPOSAL_AMOUNT_MAX


def test_the_queue_and_its_csv_keep_working_after_an_attempted_overflow(client, draft, applicant, staff):
    complete_proposal(draft, applicant)
    api_for(applicant).patch(f"/api/v1/proposals/{draft.pk}/", {
        "budget_lines": [line("9999999999", "9999999999")]}, format="json")
    services.proposal_transition(actor=applicant, proposal_id=draft.pk, action="submit")
    client.force_login(staff["coordinator"])
    assert client.get(reverse("proposals:review_queue")).status_code == 200
    csv = b"".join(client.get(reverse("proposals:review_queue_csv")).streaming_content).decode()
    assert "1000000.00" in csv


@pytest.mark.parametrize("model, values, name", [
    (Proposal, {"budget_total": Decimal("200000000")}, "proposal_budget_total_bounded"),
    (Proposal, {"assigned_amount": Decimal("-1")}, "proposal_assigned_amount_bounded"),
    (Proposal, {"population_benefited": bounds.POPULATION_MAX + 1}, "proposal_population_bounded"),
])
def test_the_database_refuses_an_amount_out_of_bounds_even_past_the_services(draft, model, values, name):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=draft.pk).update(**values)


def test_the_database_refuses_out_of_bounds_lines_modalities_and_adjusted_costs(draft, applicant, call):
    complete_proposal(draft, applicant)
    with pytest.raises(IntegrityError), transaction.atomic():
        BudgetLine.objects.filter(proposal=draft).update(quantity=Decimal("1000000"), unit_price=Decimal("1000"))
    with pytest.raises(IntegrityError), transaction.atomic():
        CallModality.objects.filter(call=call).update(max_amount=Decimal("9999999999"))
    with pytest.raises(IntegrityError), transaction.atomic():
        TechnicalReview.objects.create(proposal=draft, reviewer=applicant, adjusted_cost=Decimal("-5"))
    with pytest.raises(IntegrityError), transaction.atomic():
        type(call).objects.filter(pk=call.pk).update(total_budget=Decimal("999999999999"))


@pytest.mark.parametrize("form_class, data, field", [
    (ModalityForm, {"modality": "new", "min_amount": "0", "max_amount": "100000000.01"}, "max_amount"),
    (ModalityForm, {"modality": "new", "min_amount": "-1", "max_amount": "1"}, "min_amount"),
    (ReviewForm, {"adjusted_cost": "1e30"}, "adjusted_cost"),
    (ReviewForm, {"adjusted_cost": "-0.01"}, "adjusted_cost"),
])
def test_every_money_form_field_is_bounded(form_class, data, field):
    form = form_class(data)
    assert not form.is_valid() and field in form.errors


def test_the_call_total_budget_is_bounded_in_the_form(client, call, staff):
    from tests.proposals.test_calls import call_form_data

    client.force_login(staff["coordinator"])
    response = client.post(reverse("proposals:call_create"),
                           call_form_data(fiscal_year="2031", total_budget="100000000000.01"))
    assert response.status_code == 400
    assert "total_budget" in response.context["form"].errors


def test_adjusted_cost_is_bounded_in_the_api(draft, applicant, staff):
    reviewer = UserFactory(roles=["technical_reviewer"])
    complete_proposal(draft, applicant)
    services.proposal_transition(actor=applicant, proposal_id=draft.pk, action="submit")
    services.reviewers_assign(actor=staff["coordinator"], proposal_ids=[draft.pk], reviewer=reviewer)
    for cost in ("1e30", "100000000.01", "-1", "NaN", "Infinity"):
        response = api_for(reviewer).post(f"/api/v1/proposals/{draft.pk}/reviews/", {"adjusted_cost": cost},
                                          format="json")
        assert response.status_code == 400 and "adjusted_cost" in response.json(), cost
    assert not TechnicalReview.objects.filter(adjusted_cost__isnull=False).exists()


EXTREME = st.one_of(
    st.sampled_from(["1e30", "-1e30", "1E+999999", "NaN", "-NaN", "sNaN", "Infinity", "-Infinity", "inf", "0",
                     "-0.00", "0.001", "0.005", "1.234567890123", "9999999999.99", "99999999999999999999",
                     "1000000.00", "100000000.00", "100000000.01", "", " ", "1,000", "٣", "0x10", "1_000"]),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.integers(min_value=-10**40, max_value=10**40).map(str),
    st.floats().map(repr),
)
LINES = st.lists(st.tuples(EXTREME, EXTREME), min_size=0, max_size=4)
PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@PROPERTY
@given(lines=LINES)
@example(lines=[("9999999999.99", "9999999999.99")])  # each fits its column, the product does not
@example(lines=[("sNaN", "1")])
def test_api_budget_never_fails_and_the_proposal_stays_readable(draft, applicant, lines):
    response = api_for(applicant).patch(f"/api/v1/proposals/{draft.pk}/", {
        "budget_lines": [line(q, p) for q, p in lines]}, format="json")
    assert response.status_code in (200, 400), response.content
    assert_readable(draft.pk)
    assert api_for(applicant).get(f"/api/v1/proposals/{draft.pk}/").status_code == 200


@PROPERTY
@given(lines=LINES)
@example(lines=[("9999999999.99", "9999999999.99")])
@example(lines=[("sNaN", "1")])  # Django's decimal field lets a signalling NaN through, then compares it
def test_budget_page_never_fails_and_the_proposal_stays_readable(client, draft, applicant, lines):
    client.force_login(applicant)
    url = reverse("proposals:proposal_step", args=[draft.pk, "presupuesto"])
    data = {"lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": "0"}
    for i, (quantity, price) in enumerate(lines):
        data |= {f"lines-{i}-{k}": v for k, v in line(quantity, price).items()}
    response = client.post(url, data)
    assert response.status_code in (302, 400), response.content[:500]
    assert_readable(draft.pk)
    assert client.get(reverse("proposals:proposal_detail", args=[draft.pk])).status_code == 200


def test_the_formset_and_serializer_caps_agree():
    assert BudgetLineFormSet.max_num == BudgetLineFormSet.absolute_max == bounds.MAX_BUDGET_LINES
