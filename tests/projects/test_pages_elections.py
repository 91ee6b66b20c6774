"""The election forms: schedule, record (attendance, votes, minutes, the slate), and the minutes download.
Refused input comes back next to its field with what was typed; nothing is written on a refusal."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import CommitteeKind, CommitteeSeat, ElectionAssembly
from projects.workflow import ProjectState
from tests.factories import PDF_BYTES, upload
from tests.projects.helpers import elect, seat_user, selected_project, slate

pytestmark = pytest.mark.django_db


def scheduled(project, coordinator, minutes_ago=5):
    return services.election_schedule(actor=coordinator, project_id=project.pk,
                                      scheduled_at=timezone.now() - timedelta(minutes=minutes_ago), place="Parque")


def record_url(project, election):
    return reverse("projects:election_record", args=[project.pk, election.pk])


def slate_post(members, **extra):
    """The record form as a browser sends it: each committee's rows in the order of the slate."""
    data = {"attendees": "80", "votes_for": "70", "votes_against": "5", "abstentions": "5",
            "observations": "Sin incidentes", "minutes": upload("acta.pdf", PDF_BYTES), **extra}
    index = dict.fromkeys(CommitteeKind.values, 0)
    for member in members:
        kind = str(member["committee"].value if hasattr(member["committee"], "value") else member["committee"])
        prefix = f"{kind}-{index[kind]}"
        index[kind] += 1
        data |= {f"{prefix}-committee": kind, f"{prefix}-full_name": member["full_name"],
                 f"{prefix}-email": member["email"], f"{prefix}-position": member["position"]}
    return data


def test_schedule_refuses_a_past_date_next_to_the_field_and_keeps_the_place(client, people, project):
    client.force_login(people["coordinator"])
    url = reverse("projects:election_schedule", args=[project.pk])
    assert client.get(url).status_code == 200
    yesterday = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"scheduled_at": yesterday, "place": "Plaza Cívica", "version": "1"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_scheduled_at_error"' in html and "Esa fecha ya pasó" in html
    assert 'value="Plaza Cívica"' in html
    assert not project.elections.exists()


def test_schedule_then_the_stale_page_gets_409(client, people, project):
    client.force_login(people["coordinator"])
    url = reverse("projects:election_schedule", args=[project.pk])
    when = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"scheduled_at": when, "place": "Plaza", "version": "1"})
    assert response.status_code == 302 and project.elections.count() == 1
    response = client.post(url, {"scheduled_at": when, "place": "Otra plaza", "version": "1"})
    assert response.status_code == 409
    assert "Alguien más guardó cambios" in response.content.decode() and project.elections.count() == 1


def test_record_without_quorum_stays_on_the_record(client, people, project):
    election = scheduled(project, people["coordinator"])
    client.force_login(people["coordinator"])
    data = {"attendees": "4", "minutes": upload("acta.pdf", PDF_BYTES), "version": "2"}
    response = client.post(record_url(project, election), data)
    assert response.status_code == 302
    election.refresh_from_db()
    project.refresh_from_db()
    assert election.status == ElectionAssembly.Status.NO_QUORUM
    assert project.status == ProjectState.COMMITTEES_PENDING and not project.seats.exists()


def test_record_with_the_slate_elects_and_invites(client, people, project, mailoutbox,
                                                  django_capture_on_commit_callbacks):
    election = scheduled(project, people["coordinator"])
    client.force_login(people["coordinator"])
    page = client.get(record_url(project, election)).content.decode()
    assert page.count('data-label="Correo electrónico"') == 9  # 3 committees × 3 people (the call's default)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(record_url(project, election), slate_post(slate(prefix="ok")))
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == ProjectState.AGREEMENT_PENDING and project.seats.count() == 9
    invited = sorted(to for mail in mailoutbox if "Te eligieron" in mail.subject for to in mail.to)
    assert invited == sorted(member["email"] for member in slate(prefix="ok"))


def test_an_incomplete_slate_says_so_above_the_rows_and_keeps_every_row(client, people, project):
    election = scheduled(project, people["coordinator"])
    client.force_login(people["coordinator"])
    members = slate(prefix="falta")[:-1]  # the development committee lacks one person
    response = client.post(record_url(project, election), slate_post(members))
    assert response.status_code == 400
    html = response.content.decode()
    errors = html[html.index('id="members-errors"'):]
    assert "El comité de Desarrollo Comunitario lleva 3 integrantes; registraste 2." in errors
    assert html.index('id="members-errors"') < html.index('name="administration-0-full_name"')
    for member in members:
        assert f'value="{member["email"]}"' in html and f'value="{member["full_name"]}"' in html
    assert 'value="80"' in html and "Sin incidentes" in html  # the rest of the form as typed
    assert not CommitteeSeat.objects.exists()
    election.refresh_from_db()
    assert election.status == ElectionAssembly.Status.SCHEDULED


def test_a_row_without_email_gets_its_error_next_to_it(client, people, project):
    election = scheduled(project, people["coordinator"])
    client.force_login(people["coordinator"])
    members = slate(prefix="fila")
    members[4] = {**members[4], "email": ""}
    response = client.post(record_url(project, election), slate_post(members))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_supervision-1-email_error"' in html and "Escribe el correo." in html
    assert f'value="{members[4]["full_name"]}"' in html


def test_staff_in_the_slate_or_a_person_twice_are_refused_with_their_reason(client, people, project):
    election = scheduled(project, people["coordinator"])
    client.force_login(people["coordinator"])
    members = slate(prefix="dos")
    members[0] = {**members[0], "email": people["finance"].email}
    members[8] = {**members[8], "email": members[3]["email"]}
    html = client.post(record_url(project, election), slate_post(members)).content.decode()
    assert "es personal de la Secretaría" in html and "aparece más de una vez" in html


def test_bad_counts_and_a_missing_pdf_go_next_to_their_fields(client, people, project):
    election = scheduled(project, people["coordinator"])
    client.force_login(people["coordinator"])
    data = slate_post(slate(prefix="v"), attendees="-3")
    del data["minutes"]
    html = client.post(record_url(project, election), data).content.decode()
    assert 'id="id_attendees_error"' in html and "No puede ser negativa." in html
    data = slate_post(slate(prefix="v"), minutes=upload("acta.pdf", b"no es un pdf"))
    html = client.post(record_url(project, election), data).content.decode()
    assert 'id="id_minutes_error"' in html and "no es un PDF" in html
    data = slate_post(slate(prefix="v"), votes_for="10", votes_against="60")
    html = client.post(record_url(project, election), data).content.decode()
    assert 'id="id_votes_for_error"' in html and "más votos a favor" in html
    assert not CommitteeSeat.objects.exists()


def test_an_assembly_already_recorded_is_not_recorded_twice(client, people, project):
    election = elect(project, people["coordinator"])
    client.force_login(people["coordinator"])
    response = client.get(record_url(project, election))
    assert response.status_code == 302


def test_the_minutes_download_checks_who_sees_the_project(client, people, project_call):
    project, other = selected_project(project_call), selected_project(project_call)
    election = elect(project, people["coordinator"])
    elect(other, people["coordinator"])
    url = reverse("projects:election_minutes", args=[project.pk, election.pk])
    client.force_login(seat_user(project, CommitteeKind.SUPERVISION))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(seat_user(other))
    assert client.get(url).status_code == 404
    # Another project's election through this project's address is not found either.
    wrong = reverse("projects:election_minutes", args=[other.pk, election.pk])
    client.force_login(people["coordinator"])
    assert client.get(wrong).status_code == 404
