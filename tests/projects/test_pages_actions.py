"""The coordination's actions on a project from its page: a note, the confirmation checkbox and the version
the page was loaded with; refusals come back next to their field and change nothing."""

import pytest
from django.urls import reverse

from projects.models import ProjectEvent
from projects.workflow import ProjectState
from tests.projects.helpers import elect, seat_user, start_execution

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(project, people):
    elect(project, people["coordinator"])
    return start_execution(project, people["coordinator"], people["finance"])


def act(client, user, project, action, **fields):
    client.force_login(user)
    data = {"action": action, **{f"{action}-{name}": value for name, value in fields.items()}}
    return client.post(reverse("projects:action", args=[project.pk]), data)


def test_the_page_offers_only_what_the_table_allows_from_the_state(client, running, people):
    client.force_login(people["coordinator"])
    html = client.get(reverse("projects:detail", args=[running.pk])).content.decode()
    assert 'value="suspend"' in html and 'value="complete_works"' in html and 'value="cancel"' in html
    assert 'value="resume"' not in html
    assert 'class="button danger">Cancelar el proyecto' in html
    assert "no recibirá más dinero" in html  # the checkbox says what cancelling does
    for user in (people["finance"], people["auditor"], seat_user(running)):
        client.force_login(user)
        assert "Acciones de la coordinación" not in client.get(
            reverse("projects:detail", args=[running.pk])).content.decode()


def test_suspend_without_the_checkbox_changes_nothing_and_keeps_the_note(client, running, people):
    response = act(client, people["coordinator"], running, "suspend", note="Obra detenida por lluvias",
                   version=running.version)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_suspend-confirm_error"' in html and "Marca la casilla para confirmar" in html
    assert "Obra detenida por lluvias" in html
    running.refresh_from_db()
    assert running.status == ProjectState.IN_EXECUTION


def test_suspend_without_a_note_is_refused_next_to_the_note(client, running, people):
    response = act(client, people["coordinator"], running, "suspend", note="", confirm="on",
                   version=running.version)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_suspend-note_error"' in html and "Escribe el motivo" in html
    running.refresh_from_db()
    assert running.status == ProjectState.IN_EXECUTION


def test_suspend_then_resume(client, running, people):
    response = act(client, people["coordinator"], running, "suspend", note="Obra detenida", confirm="on",
                   version=running.version)
    assert response.status_code == 302
    running.refresh_from_db()
    assert running.status == ProjectState.SUSPENDED
    assert ProjectEvent.objects.filter(project=running, action="suspend", note="Obra detenida").exists()
    response = act(client, people["coordinator"], running, "resume", note="Sigue la obra", confirm="on",
                   version=running.version)
    assert response.status_code == 302
    running.refresh_from_db()
    assert running.status == ProjectState.IN_EXECUTION


def test_a_stale_page_gets_409_and_nothing_changes(client, running, people):
    response = act(client, people["coordinator"], running, "cancel", note="Abandono", confirm="on",
                   version=running.version - 1)
    assert response.status_code == 409
    assert "Alguien más guardó cambios" in response.content.decode()
    running.refresh_from_db()
    assert running.status == ProjectState.IN_EXECUTION


def test_an_action_the_table_refuses_says_why(client, running, people):
    response = act(client, people["coordinator"], running, "close", confirm="on", version=running.version)
    assert response.status_code == 400
    assert "no se puede «Cerrar el proyecto»" in response.content.decode()


def test_only_the_coordination_acts(client, running, people):
    for user in (people["finance"], seat_user(running)):
        response = act(client, user, running, "cancel", note="x", confirm="on", version=running.version)
        assert response.status_code == 403
    running.refresh_from_db()
    assert running.status == ProjectState.IN_EXECUTION
