"""Forms that show their rules: amount range, row amounts, more rows, help, file types, done steps,
errors that explain, and warnings about the call's excluded works."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from proposals import services
from proposals.hints import excluded_work_warnings, mentions
from proposals.models import BudgetLine
from tests.factories import complete_proposal


def budget_url(proposal):
    return reverse("proposals:proposal_step", args=[proposal.pk, "presupuesto"])


def test_the_budget_step_shows_the_modality_range_and_each_row_amount(client, draft, applicant):
    complete_proposal(draft, applicant, amount="900000.50")
    client.force_login(applicant)
    html = client.get(budget_url(draft)).content.decode()
    assert "el total debe estar entre $800,000.00 y $1,450,000.00 MXN" in html
    assert "<output data-amount>$900,000.50</output>" in html
    assert 'data-min="800000.00"' in html and 'data-max="1450000.00"' in html
    assert re.search(r'<script src="/static/js/budget\.js(\?[^"]*)?" defer>', html)  # external: the CSP allows it


def test_more_rows_without_javascript_keep_what_was_typed_and_save_nothing(client, draft, applicant):
    client.force_login(applicant)
    data = {"version": draft.version, "lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0",
            "lines-MIN_NUM_FORMS": "0", "lines-MAX_NUM_FORMS": "200",
            "lines-0-chapter": "works", "lines-0-concept": "Bancas de concreto", "lines-0-unit": "pieza",
            "lines-0-quantity": "12", "lines-0-unit_price": "4500", "add_rows": "1"}
    response = client.post(budget_url(draft), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Bancas de concreto"' in html and 'value="4500"' in html
    assert 'name="lines-TOTAL_FORMS" value="4"' in html  # the typed row and three empty ones
    assert "errorlist" not in html
    assert not BudgetLine.objects.filter(proposal=draft).exists()


def test_the_project_step_helps_with_diagnosis_objectives_and_description(client, draft, applicant):
    client.force_login(applicant)
    html = client.get(reverse("proposals:proposal_step", args=[draft.pk, "proyecto"])).content.decode()
    for field in ("diagnosis", "objectives", "description"):
        assert re.search(rf'id="id_{field}_helptext"[^>]*>\s*¿', html), field


def test_upload_fields_say_which_files_and_how_big(client, draft, applicant):
    client.force_login(applicant)
    html = client.get(reverse("proposals:proposal_step", args=[draft.pk, "anexos"])).content.decode()
    assert re.search(r'type="file"[^>]*accept="[^"]*application/pdf[^"]*image/jpeg', html)
    assert f"hasta {draft.call.max_file_size_mb} MB por archivo" in html


def test_finished_steps_are_marked_in_the_step_bar(client, draft, applicant):
    client.force_login(applicant)
    before = client.get(budget_url(draft)).content.decode()
    assert "(completado)" not in before.split('class="stepper"')[1].split("</nav>")[0]
    complete_proposal(draft, applicant)
    html = client.get(budget_url(draft)).content.decode()
    bar = html.split('class="stepper"')[1].split("</nav>")[0]
    assert bar.count("(completado)") == 5 and bar.count("✓") == 5


def test_a_site_outside_mexico_city_says_so(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(reverse("proposals:proposal_step", args=[draft.pk, "sitio"]), {
        "version": draft.version, "neighbourhood": draft.neighbourhood_id, "address": "Calle 1",
        "latitude": "25.5", "longitude": "-99.1"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "El sitio debe estar dentro de la Ciudad de México" in html and "menor o igual" not in html


@pytest.mark.parametrize("work,text,expected", [
    ("Pavimentación", "Pavimentar la calle principal", True),
    ("Bacheo", "bacheo de la cerrada", True),
    ("Banquetas", "Bancas de concreto", False),
    ("Muros de contención", "Muro de contención del talud", True),
])
def test_an_excluded_work_is_recognised_in_other_words(work, text, expected):
    assert mentions(work, text) is expected


def test_excluded_works_are_warned_on_the_steps_and_review_but_not_refused(client, draft, applicant):
    complete_proposal(draft, applicant)
    services.proposal_update(actor=applicant, proposal_id=draft.pk, data={"title": "Pavimentación del andador"})
    services.budget_lines_save(actor=applicant, proposal_id=draft.pk, lines=[
        {"chapter": "works", "concept": "Bacheo de la calle", "unit": "m2", "quantity": Decimal("100"),
         "unit_price": Decimal("9000")}])
    draft.refresh_from_db()
    warnings = excluded_work_warnings(draft)
    assert len(warnings) == 2 and "«Pavimentación»" in warnings[0] and "«Bacheo»" in warnings[1]
    client.force_login(applicant)
    project = client.get(reverse("proposals:proposal_step", args=[draft.pk, "proyecto"])).content.decode()
    assert "«Pavimentación», una obra que la convocatoria excluye" in project
    assert "«Bacheo»" in client.get(budget_url(draft)).content.decode()
    review = client.get(reverse("proposals:proposal_review", args=[draft.pk])).content.decode()
    assert "«Pavimentación»" in review and "«Bacheo»" in review
    submitted = services.proposal_transition(actor=applicant, proposal_id=draft.pk, action="submit")
    assert submitted.status == "submitted"  # a warning, not a refusal: staff decide eligibility
