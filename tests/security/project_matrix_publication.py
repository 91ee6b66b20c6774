"""Rows of the funded projects' authorization matrix for the coordination's switches of what the public
page shows (see test_authorization_matrix_projects.py). An empty POST takes the thing off the public page
(nothing to refuse), so the coordination gets its redirect (302); everyone else who sees project A 403."""

from django.utils import timezone

from tests.security.project_roles import ADMIN, COORDINATOR, project_action

ROWS: list = [
    ("projects:logbook_entry_publish", "logbook_entry", "post", project_action(302, allowed=[COORDINATOR])),
    ("projects:expense_receipt_publish", "expense", "post", project_action(302, allowed=[COORDINATOR])),
    ("projects:document_publish", "document", "post", project_action(302, allowed=[COORDINATOR])),
]


def world_kwargs(project, users) -> dict:
    """A logbook entry of project A and its agreement (the world's invoice is the «expense» key)."""
    from projects import services

    entry = services.logbook_write(actor=users[ADMIN], project_id=project.pk, happened_on=timezone.localdate(),
                                   text="Se revisó el trazo.")
    return {
        "logbook_entry": {"pk": project.pk, "entry_pk": entry.pk},
        "document": {"pk": project.pk, "kind": "agreement"},
    }
