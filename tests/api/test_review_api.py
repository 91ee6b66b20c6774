from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from proposals import services
from proposals.models import CHECKLIST
from tests.factories import PDF_BYTES, UserFactory, complete_proposal, make_open_call, upload


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def submitted(db, group, applicant):
    call = make_open_call()
    proposal = complete_proposal(services.proposal_create(actor=applicant, call=call, group=group, title="P"),
                                 applicant)
    return services.proposal_transition(actor=applicant, proposal_id=proposal.pk, action="submit")


def test_the_whole_review_through_the_api(submitted, applicant):
    coordinator, reviewer = UserFactory(roles=["coordinator"]), UserFactory(roles=["technical_reviewer"])
    staff, base = api_for(coordinator), f"/api/v1/proposals/{submitted.pk}"
    returned = staff.post(f"{base}/transitions/", {"action": "return", "note": "Firma"}, format="json")
    assert returned.status_code == 400 and "correction_deadline" in returned.json()
    deadline = (date.today() + timedelta(days=3)).isoformat()
    assert staff.post(f"{base}/transitions/", {"action": "return", "note": "Firma",
                                               "correction_deadline": deadline}, format="json").status_code == 200
    assert api_for(applicant).post(f"{base}/transitions/", {"action": "resubmit"}, format="json").status_code == 200
    assert staff.post(f"{base}/transitions/", {"action": "accept"}, format="json").status_code == 200
    bare = staff.post(f"{base}/transitions/", {"action": "schedule_assembly"}, format="json")
    assert bare.status_code == 400 and "propio formulario" in str(bare.json())
    when = timezone.now() + timedelta(days=2)
    past = staff.post(f"{base}/assemblies/", {"scheduled_at": "2020-01-10T18:00:00-06:00", "place": "Plaza",
                                              "convened_by": "Comité"}, format="json")
    assert past.status_code == 400 and "ya pasó" in str(past.json()["scheduled_at"])
    scheduled = staff.post(f"{base}/assemblies/", {"scheduled_at": when.isoformat(), "place": "Plaza",
                                                   "convened_by": "Comité"}, format="json")
    assert scheduled.status_code == 201, scheduled.content
    assembly_id = scheduled.json()["id"]
    early = staff.post(f"{base}/assemblies/{assembly_id}/outcome/", {
        "attendees": 50, "votes_for": 40, "votes_against": 5, "abstentions": 5,
        "minutes": upload("acta.pdf", PDF_BYTES)}, format="multipart")
    assert early.status_code == 400 and "cuando se haya celebrado" in str(early.json())
    traveller = time_machine.travel(when + timedelta(hours=3))
    traveller.start()
    too_many = staff.post(f"{base}/assemblies/{assembly_id}/outcome/", {
        "attendees": 5, "votes_for": 9, "votes_against": 0, "abstentions": 0,
        "minutes": upload("acta.pdf", PDF_BYTES)}, format="multipart")
    assert too_many.status_code == 400 and "attendees" in too_many.json()
    recorded = staff.post(f"{base}/assemblies/{assembly_id}/outcome/", {
        "attendees": 50, "votes_for": 40, "votes_against": 5, "abstentions": 5,
        "minutes": upload("acta.pdf", PDF_BYTES)}, format="multipart")
    assert recorded.json()["status"] == "approved"
    traveller.stop()
    services.reviewers_assign(actor=coordinator, proposal_ids=[submitted.pk], reviewer=reviewer)
    mine = api_for(reviewer)
    draft = mine.post(f"{base}/reviews/", {"internal_notes": "visitar"}, format="json")
    assert draft.status_code == 200 and draft.json()["status"] == "draft"
    final = mine.post(f"{base}/reviews/", {
        "checklist": {code: {"answer": "yes", "note": ""} for code in CHECKLIST}, "result": "feasible",
        "submit": True, "version": draft.json()["version"]}, format="json")
    assert final.status_code == 200 and final.json()["status"] == "submitted"
    group_view = api_for(applicant).get(f"{base}/reviews/").json()
    assert group_view == [{"result": "feasible", "observations": "", "reasons": "",
                           "submitted_at": final.json()["submitted_at"]}]
    assert api_for(applicant).get(base + "/").json()["status"] == "feasible"
    outsider = api_for(UserFactory(roles=["technical_reviewer"]))
    assert outsider.get(f"{base}/reviews/").status_code == 404


def test_the_openapi_schema_validates(db):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
