"""A project's page: the summary, committees with their history, the assemblies (failed ones too), the
tranches with what the next one lacks, the timeline and «Qué sigue» for each person's part."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import CommitteeKind
from tests.factories import PDF_BYTES, UserFactory, upload
from tests.projects.helpers import elect, seat_user, selected_project, start_execution

pytestmark = pytest.mark.django_db


def page(client, user, project, status=200):
    client.force_login(user)
    response = client.get(reverse("projects:detail", args=[project.pk]))
    assert response.status_code == status
    return response


def test_each_reader_and_the_community_see_the_page(client, people, project):
    elect(project, people["coordinator"])
    representative = project.group.memberships.get(role="representative").user
    for user in (people["coordinator"], people["finance"], people["auditor"], representative, seat_user(project),
                 seat_user(project, CommitteeKind.SUPERVISION)):
        html = page(client, user, project).content.decode()
        assert project.code in html and "Convenio por firmar" in html and "$1,000,000.00 MXN" in html
        assert "Comité de Desarrollo Comunitario" in html and "Historial del proyecto" in html


def test_a_member_of_another_project_or_an_unrelated_person_gets_404(client, people, project_call):
    mine, other = selected_project(project_call), selected_project(project_call)
    elect(mine, people["coordinator"])
    elect(other, people["coordinator"])
    page(client, seat_user(other), mine, status=404)
    page(client, UserFactory(), mine, status=404)
    page(client, people["coordinator"], mine)


def test_the_page_includes_the_money_partial_with_its_context(client, people, project, monkeypatch):
    from projects.views import pages

    monkeypatch.setattr(pages, "money_context", lambda request, project: {"money_marker": project.code})
    response = page(client, people["coordinator"], project)
    assert "projects/_money.html" in [t.name for t in response.templates]
    assert response.context["money_marker"] == project.code


def test_committees_show_position_and_acceptance_and_replaced_people_in_the_history(client, people, project):
    elect(project, people["coordinator"], accept=False)
    seat = project.seats.get(committee=CommitteeKind.SUPERVISION, position="president")
    services.seat_accept(actor=seat.user, token=seat.token)
    gone = project.seats.get(committee=CommitteeKind.DEVELOPMENT, position="member")
    services.seat_replace(actor=people["coordinator"], seat_id=gone.pk, full_name="Rosa Nueva",
                          email="rosa@ejemplo.mx", reason="Se mudó de la colonia.")
    html = page(client, people["coordinator"], project).content.decode()
    assert "Presidencia" in html and "Aún no" in html and "Sí, el " in html
    history = html[html.index("Historial de cambios"):]
    assert gone.full_name in history and "Se mudó de la colonia." in history and "Rosa Nueva" in history
    assert reverse("projects:seat_replace", args=[project.pk, seat.pk]) in html
    # Only the coordination is offered the change of members.
    html = page(client, people["finance"], project).content.decode()
    assert "Sustituir a" not in html


def test_a_failed_assembly_stays_on_the_record(client, people, project):
    election = services.election_schedule(actor=people["coordinator"], project_id=project.pk,
                                          scheduled_at=timezone.now() - timedelta(minutes=5), place="Deportivo")
    services.election_record(actor=people["coordinator"], election_id=election.pk, attendees=3,
                             minutes=upload("acta.pdf", PDF_BYTES))
    html = page(client, people["coordinator"], project).content.decode()
    assert "Sin quórum" in html and "Deportivo" in html and "3 asistentes" in html
    assert reverse("projects:election_minutes", args=[project.pk, election.pk]) in html
    assert "Asamblea de elección sin quórum" in html  # the timeline's words for it
    assert reverse("projects:election_schedule", args=[project.pk]) in html  # another one is scheduled


def test_the_next_tranche_says_in_words_what_it_lacks(client, people, project):
    elect(project, people["coordinator"])
    start_execution(project, people["coordinator"], people["finance"])
    first = project.tranches.get(number=1)
    services.tranche_transition(actor=seat_user(project), tranche_id=first.pk, action="request")
    services.tranche_transition(actor=people["coordinator"], tranche_id=first.pk, action="approve")
    services.tranche_transition(actor=people["finance"], tranche_id=first.pk, action="release",
                                transfer_reference="SPEI-1", transfer_date=timezone.localdate())
    html = page(client, seat_user(project), project).content.decode()
    assert "Para que avance la ministración 2 falta:" in html
    assert "Falta comprobar la ministración 1" in html and "Falta avance físico" in html
    assert "Ministrada" in html and "$700,000.00" in html


def test_the_timeline_names_each_step_its_actor_and_note(client, people, project):
    elect(project, people["coordinator"])
    html = page(client, people["auditor"], project).content.decode()
    timeline = html[html.index("Historial del proyecto"):]
    for words in ("Se creó el proyecto con los resultados publicados", "Se programó la asamblea de elección",
                  "Se registró la elección de comités", "Una persona electa aceptó su lugar en un comité",
                  "Coordinación", "Asamblea del "):
        assert words in timeline, words


def test_what_next_for_each_part(client, people, project):
    html = page(client, people["coordinator"], project).content.decode()
    assert "Programa la asamblea que elige los tres comités" in html
    elect(project, people["coordinator"], accept=False)
    admin_seat = project.seats.filter(committee=CommitteeKind.ADMINISTRATION).first()
    html = page(client, admin_seat.user, project).content.decode()
    assert "acepta tu lugar" in html and reverse("projects:seat_accept", args=[admin_seat.token]) in html
    services.seat_accept(actor=admin_seat.user, token=admin_seat.token)
    html = page(client, admin_seat.user, project).content.decode()
    assert "Registra la cuenta bancaria" in html
    services.bank_account_register(actor=admin_seat.user, project_id=project.pk, bank="Banco", holder="Comité",
                                   clabe="032180000118359719", proof=upload("c.pdf", PDF_BYTES))
    html = page(client, people["finance"], project).content.decode()
    assert "Verifica la cuenta bancaria" in html
    # Finance's own words never reach the coordinator, nor the auditor who acts on nothing.
    assert "Verifica la cuenta bancaria" not in page(client, people["auditor"], project).content.decode()


def test_the_proposal_link_leads_to_a_page_its_reader_may_open(client, people, project):
    """Everyone who sees a project reads its proposal: staff readers, the group, and (through the
    projects' reader hook) the people elected to run it."""
    elect(project, people["coordinator"])
    link = reverse("proposals:proposal_detail", args=[project.proposal_id])
    for person in (people["coordinator"], seat_user(project)):
        assert link in page(client, person, project).content.decode()
        assert client.get(link).status_code == 200


def test_the_page_queries_do_not_grow_with_the_timeline(client, people, project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    elect(project, people["coordinator"])
    client.force_login(people["coordinator"])
    url = reverse("projects:detail", args=[project.pk])
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    seat = project.seats.filter(committee=CommitteeKind.DEVELOPMENT).first()
    services.seat_replace(actor=people["coordinator"], seat_id=seat.pk, full_name="Otra", email="o@ejemplo.mx",
                          reason="Renunció.")
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)
