"""Free text has a ceiling too: a two-million-character comment must not be stored and then rendered to
every reader. Every text column a person fills declares its length (nicp/bounds.py), so forms, the API
and the model refuse more with a message; columns only the system writes are listed here, on purpose."""

import pytest
from django.apps import apps
from django.db import models
from django.urls import reverse
from rest_framework.test import APIClient

from nicp.bounds import NOTE_MAX, TEXT_MAX
from proposals.models import StaffComment
from tests.factories import make_open_call
from tests.proposals.test_review_pages import coordinator, submit_many  # noqa: F401  (fixture and helper)

PROJECT_APPS = {"accounts", "neighbourhoods", "proposals", "committees", "projects", "notifications", "reports"}
# Written by the services from fixed phrases and codes, never straight from a person's input.
SYSTEM_WRITTEN = {"committees.ScoreSheet.void_reason", "committees.SelectionEntry.after_vote_note",
                  "committees.CommitteeEvent.note", "notifications.Notice.body", "proposals.ProposalEvent.note",
                  "proposals.CallEvent.note", "projects.ProjectEvent.note", "projects.TrancheEvent.note",
                  "projects.ExpenseEvent.note", "projects.ReportEvent.note",
                  "reports.Report.error"}  # the reason a report failed, written by the worker
# (Event notes a person types are bounded by the workflow engine, nicp/workflow.py, on every path.)


@pytest.fixture
def call(db):
    return make_open_call()


def text_columns():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.TextField):
                yield f"{model._meta.label}.{field.name}", field


def test_every_text_column_a_person_fills_has_a_length():
    unbounded = [name for name, field in text_columns() if field.max_length is None and name not in SYSTEM_WRITTEN]
    assert not unbounded, f"TextFields without max_length (add one from nicp.bounds): {unbounded}"
    assert {name for name, _field in text_columns()} >= SYSTEM_WRITTEN  # the list names real columns


def test_an_oversized_internal_comment_is_refused_with_the_reason(client, call, group, applicant, coordinator):  # noqa: F811
    proposal = submit_many(call, group, applicant, 1)[0]
    client.force_login(coordinator)
    response = client.post(reverse("proposals:comment_add", args=[proposal.pk]), {"body": "x" * (NOTE_MAX + 1)},
                           follow=True)
    assert StaffComment.objects.count() == 0
    assert "como máximo" in response.content.decode() or "at most" in response.content.decode()


@pytest.mark.parametrize(("field", "limit"), [("diagnosis", TEXT_MAX), ("description", TEXT_MAX)])
def test_the_api_refuses_oversized_proposal_text(call, group, applicant, field, limit):
    from proposals.services import proposal_create

    proposal = proposal_create(actor=applicant, call=call, group=group, title="Parque")
    api = APIClient()
    api.force_authenticate(applicant)
    response = api.patch(f"/api/v1/proposals/{proposal.pk}/", {field: "x" * (limit + 1)}, format="json")
    assert response.status_code == 400 and field in response.json()
    proposal.refresh_from_db()
    assert getattr(proposal, field) == ""
