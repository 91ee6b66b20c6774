"""The project list at /seguimiento/: what each person sees, the filters kept in the URL, the counts per
state, and a query count that does not grow with the projects."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from projects.models import Project
from projects.workflow import ProjectState
from tests.factories import UserFactory
from tests.projects.helpers import elect, seat_user, selected_project

pytestmark = pytest.mark.django_db
LIST = reverse("projects:list")


def html_of(client, user, url=LIST):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_coordinator_sees_every_project_with_its_row(client, people, project_call):
    one, two = selected_project(project_call), selected_project(project_call)
    html = html_of(client, people["coordinator"])
    for project in (one, two):
        assert project.code in html and project.title in html and project.neighbourhood.name in html
        assert project.neighbourhood.borough.name in html
    assert "$1,000,000.00" in html and "Comités por elegir (2)" in html and "2 proyectos" in html
    assert 'data-label="Ministrado"' in html


def test_a_committee_member_sees_only_their_project(client, people, project_call):
    mine, other = selected_project(project_call), selected_project(project_call)
    elect(mine, people["coordinator"])
    html = html_of(client, seat_user(mine))
    assert mine.code in html and other.code not in html


def test_a_person_with_no_project_gets_an_empty_list(client, project):
    html = html_of(client, UserFactory())
    assert "No hay proyectos con estos filtros." in html and project.code not in html


def test_filters_by_state_and_borough_keep_the_other_filters_in_the_counts(client, people, project_call):
    elected, waiting = selected_project(project_call), selected_project(project_call)
    elect(elected, people["coordinator"])
    url = f"{LIST}?status={ProjectState.AGREEMENT_PENDING}"
    html = html_of(client, people["coordinator"], url)
    assert elected.code in html and waiting.code not in html
    # The counts show every state of the filtered set, so the person can switch state from there.
    assert "Comités por elegir (1)" in html and "Convenio por firmar (1)" in html
    borough = waiting.neighbourhood.borough
    html = html_of(client, people["coordinator"], f"{LIST}?borough={borough.inegi_code}")
    assert waiting.code in html
    if elected.neighbourhood.borough_id != borough.pk:
        assert elected.code not in html


def test_needs_my_action_lists_what_waits_on_the_coordinator(client, people, project_call):
    to_elect, elected = selected_project(project_call), selected_project(project_call)
    elect(elected, people["coordinator"])
    html = html_of(client, people["coordinator"], f"{LIST}?mine=on")
    assert to_elect.code in html and elected.code not in html
    html = html_of(client, people["finance"], f"{LIST}?mine=on")
    assert to_elect.code not in html


def test_pages_carry_the_filters(client, people, project_call, settings):
    from projects.views import pages

    for _ in range(3):
        selected_project(project_call)
    pages.PAGE_SIZE, size = 2, pages.PAGE_SIZE
    try:
        html = html_of(client, people["coordinator"], f"{LIST}?status=committees_pending")
    finally:
        pages.PAGE_SIZE = size
    assert "status=committees_pending&amp;page=2" in html


def test_a_bad_filter_value_is_a_clear_400_not_a_crash(client, people, project):
    client.force_login(people["coordinator"])
    response = client.get(f"{LIST}?status=nada&call=abc")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Elige una opción válida" in html and project.code not in html


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["", "?mine=on", "?status=committees_pending"])
def test_the_list_queries_do_not_grow_with_projects(client, people, project_call, query):
    for _ in range(3):
        selected_project(project_call)
    client.force_login(people["coordinator"])
    few = count_queries(client, LIST + query)
    for _ in range(27):
        selected_project(project_call)
    assert Project.objects.count() == 30
    assert count_queries(client, LIST + query) == few <= 12
