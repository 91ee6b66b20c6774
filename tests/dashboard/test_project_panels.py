"""Funded projects on the start page: a committee member sees their project and the next thing to do; the
coordination sees counts of projects waiting on it; finance and audit the funded figures. Queries do not
grow with the projects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects import services
from projects.models import CommitteeKind
from tests.factories import UserFactory
from tests.projects.conftest import two_tranche_call
from tests.projects.helpers import elect, seat_user, selected_project, staff_people, start_execution

pytestmark = pytest.mark.django_db
START = reverse("dashboard:start")


@pytest.fixture
def people(db):
    return staff_people()


@pytest.fixture
def project_call(db):
    return two_tranche_call()


@pytest.fixture
def project(project_call):
    return selected_project(project_call)


def start_page(client, user):
    client.force_login(user)
    response = client.get(START)
    assert response.status_code == 200
    return response.content.decode()


def test_an_elected_person_is_asked_to_accept_then_told_the_next_step(client, people, project):
    elect(project, people["coordinator"], accept=False)
    seat = project.seats.get(committee=CommitteeKind.ADMINISTRATION, position="president")
    html = start_page(client, seat.user)
    assert "Tu proyecto financiado" in html and project.code in html and "Comité de Administración" in html
    assert reverse("projects:seat_accept", args=[seat.token]) in html
    services.seat_accept(actor=seat.user, token=seat.token)
    html = start_page(client, seat.user)
    assert "Registra la cuenta bancaria" in html


def test_a_supervision_member_in_execution_is_told_their_part(client, people, project):
    elect(project, people["coordinator"])
    start_execution(project, people["coordinator"], people["finance"])
    html = start_page(client, seat_user(project, CommitteeKind.SUPERVISION))
    assert "das seguimiento a la obra" in html


def test_in_the_works_the_panel_tells_each_committee_what_waits_for_it(client, people, project_call):
    from tests.projects.execution_helpers import in_execution_project, record_invoice

    works = in_execution_project(project_call, people)
    record_invoice(works)
    html = start_page(client, works.supervision)
    assert "Hay 1 gasto por avalar." in html
    assert reverse("projects:expenses", args=[works.project.pk]) in html


def test_the_group_sees_its_project_without_a_seat(client, people, project):
    representative = project.group.memberships.get(role="representative").user
    html = start_page(client, representative)
    assert "De tu grupo comunitario" in html and project.code in html


def test_people_without_a_project_see_no_project_panel_nor_menu_entry(client, project):
    html = start_page(client, UserFactory())
    assert "Tu proyecto financiado" not in html and reverse("projects:list") not in html


def test_the_menu_shows_projects_to_who_sees_any(client, people, project):
    elect(project, people["coordinator"])
    for user in (people["coordinator"], people["finance"], people["auditor"], seat_user(project)):
        assert f'href="{reverse("projects:list")}">Proyectos</a>' in start_page(client, user)


def test_the_coordinator_sees_counts_of_what_waits(client, people, project_call):
    waiting = [selected_project(project_call) for _ in range(2)]
    elected = selected_project(project_call)
    elect(elected, people["coordinator"])
    start_execution(elected, people["coordinator"], people["finance"])
    services.tranche_transition(actor=seat_user(elected), tranche_id=elected.tranches.get(number=1).pk,
                                action="request")
    html = start_page(client, people["coordinator"])
    panel = html[html.index('id="panel-project-coordinator"'):]
    assert "3 requieren tu acción" in panel
    assert f"<strong>{len(waiting)}</strong> Comités por elegir" in panel
    assert "<strong>1</strong> Ministraciones por aprobar" in panel
    assert "<strong>1</strong> En ejecución" in panel


def test_the_coordinator_sees_overdue_visit_observations(client, people, project_call):
    from datetime import timedelta

    from django.utils import timezone

    from projects.models import VisitObservation
    from tests.projects.execution_helpers import in_execution_project

    works = in_execution_project(project_call, people)
    today = timezone.localdate()
    visit = services.site_visit_record(actor=people["coordinator2"], project_id=works.project.pk, visited_on=today,
                                       findings="Obra sin señalizar.",
                                       observations=[("Señalizar", today + timedelta(days=2)),
                                                     ("Limpiar", today + timedelta(days=2))])
    first, second = visit.observations.order_by("id")
    VisitObservation.objects.filter(pk=first.pk).update(answer_due_on=today - timedelta(days=1))
    services.observation_answer(actor=works.admin, observation_id=second.pk, answer="Listo.")
    panel = start_page(client, people["coordinator"])
    panel = panel[panel.index('id="panel-project-coordinator"'):]
    assert "<strong>1</strong> Observaciones de visita vencidas" in panel
    assert "<strong>1</strong> Respuestas a observaciones por revisar" in panel


def test_finance_and_audit_see_the_funded_figures(client, people, project):
    for user in (people["finance"], people["auditor"]):
        html = start_page(client, user)
        assert "1 proyecto financiado: $1,000,000.00 aprobados, $0.00 ministrados." in html


def queries(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(START).status_code == 200
    return len(captured)


def test_the_panels_queries_do_not_grow_with_projects(client, people, project_call):
    member = UserFactory(email="vecina@ejemplo.mx")

    def seated_project():
        funded = selected_project(project_call)
        slate = [{"committee": kind, "position": "member", "full_name": f"P {kind} {i}",
                  "email": member.email if (kind, i) == (CommitteeKind.ADMINISTRATION, 0)
                  else f"{funded.code.lower()}-{kind}-{i}@ejemplo.mx"}
                 for kind in CommitteeKind for i in range(3)]
        elect(funded, people["coordinator"], members=slate)

    seated_project()
    counts = {who.pk: queries(client, who) for who in (member, people["coordinator"], people["finance"])}
    for _ in range(3):
        seated_project()
    for who in (member, people["coordinator"], people["finance"]):
        assert queries(client, who) == counts[who.pk], who
    assert start_page(client, member).count("Comité de Administración ·") == 4
