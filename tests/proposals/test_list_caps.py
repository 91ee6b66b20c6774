"""Issue #8 item 9: every list people send has a cap, the same in the HTML form and in the API
(one constant each, in nicp.bounds), refused with a Spanish message that says the cap."""

from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from rest_framework.test import APIClient

from committees.forms import SessionOpenForm
from nicp import bounds
from proposals.forms import BudgetLineFormSet, CallForm, ModalityFormSet, RubricFormSet, TrancheFormSet
from proposals.models import Call
from tests.factories import UserFactory, complete_proposal
from tests.proposals.test_calls import call_form_data

pytestmark = pytest.mark.django_db

LINE = {"chapter": "works", "concept": "Obra", "unit": "lote", "quantity": "1", "unit_price": "10"}


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def says_cap(text, cap):
    return f"como máximo {cap}" in text


def test_budget_lines_cap_in_the_api(draft, applicant):
    too_many = api_for(applicant).patch(f"/api/v1/proposals/{draft.pk}/", {
        "budget_lines": [LINE] * (bounds.MAX_BUDGET_LINES + 1)}, format="json")
    assert too_many.status_code == 400
    assert says_cap(str(too_many.json()["budget_lines"]), bounds.MAX_BUDGET_LINES)
    assert not draft.budget_lines.exists()
    at_cap = api_for(applicant).patch(f"/api/v1/proposals/{draft.pk}/", {
        "budget_lines": [LINE] * bounds.MAX_BUDGET_LINES}, format="json")
    assert at_cap.status_code == 200 and draft.budget_lines.count() == bounds.MAX_BUDGET_LINES


def budget_rows(n):
    data = {"lines-TOTAL_FORMS": str(n), "lines-INITIAL_FORMS": "0"}
    for i in range(n):
        data |= {f"lines-{i}-{k}": v for k, v in LINE.items()}
    return data


def test_budget_lines_cap_in_the_form(client, draft, applicant):
    client.force_login(applicant)
    url = reverse("proposals:proposal_step", args=[draft.pk, "presupuesto"])
    response = client.post(url, budget_rows(bounds.MAX_BUDGET_LINES + 1))
    assert response.status_code == 400
    assert says_cap(response.content.decode(), bounds.MAX_BUDGET_LINES)
    assert says_cap(response.content.decode(), bounds.MAX_BUDGET_LINES)
    assert not draft.budget_lines.exists()
    assert client.post(url, budget_rows(bounds.MAX_BUDGET_LINES)).status_code == 302
    # A forged row count far beyond the cap is refused without building the rows.
    huge = BudgetLineFormSet({"lines-TOTAL_FORMS": "100000", "lines-INITIAL_FORMS": "0"}, prefix="lines")
    assert not huge.is_valid() and len(huge.forms) <= bounds.MAX_BUDGET_LINES


@pytest.mark.parametrize("prefix, formset, cap, row", [
    ("mod", ModalityFormSet, bounds.MAX_CALL_MODALITIES, {"modality": "new", "min_amount": "1", "max_amount": "2"}),
    ("tr", TrancheFormSet, bounds.MAX_TRANCHES,
     {"number": "1", "share_percent": "1", "progress_required_percent": "0"}),
    ("ru", RubricFormSet, bounds.MAX_RUBRIC_CRITERIA, {"name": "C", "weight": "1", "computed": ""}),
])
def test_call_lists_are_capped_in_the_form(client, staff, prefix, formset, cap, row):
    data = call_form_data(**{f"{prefix}-TOTAL_FORMS": str(cap + 1)})
    for i in range(cap + 1):
        data |= {f"{prefix}-{i}-{k}": v for k, v in row.items()}
    client.force_login(staff["coordinator"])
    response = client.post(reverse("proposals:call_create"), data)
    assert response.status_code == 400
    assert says_cap(response.content.decode(), cap)
    assert not Call.objects.filter(fiscal_year=2030).exists()
    assert formset.max_num == formset.absolute_max == cap


def test_call_multiple_choices_refuse_repeats_and_more_than_the_cap():
    repeated = CallForm(call_form_data(eligible_project_types=["park"] * 20000))
    assert not repeated.is_valid()
    assert says_cap(" ".join(repeated.errors["eligible_project_types"]), bounds.MAX_CHOICES)
    twice = CallForm(call_form_data(priority_strata=["bajo", "bajo"]))
    assert not twice.is_valid() and "una sola vez" in " ".join(twice.errors["priority_strata"])


def test_batch_actions_are_capped(client, staff):
    client.force_login(staff["coordinator"])
    ids = [str(i) for i in range(1, bounds.MAX_BATCH_PROPOSALS + 2)]
    response = client.post(reverse("proposals:review_batch"), {"ids": ids, "action": "accept"})
    assert response.status_code == 302
    assert says_cap(" ".join(str(m) for m in get_messages(response.wsgi_request)), bounds.MAX_BATCH_PROPOSALS)
    for junk in (["²"], ["1" * 30], ["-3"], ["abc"]):
        bad = client.post(reverse("proposals:review_batch"), {"ids": junk, "action": "accept"})
        assert bad.status_code == 302
        assert "no válido" in " ".join(str(m) for m in get_messages(bad.wsgi_request))


def test_present_members_are_capped_in_the_session_form():
    class Member:
        def __init__(self, pk):
            self.pk, self.user = pk, UserFactory.build(full_name=f"M{pk}")

        def get_sector_display(self):
            return "Academia"

    members = [Member(i) for i in range(1, bounds.MAX_PRESENT_MEMBERS + 2)]
    form = SessionOpenForm({"held_on": "2030-05-30", "present": [str(m.pk) for m in members]}, members=members)
    assert not form.is_valid() and says_cap(" ".join(form.errors["present"]), bounds.MAX_PRESENT_MEMBERS)


def test_review_checklist_is_capped_in_the_api(draft, applicant, staff):
    reviewer = UserFactory(roles=["technical_reviewer"])
    complete_proposal(draft, applicant)
    from proposals import services

    services.proposal_transition(actor=applicant, proposal_id=draft.pk, action="submit")
    services.reviewers_assign(actor=staff["coordinator"], proposal_ids=[draft.pk], reviewer=reviewer)
    url = f"/api/v1/proposals/{draft.pk}/reviews/"
    many = {f"item{i}": {"answer": "yes"} for i in range(bounds.MAX_CHECKLIST_ITEMS + 1)}
    response = api_for(reviewer).post(url, {"checklist": many}, format="json")
    assert response.status_code == 400
    assert says_cap(str(response.json()["checklist"]), bounds.MAX_CHECKLIST_ITEMS)
    wide = {"public_land": {f"k{i}": "x" for i in range(bounds.MAX_ENTRY_KEYS + 1)}}
    assert api_for(reviewer).post(url, {"checklist": wide}, format="json").status_code == 400
    ok = api_for(reviewer).post(url, {"checklist": {"public_land": {"answer": "yes", "note": ""}},
                                      "adjusted_cost": str(Decimal("900000"))}, format="json")
    assert ok.status_code == 200, ok.content
