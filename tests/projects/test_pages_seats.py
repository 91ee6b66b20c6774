"""Seats: accepting the invitation from its link (only as the invited person), and replacing a member with
a reason that stays in the history."""

import pytest
from django.urls import reverse

from projects.models import CommitteeKind
from tests.factories import UserFactory
from tests.projects.helpers import elect

pytestmark = pytest.mark.django_db


@pytest.fixture
def seat(project, people):
    elect(project, people["coordinator"], accept=False)
    return project.seats.select_related("user").get(committee=CommitteeKind.ADMINISTRATION, position="president")


def test_the_invited_person_sees_what_they_accept_and_accepts(client, seat):
    url = reverse("projects:seat_accept", args=[seat.token])
    client.force_login(seat.user)
    html = client.get(url).content.decode()
    assert "comité de Administración (Presidencia)" in html and seat.project.code in html
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("projects:detail", args=[seat.project_id])
    seat.refresh_from_db()
    assert seat.accepted_at is not None
    assert "Ya aceptaste tu lugar" in client.get(url).content.decode()


def test_another_account_is_told_to_log_in_with_the_invited_email(client, seat):
    url = reverse("projects:seat_accept", args=[seat.token])
    client.force_login(UserFactory())
    response = client.get(url)
    assert response.status_code == 403
    html = response.content.decode()
    assert "entra con la de ese correo" in html and seat.email[:2] + "•••@ejemplo.mx" in html
    assert seat.project.code not in html and seat.email not in html
    assert client.post(url).status_code == 403
    seat.refresh_from_db()
    assert seat.accepted_at is None


def test_without_a_session_the_link_asks_to_log_in_first(client, seat):
    url = reverse("projects:seat_accept", args=[seat.token])
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("account_login"))


def test_an_unknown_token_is_not_found(client, seat):
    client.force_login(seat.user)
    assert client.get(reverse("projects:seat_accept", args=["no-existe"])).status_code == 404


def test_an_ended_seat_says_so_and_cannot_be_accepted(client, seat, people):
    from projects import services

    services.seat_replace(actor=people["coordinator"], seat_id=seat.pk, full_name="Nueva Persona",
                          email="nueva@ejemplo.mx", reason="Renunció por salud.")
    client.force_login(seat.user)
    url = reverse("projects:seat_accept", args=[seat.token])
    html = client.get(url).content.decode()
    assert "Este lugar en el comité ya terminó" in html and "Renunció por salud." in html
    client.post(url)
    seat.refresh_from_db()
    assert seat.accepted_at is None


def test_replacing_needs_a_reason_and_keeps_what_was_typed(client, seat, people):
    url = reverse("projects:seat_replace", args=[seat.project_id, seat.pk])
    client.force_login(people["coordinator"])
    assert "Motivo del cambio" in client.get(url).content.decode()
    response = client.post(url, {"full_name": "Ana Suplente", "email": "ana@ejemplo.mx", "reason": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_reason_error"' in html and 'value="Ana Suplente"' in html and 'value="ana@ejemplo.mx"' in html
    seat.refresh_from_db()
    assert seat.active


def test_replacing_with_staff_is_refused_next_to_the_email(client, seat, people):
    url = reverse("projects:seat_replace", args=[seat.project_id, seat.pk])
    client.force_login(people["coordinator"])
    response = client.post(url, {"full_name": "Finanzas", "email": people["finance"].email, "reason": "Cambio"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_email_error"' in html and "es personal de la Secretaría" in html


def test_a_replacement_ends_the_seat_and_the_new_person_is_invited(client, seat, people):
    url = reverse("projects:seat_replace", args=[seat.project_id, seat.pk])
    client.force_login(people["coordinator"])
    response = client.post(url, {"full_name": "Ana Suplente", "email": "ana@ejemplo.mx", "position": "",
                                 "reason": "Se mudó."})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert not seat.active and seat.replaced_by.full_name == "Ana Suplente"
    assert seat.replaced_by.position == "president"  # empty: the same position as who left
    # The ended seat's page now says so instead of offering the form.
    assert client.get(url).status_code == 302


def test_only_the_coordination_replaces(client, seat, people):
    url = reverse("projects:seat_replace", args=[seat.project_id, seat.pk])
    client.force_login(people["finance"])
    assert client.get(url).status_code == 403
    client.force_login(seat.user)
    assert client.post(url, {"full_name": "X", "email": "x@ejemplo.mx", "reason": "y"}).status_code == 403
