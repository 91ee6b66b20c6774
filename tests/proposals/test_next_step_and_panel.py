"""The "qué sigue" box of a returned proposal, and staff-panel errors kept by their fields."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from proposals import services
from proposals.models import StaffComment
from proposals.workflow import ProposalState
from tests.factories import UserFactory, complete_proposal


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=["coordinator"], full_name="Laura Coordinadora")


@pytest.fixture
def submitted(draft, applicant):
    complete_proposal(draft, applicant)
    return services.proposal_transition(actor=applicant, proposal_id=draft.pk, action="submit")


def test_a_returned_proposal_says_why_until_when_and_how_at_the_top(client, submitted, applicant, coordinator):
    deadline = timezone.localdate() + timedelta(days=7)
    services.proposal_transition(actor=coordinator, proposal_id=submitted.pk, action="return",
                                 note="Falta la firma de la constancia", correction_deadline=deadline)
    client.force_login(applicant)
    html = client.get(reverse("proposals:proposal_detail", args=[submitted.pk])).content.decode()
    box = html.index("Qué sigue")
    assert box < html.index('id="s-sitio"') and box < html.index('id="historial"')
    top = html[box:html.index('id="s-sitio"')]
    assert "Falta la firma de la constancia" in top
    assert date_format(deadline, "DATE_FORMAT") in top and " de " in date_format(deadline, "DATE_FORMAT")
    assert reverse("proposals:proposal_review", args=[submitted.pk]) in top  # the way to resubmit
    assert "La coordinación devolvió la propuesta para correcciones" in html  # the timeline, as a sentence
    assert "Laura Coordinadora" not in html  # the group reads the role, not the staff member's name


def test_staff_see_no_next_step_box(client, submitted, coordinator):
    client.force_login(coordinator)
    html = client.get(reverse("proposals:proposal_detail", args=[submitted.pk])).content.decode()
    assert "Qué sigue" not in html and "La coordinación (Laura Coordinadora)" not in html
    assert "envió la propuesta" in html


def test_a_staff_action_error_stays_by_its_field_with_what_was_typed(client, submitted, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("proposals:proposal_action", args=[submitted.pk]), {
        "action": "return", "note": "Revisa el croquis", "version": submitted.version, "correction_deadline": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Indica una fecha límite" in html and "Revisa el croquis</textarea>" in html
    assert '<option value="return" selected>' in html
    assert html.index("Indica una fecha límite") > html.index('for="id_correction_deadline"')
    assert 'class="messages"' not in html or "Indica una fecha límite" not in html.split('class="messages"')[1][:400]
    assert submitted.__class__.objects.get(pk=submitted.pk).status == ProposalState.SUBMITTED


def test_an_empty_comment_is_refused_by_its_field(client, submitted, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("proposals:comment_add", args=[submitted.pk]), {"body": ""})
    html = response.content.decode()
    assert response.status_code == 400 and "Este campo es requerido" in html
    assert html.index("Este campo es requerido") > html.index('for="id_body"')
    assert not StaffComment.objects.exists()


def test_an_assignment_error_stays_in_the_assign_form(client, submitted, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("proposals:reviewer_assign", args=[submitted.pk]), {"reviewer": ""})
    html = response.content.decode()
    assert response.status_code == 400 and html.index("Este campo es requerido") > html.index('for="id_reviewer"')
