"""What a phone walkthrough found on the project pages: the list's headline counts what is listed, and a
result is not offered for an assembly still to be held."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from projects import services
from projects.models import Project
from projects.workflow import ProjectState
from tests.projects.helpers import selected_project


def test_the_headline_counts_the_filtered_rows(client, people, project, project_call):
    selected_project(project_call)
    Project.objects.filter(pk=project.pk).update(status=ProjectState.IN_EXECUTION)
    client.force_login(people["coordinator"])
    page = client.get(reverse("projects:list"), {"status": "closed"}).content.decode()
    assert "0 proyectos." in page
    page = client.get(reverse("projects:list"), {"status": "in_execution"}).content.decode()
    assert "1 proyecto." in page and project.code in page


def test_no_result_is_offered_before_the_assembly_is_held(client, people, project):
    election = services.election_schedule(actor=people["coordinator"], project_id=project.pk,
                                          scheduled_at=timezone.now() + timedelta(days=3), place="Plaza")
    client.force_login(people["coordinator"])
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    record = reverse("projects:election_record", args=[project.pk, election.pk])
    assert record not in page and "registra su resultado después de celebrarla" in page


def test_the_project_page_has_no_repeated_ids(client, people, project):
    import re
    from collections import Counter

    client.force_login(people["coordinator"])
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    repeated = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', page)).items() if n > 1]
    assert not repeated, repeated
