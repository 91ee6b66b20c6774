"""Tranches on the money pages: each with its state and what is missing, and the action each role may take:
request (administration committee), approve or withhold with a reason (coordination), release with the
transfer's reference and date (finance, never the approver), with a confirmation and the version."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import StaffRole
from accounts.services import role_grant
from projects import services
from projects.models import CommitteeKind, Project
from projects.workflow import TrancheState
from tests.projects.helpers import elect, seat_user, start_execution
from tests.projects.test_money_pages_account import money_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(project, people):
    elect(project, people["coordinator"])
    return start_execution(project, people["coordinator"], people["finance"])


def act(client, tranche, action, **data):
    tranche.refresh_from_db()
    data.setdefault("version", tranche.version)
    return client.post(reverse(f"projects:tranche_{action}", args=[tranche.project_id, tranche.pk]), data)


def release_data(**overrides):
    return {"transfer_reference": "SPEI 0042", "transfer_date": timezone.localdate().isoformat(), "confirm": "on",
            **overrides}


def before(html, field_id):
    at = html.index(f'id="{field_id}"')
    return html[at - 700:at]


@pytest.fixture
def approved(running, people):
    tranche = running.tranches.get(number=1)
    services.tranche_transition(actor=seat_user(running), tranche_id=tranche.pk, action="request")
    services.tranche_transition(actor=people["coordinator"], tranche_id=tranche.pk, action="approve")
    tranche.refresh_from_db()
    return tranche


def test_before_execution_each_tranche_says_what_is_missing_and_offers_no_request(client, project, people):
    elect(project, people["coordinator"])
    client.force_login(seat_user(project))
    html = client.get(money_url(project)).content.decode()
    assert "Falta el convenio firmado por la Secretaría." in html
    assert "Falta la cuenta bancaria verificada por Finanzas." in html
    assert "La ministración 2 se solicita después de la 1." in html  # only the next one lists what it misses
    assert "Solicitar la ministración" not in html


def test_the_administration_committee_requests_the_first_and_the_second_says_why_not_yet(client, running):
    client.force_login(seat_user(running))
    html = client.get(money_url(running)).content.decode()
    assert "Solicitar la ministración 1" in html and "Solicitar la ministración 2" not in html
    assert "La ministración 2 se solicita después de la 1." in html
    first = running.tranches.get(number=1)
    assert act(client, first, "request", note="Iniciamos obras").status_code == 302
    first.refresh_from_db()
    assert first.status == TrancheState.REQUESTED and first.events.get().note == "Iniciamos obras"
    client.force_login(seat_user(running, CommitteeKind.SUPERVISION))
    assert "Solicitar la ministración" not in client.get(money_url(running)).content.decode()


def test_a_second_request_of_the_same_tranche_is_refused_with_the_reason(client, running):
    client.force_login(seat_user(running))
    first = running.tranches.get(number=1)
    act(client, first, "request")
    response = act(client, first, "request")
    assert response.status_code == 400
    assert "La ministración está «Solicitada»: no se puede «Solicitar»." in response.content.decode()


def test_coordination_approves_or_withholds_with_a_reason(client, running, people):
    first = running.tranches.get(number=1)
    services.tranche_transition(actor=seat_user(running), tranche_id=first.pk, action="request")
    client.force_login(people["coordinator"])
    html = client.get(money_url(running)).content.decode()
    assert "Aprobar la ministración 1" in html and "Retener la ministración 1" in html
    response = act(client, first, "withhold", note="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Escribe el motivo: el comité lo leerá." in before(html, f"id_t{first.pk}_withhold_note")
    first.refresh_from_db()
    assert first.status == TrancheState.REQUESTED
    assert act(client, first, "withhold", note="Falta la bitácora de obra").status_code == 302
    client.force_login(seat_user(running))
    html = client.get(money_url(running)).content.decode()
    assert "Falta la bitácora de obra" in html and "Solicitar la ministración 1" in html  # asked again later
    assert act(client, first, "request").status_code == 302
    client.force_login(people["coordinator"])
    assert act(client, first, "approve").status_code == 302
    first.refresh_from_db()
    assert first.status == TrancheState.APPROVED and first.approved_by == people["coordinator"]


def test_finance_releases_with_reference_date_and_confirmation(client, approved, people):
    client.force_login(people["finance"])
    html = client.get(money_url(approved.project)).content.decode()
    assert "Registrar la entrega de la ministración 1" in html and f'id="id_t{approved.pk}_release_confirm"' in html
    assert act(client, approved, "release", **release_data()).status_code == 302
    approved.refresh_from_db()
    project = Project.objects.get(pk=approved.project_id)
    assert approved.status == TrancheState.RELEASED and approved.transfer_reference == "SPEI 0042"
    assert project.released_total == approved.amount
    html = client.get(money_url(project)).content.decode()
    assert "SPEI 0042" in html and "Ministrada" in html


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"confirm": ""}, "confirm", "Marca la casilla para confirmar"),
    ({"transfer_reference": ""}, "transfer_reference", "Escribe la referencia de la transferencia."),
    ({"transfer_date": ""}, "transfer_date", "Indica la fecha de la transferencia."),
    ({"transfer_date": (timezone.localdate() + timedelta(days=2)).isoformat()}, "transfer_date",
     "Indica la fecha de la transferencia (hoy o antes)."),
    ({"transfer_date": "2999-01-01"}, "transfer_date", "La fecha debe estar entre el"),
    ({"transfer_date": "31/02/2026"}, "transfer_date", "Escribe una fecha válida."),
])
def test_the_release_form_refuses_by_the_field_and_keeps_what_was_typed(client, approved, people, overrides, field,
                                                                        message):
    client.force_login(people["finance"])
    response = act(client, approved, "release", **release_data(**overrides))
    html = response.content.decode()
    assert response.status_code == 400
    assert message in before(html, f"id_t{approved.pk}_release_{field}")
    if overrides.get("transfer_reference") != "":
        assert 'value="SPEI 0042"' in html
    approved.refresh_from_db()
    assert approved.status == TrancheState.APPROVED
    assert Project.objects.get(pk=approved.project_id).released_total == 0


def test_the_one_who_approved_never_releases_and_the_page_says_so(client, running, people):
    both = people["coordinator2"]
    role_grant(user=both, role=StaffRole.FINANCE_OFFICER)
    first = running.tranches.get(number=1)
    services.tranche_transition(actor=seat_user(running), tranche_id=first.pk, action="request")
    services.tranche_transition(actor=both, tranche_id=first.pk, action="approve")
    client.force_login(both)
    html = client.get(money_url(running)).content.decode()
    assert "Tú aprobaste esta ministración: la entrega otra persona de Finanzas." in html
    assert "Registrar la entrega de la ministración 1" not in html
    response = act(client, first, "release", **release_data())  # a form sent all the same
    assert response.status_code == 400
    assert "Quien aprobó la ministración no puede también entregarla." in response.content.decode()
    first.refresh_from_db()
    assert first.status == TrancheState.APPROVED


def test_a_stale_release_is_a_409_and_nothing_is_released(client, approved, people):
    client.force_login(people["finance"])
    response = act(client, approved, "release", **release_data(version=approved.version - 1))
    assert response.status_code == 409
    assert "Alguien más guardó cambios" in response.content.decode()
    approved.refresh_from_db()
    assert approved.status == TrancheState.APPROVED


def test_roles_that_may_not_act_are_refused(client, approved, people):
    client.force_login(people["coordinator"])
    assert act(client, approved, "release", **release_data()).status_code == 403
    client.force_login(seat_user(approved.project))
    assert act(client, approved, "approve").status_code == 403
    client.force_login(people["finance"])
    assert act(client, approved, "approve").status_code == 403
    approved.refresh_from_db()
    assert approved.status == TrancheState.APPROVED
