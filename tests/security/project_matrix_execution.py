"""Rows of the funded projects' authorization matrix for the works pages (progress, logbook, visits,
photos, timeline): (url name, kwargs key, method, expected by role).

Project A of the world is in execution with a progress report waiting for supervision, a visit whose
observation is open and a photo (world_kwargs adds them). An allowed role's empty POST is refused input
(400); the coordination's photo switch goes through (302)."""

from django.utils import timezone

from tests.security.project_roles import *  # noqa: F403  (role names and row builders)

WRITERS = [ADMIN, SUPERVISION, COORDINATOR, FINANCE]  # noqa: F405  (committees and the staff following the works)

ROWS: list = [
    ("projects:progress", "project", "get", project_page(200)),  # noqa: F405
    ("projects:report_submit", "project", "get", project_action(200, allowed=[ADMIN])),  # noqa: F405
    ("projects:report_submit", "project", "post", project_action(400, allowed=[ADMIN])),  # noqa: F405
    ("projects:report_action", "report", "get", project_action(200, allowed=[ADMIN, SUPERVISION])),  # noqa: F405
    ("projects:report_action", "report", "post", project_action(400, allowed=[ADMIN, SUPERVISION])),  # noqa: F405
    ("projects:logbook", "project", "get", project_page(200)),  # noqa: F405
    ("projects:logbook_write", "project", "get", project_action(200, allowed=WRITERS)),  # noqa: F405
    ("projects:logbook_write", "project", "post", project_action(400, allowed=WRITERS)),  # noqa: F405
    ("projects:visits", "project", "get", project_page(200)),  # noqa: F405
    ("projects:visit_record", "project", "get", project_action(200, allowed=[COORDINATOR])),  # noqa: F405
    ("projects:visit_record", "project", "post", project_action(400, allowed=[COORDINATOR])),  # noqa: F405
    ("projects:observation_answer", "observation", "post",
     project_action(400, allowed=[ADMIN, SUPERVISION])),  # noqa: F405
    ("projects:observation_settle", "observation", "post", project_action(400, allowed=[COORDINATOR])),  # noqa: F405
    ("projects:photo", "photo", "get", project_page(200)),  # noqa: F405
    ("projects:photo_publish", "photo", "post", project_action(302, allowed=[COORDINATOR])),  # noqa: F405
    ("projects:timeline", "project", "get", project_page(200)),  # noqa: F405
]


def world_kwargs(project, users) -> dict:
    """What the works rows need in project A: a submitted report with its photo and an open observation."""
    from datetime import timedelta

    from projects import services
    from tests.projects.execution_helpers import photo

    report = services.progress_report_submit(actor=users[ADMIN], project_id=project.pk,  # noqa: F405
                                             physical_percent=10, summary="Trazo y nivelación.", photos=[photo()])
    today = timezone.localdate()
    visit = services.site_visit_record(actor=users[COORDINATOR], project_id=project.pk,  # noqa: F405
                                       visited_on=today, findings="Obra en orden.",
                                       observations=[("Señalizar la zanja.", today + timedelta(days=10))])
    return {
        "report": {"pk": project.pk, "report_pk": report.pk},
        "observation": {"pk": project.pk, "obs_pk": visit.observations.get().pk},
        "photo": {"pk": project.pk, "photo_pk": report.photos.get().pk},
    }
