import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Membership
from proposals import services
from proposals.models import Proposal
from tests.factories import PDF_BYTES, UserFactory, complete_proposal, jpeg_bytes, upload


def step_url(proposal, step):
    return reverse("proposals:proposal_step", args=[proposal.pk, step])


def test_start_a_draft_from_the_call_page(client, call, group, applicant):
    client.force_login(applicant)
    page = client.get(reverse("proposals:call_detail", args=[call.pk]))
    assert reverse("proposals:proposal_start", args=[call.pk]) in page.content.decode()
    response = client.post(reverse("proposals:proposal_start", args=[call.pk]), {"group": group.pk,
                                                                                  "title": "Parque"})
    proposal = Proposal.objects.get()
    assert response.url == step_url(proposal, "sitio")
    assert proposal.neighbourhood == group.neighbourhood  # starts from the group's own unit


def test_each_step_saves_and_a_second_member_resumes_the_same_draft(client, draft, applicant, group):
    client.force_login(applicant)
    response = client.post(step_url(draft, "proyecto"), {
        "version": draft.version, "title": "Parque La Ermita", "project_type": "park", "modality": "new",
        "population_benefited": "1200", "diagnosis": "Predio baldío", "objectives": "", "description": "",
        "continue": "1"})
    assert response.url == step_url(draft, "presupuesto")
    partner = UserFactory()
    Membership.objects.create(group=group, user=partner)
    client.force_login(partner)
    html = client.get(step_url(draft, "proyecto")).content.decode()
    assert "Predio baldío" in html and 'value="1200"' in html


def test_a_step_with_errors_keeps_what_was_typed(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(step_url(draft, "sitio"), {
        "version": draft.version, "neighbourhood": draft.neighbourhood_id, "address": "Av. Siempre Viva 742",
        "latitude": "45.1", "longitude": "-99.1"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'value="Av. Siempre Viva 742"' in html and "dentro de la Ciudad de México" in html
    draft.refresh_from_db()
    assert draft.address == ""


def test_a_stale_step_save_is_409_and_keeps_the_input(client, draft, applicant):
    client.force_login(applicant)
    services.proposal_update(actor=applicant, proposal_id=draft.pk, data={"address": "Otra persona"})
    response = client.post(step_url(draft, "sitio"), {"version": draft.version, "neighbourhood": draft.neighbourhood_id,
                                                      "address": "Mi versión"})
    assert response.status_code == 409
    assert 'value="Mi versión"' in response.content.decode() and "Recarga" in response.content.decode()


def test_budget_step_adds_lines_and_totals(client, draft, applicant):
    client.force_login(applicant)
    data = {"lines-TOTAL_FORMS": "3", "lines-INITIAL_FORMS": "0", "version": draft.version, "action": "budget",
            "lines-0-chapter": "works", "lines-0-concept": "Bancas", "lines-0-unit": "pieza",
            "lines-0-quantity": "10", "lines-0-unit_price": "5000", "lines-1-chapter": "", "lines-2-chapter": ""}
    response = client.post(step_url(draft, "presupuesto"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    draft.refresh_from_db()
    assert draft.budget_total == 50000
    bad = client.post(step_url(draft, "presupuesto"), {**data, "version": draft.version,
                                                        "lines-0-quantity": "diez"})
    assert bad.status_code == 400 and 'value="diez"' in bad.content.decode()


def test_attachment_step_rejects_a_bad_file_and_keeps_the_choice(client, draft, applicant):
    client.force_login(applicant)
    response = client.post(step_url(draft, "anexos"), {"version": draft.version, "kind": "site_photo",
                                                       "file": upload("foto.jpg", b"no soy imagen")})
    html = response.content.decode()
    assert response.status_code == 400 and "se revisa el contenido" in html
    assert '<option value="site_photo" selected>' in html
    ok = client.post(step_url(draft, "anexos"), {"version": draft.version, "kind": "site_photo",
                                                 "file": upload("foto.jpg", jpeg_bytes())})
    assert ok.status_code == 302 and draft.attachments.count() == 1


def test_review_lists_what_is_missing_then_submit_shows_the_folio(client, draft, applicant,
                                                                 django_capture_on_commit_callbacks):
    client.force_login(applicant)
    review = client.get(reverse("proposals:proposal_review", args=[draft.pk])).content.decode()
    assert "Falta: el cronograma." in review and "Enviar la propuesta" not in review
    complete_proposal(draft, applicant)
    draft.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("proposals:proposal_action", args=[draft.pk]),
                               {"action": "submit", "version": draft.version, "confirm": "on"})
    assert response.url == reverse("proposals:proposal_submitted", args=[draft.pk])
    folio = Proposal.objects.get(pk=draft.pk).folio
    assert folio in client.get(response.url).content.decode()
    assert any(folio in m.body for m in mail.outbox)
    assert client.get(step_url(draft, "sitio")).url == reverse("proposals:proposal_detail", args=[draft.pk])


def test_submitting_after_the_page_went_stale_says_so(client, draft, applicant):
    client.force_login(applicant)
    complete_proposal(draft, applicant)
    response = client.post(reverse("proposals:proposal_action", args=[draft.pk]),
                           {"action": "submit", "version": 1, "confirm": "on"}, follow=True)
    assert "Alguien más guardó cambios" in response.content.decode()
    assert Proposal.objects.get(pk=draft.pk).status == "draft"


def test_timeline_is_shown_to_the_group(client, draft, applicant):
    complete_proposal(draft, applicant)
    services.proposal_transition(actor=applicant, proposal_id=draft.pk, action="submit")
    client.force_login(applicant)
    html = client.get(reverse("proposals:proposal_detail", args=[draft.pk])).content.decode()
    assert f"{applicant.full_name} envió la propuesta" in html


@pytest.mark.parametrize("path_name", ["proposals:proposal_list", "proposals:call_list"])
def test_list_pages_keep_a_constant_query_count(client, call, group, applicant, path_name):
    client.force_login(applicant)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(path_name)).status_code == 200
        return len(queries)

    services.proposal_create(actor=applicant, call=call, group=group, title="Uno")
    few = count()
    for i in range(20):
        services.proposal_create(actor=applicant, call=call, group=group, title=f"P{i}")
    assert count() == few <= 10


def test_call_document_is_served_as_pdf(client, call):
    coordinator = UserFactory(roles=["coordinator"])
    document = services.call_document_add(actor=coordinator, call=call, title="Reglas de operación",
                                          upload=upload("r.pdf", PDF_BYTES))
    response = client.get(reverse("proposals:call_document", args=[document.pk]))
    assert response["Content-Type"] == "application/pdf"
