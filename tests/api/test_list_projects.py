"""The funded projects' lists through nicp.api_pagination: the project list, every expense, and a project's
expenses, reports, logbook, visits and observations. For each: the same queries with 1 row and with many,
every visible row exactly once walking by page number and by cursor (both ways), none it should not see."""

import json
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.renderers import JSONRenderer

from projects import services
from projects.api.serializers import ProjectSerializer
from projects.models import Project
from tests.api.list_walk import by_cursor, by_number, queries
from tests.api.projects_world import api_for
from tests.factories import UserFactory
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, photo, record_invoice
from tests.projects.helpers import selected_project, staff_people


@pytest.fixture
def people(db):
    return staff_people()


@pytest.fixture
def call(db):
    return two_tranche_call(year=2034)


@pytest.fixture
def works(call, people):
    return in_execution_project(call, people)


def walks_to(client, url, expected, **params):
    """Both walks give `expected`, in that order, once each."""
    assert by_number(client, url, page_size=2, **params) == expected
    forward, backward = by_cursor(client, url, page_size=2, **params)
    assert forward == backward == expected


def same_queries(client, url, grow, **params) -> None:
    """The list's queries (by number and by cursor) do not change when it grows from 1 row to many."""
    one = (queries(client, url, **params), queries(client, url, cursor="", **params))
    grow()
    assert (queries(client, url, **params), queries(client, url, cursor="", **params)) == one


def test_the_project_list(call, people):
    representative = UserFactory()
    own = selected_project(call, representative=representative)
    coordinator = api_for(people["coordinator"])
    others = []
    same_queries(coordinator, "/api/v1/projects/", lambda: others.extend(selected_project(call).pk for _ in range(4)))
    everyone = sorted([own.pk, *others], reverse=True)
    walks_to(coordinator, "/api/v1/projects/", everyone)
    walks_to(coordinator, "/api/v1/projects/", sorted(everyone), ordering="updated_at")
    walks_to(api_for(representative), "/api/v1/projects/", [own.pk])  # the group sees its project alone
    [row] = api_for(representative).get("/api/v1/projects/").json()["results"]
    own = Project.objects.for_list().get(pk=own.pk)
    assert row == json.loads(JSONRenderer().render(ProjectSerializer(own).data))  # the same JSON as DRF's own
    assert row["call_title"] == call.title and row["status_label"] == own.get_status_display()
    walks_to(api_for(UserFactory()), "/api/v1/projects/", [])


def test_every_expense_and_a_projects_expenses(works, people):
    record_invoice(works, concept="Compra 0")
    finance, admin = api_for(people["finance"]), api_for(works.admin)
    own = f"/api/v1/projects/{works.project.pk}/expenses/"

    def grow():
        for n in range(1, 6):
            record_invoice(works, subtotal=Decimal("100.00"), concept=f"Compra {n}")

    one = [queries(finance, "/api/v1/expenses/"), queries(finance, "/api/v1/expenses/", cursor=""),
           queries(admin, own), queries(admin, own, cursor="")]
    grow()
    assert [queries(finance, "/api/v1/expenses/"), queries(finance, "/api/v1/expenses/", cursor=""),
            queries(admin, own), queries(admin, own, cursor="")] == one
    expected = sorted(works.project.expenses.values_list("pk", flat=True), reverse=True)
    assert len(expected) == 6
    walks_to(finance, "/api/v1/expenses/", expected)
    walks_to(finance, "/api/v1/expenses/", sorted(expected), ordering="updated_at")
    walks_to(admin, own, expected)
    # The list's rows are serialized field by field once per page (nicp.api_pagination_rows): the same JSON as
    # the one expense's answer, invoice included.
    rows = finance.get("/api/v1/expenses/").json()["results"]
    assert rows[0]["cfdi"]["xml_url"]
    assert rows == [finance.get(f"/api/v1/expenses/{row['id']}/").json() for row in rows]
    walks_to(api_for(UserFactory()), "/api/v1/expenses/", [])


def test_a_projects_logbook(works, people):
    url = f"/api/v1/projects/{works.project.pk}/logbook/"

    def write(count):
        for n in range(count):
            services.logbook_write(actor=works.admin, project_id=works.project.pk, happened_on=timezone.localdate(),
                                   text=f"Entrada {n}")

    write(1)
    same_queries(api_for(people["auditor"]), url, lambda: write(5))
    expected = sorted(works.project.logbook.values_list("pk", flat=True), reverse=True)
    walks_to(api_for(people["auditor"]), url, expected)


def test_a_projects_visits_and_observations(works, people):
    visits, observations = (f"/api/v1/projects/{works.project.pk}/{name}/" for name in ("visits", "observations"))
    due = timezone.localdate() + timedelta(days=10)

    def visit(count):
        for n in range(count):
            services.site_visit_record(actor=people["coordinator"], project_id=works.project.pk,
                                       visited_on=timezone.localdate(), findings=f"Visita {n}",
                                       observations=[(f"Observación {n}a", due), (f"Observación {n}b", due)])

    visit(1)
    reader = api_for(works.supervision)
    one = (queries(reader, visits), queries(reader, observations), queries(reader, observations, cursor=""))
    visit(4)
    assert (queries(reader, visits), queries(reader, observations), queries(reader, observations, cursor="")) == one
    walks_to(reader, visits, sorted(works.project.visits.values_list("pk", flat=True), reverse=True))
    walks_to(reader, observations, sorted(works.project.observations.values_list("pk", flat=True)))


def test_a_projects_progress_reports(works, people):
    url = f"/api/v1/projects/{works.project.pk}/reports/"

    def report(percent):  # one at a time: the next is sent once Supervisión endorsed the last
        sent = services.progress_report_submit(actor=works.admin, project_id=works.project.pk,
                                               physical_percent=Decimal(percent), summary=f"Avance {percent}",
                                               photos=[photo()])
        services.progress_report_transition(actor=works.supervision, report_id=sent.pk, action="endorse")

    report(10)
    same_queries(api_for(people["auditor"]), url, lambda: [report(p) for p in (20, 30, 40)])
    expected = list(works.project.progress_reports.order_by("-due_on", "-id").values_list("pk", flat=True))
    assert len(expected) == 4
    walks_to(api_for(people["auditor"]), url, expected)
