import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from proposals import services
from tests.factories import PDF_BYTES, UserFactory, complete_proposal, jpeg_bytes, make_open_call, upload


@pytest.fixture
def call(db):
    return make_open_call()


def api_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_calls_are_public(call):
    response = APIClient().get("/api/v1/calls/")
    assert response.status_code == 200
    assert response.json()[0]["registration_open"] is True
    assert APIClient().get(f"/api/v1/calls/{call.pk}/").json()["fiscal_year"] == call.fiscal_year


def test_applicant_drafts_edits_uploads_and_submits_through_the_api(call, group, applicant):
    api = api_for(applicant)
    created = api.post("/api/v1/proposals/", {"call": call.pk, "group": group.pk, "title": "Parque"}, format="json")
    assert created.status_code == 201, created.content
    proposal = created.json()
    patch = api.patch(f"/api/v1/proposals/{proposal['id']}/", {
        "version": proposal["version"], "address": "Calle 1", "project_type": "park", "modality": "new",
        "diagnosis": "d", "objectives": "o", "description": "x", "population_benefited": 100, "schedule": "Mes 1",
        "budget_lines": [{"chapter": "works", "concept": "Obra", "unit": "lote", "quantity": "1",
                          "unit_price": "900000.00"}],
    }, format="json")
    assert patch.status_code == 200, patch.content
    assert patch.json()["budget_total"] == "900000.00"
    assert patch.json()["budget_lines"][0]["amount"] == "900000.00"
    for kind, name, content in [("site_photo", "f.jpg", jpeg_bytes()), ("public_land_proof", "c.pdf", PDF_BYTES)]:
        sent = api.post(f"/api/v1/proposals/{proposal['id']}/attachments/",
                        {"kind": kind, "file": upload(name, content)}, format="multipart")
        assert sent.status_code == 201, sent.content
    version = api.get(f"/api/v1/proposals/{proposal['id']}/").json()["version"]
    stale = api.post(f"/api/v1/proposals/{proposal['id']}/transitions/",
                     {"action": "submit", "version": version - 1}, format="json")
    assert stale.status_code == 409 and "Recarga" in stale.json()["detail"]
    submitted = api.post(f"/api/v1/proposals/{proposal['id']}/transitions/",
                         {"action": "submit", "version": version}, format="json")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["folio"].startswith(f"MB-{call.fiscal_year}-")
    events = api.get(f"/api/v1/proposals/{proposal['id']}/events/").json()
    assert [e["action"] for e in events] == ["create", "submit"]


def test_refused_actions_say_why(call, group, applicant):
    proposal = services.proposal_create(actor=applicant, call=call, group=group, title="Parque")
    api = api_for(applicant)
    incomplete = api.post(f"/api/v1/proposals/{proposal.pk}/transitions/", {"action": "submit"}, format="json")
    assert incomplete.status_code == 400 and "Falta" in str(incomplete.json())
    not_allowed = api.post(f"/api/v1/proposals/{proposal.pk}/transitions/", {"action": "accept"}, format="json")
    assert not_allowed.status_code == 400 and "no se puede" in str(not_allowed.json())
    unknown = api.post(f"/api/v1/proposals/{proposal.pk}/transitions/", {"action": "fly"}, format="json")
    assert unknown.status_code == 400 and "action" in unknown.json()
    bad_file = api.post(f"/api/v1/proposals/{proposal.pk}/attachments/",
                        {"kind": "site_photo", "file": upload("x.jpg", b"not an image at all")}, format="multipart")
    assert bad_file.status_code == 400 and "contenido" in str(bad_file.json())
    not_editable = api.patch(f"/api/v1/proposals/{proposal.pk}/", {"folio": "MB-1"}, format="json")
    assert not_editable.status_code == 200  # folio is read-only: ignored, never written
    assert api.get(f"/api/v1/proposals/{proposal.pk}/").json()["folio"] == ""


def test_visibility_other_groups_and_staff(call, group, applicant, other_applicant):
    draft = services.proposal_create(actor=applicant, call=call, group=group, title="Borrador")
    sent = complete_proposal(services.proposal_create(actor=applicant, call=call, group=group, title="Enviada"),
                             applicant)
    services.proposal_transition(actor=applicant, proposal_id=sent.pk, action="submit")
    assert api_for(other_applicant).get(f"/api/v1/proposals/{draft.pk}/").status_code == 404
    assert api_for(other_applicant).get("/api/v1/proposals/").json()["count"] == 0
    staff = api_for(UserFactory(roles=["coordinator"]))
    assert [p["id"] for p in staff.get("/api/v1/proposals/").json()["results"]] == [sent.pk]
    assert staff.get(f"/api/v1/proposals/{draft.pk}/").status_code == 404
    assert staff.patch(f"/api/v1/proposals/{sent.pk}/", {"title": "x"}, format="json").status_code == 403
    reviewer = UserFactory(roles=["technical_reviewer"])
    assert api_for(reviewer).get(f"/api/v1/proposals/{sent.pk}/").status_code == 404  # not assigned
    services.reviewers_assign(actor=UserFactory(roles=["coordinator"]), proposal_ids=[sent.pk], reviewer=reviewer)
    assert api_for(reviewer).get(f"/api/v1/proposals/{sent.pk}/").status_code == 200
    assert APIClient().get("/api/v1/proposals/").status_code in (401, 403)


@pytest.mark.parametrize("rows", [1, 30])
def test_list_query_count_is_constant(call, group, applicant, rows):
    for i in range(rows):
        proposal = services.proposal_create(actor=applicant, call=call, group=group, title=f"P{i}")
        services.budget_lines_save(actor=applicant, proposal_id=proposal.pk, lines=[
            {"chapter": "works", "concept": "Obra", "unit": "lote", "quantity": 1, "unit_price": 1000}])
    api = api_for(applicant)
    with CaptureQueriesContext(connection) as queries:
        response = api.get("/api/v1/proposals/")
    assert response.json()["count"] == rows
    assert len(queries) <= 8
