"""Staff review in a real browser: return, correct, accept, assembly, technical review; the group sees it."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from proposals import services
from proposals.models import CHECKLIST, Proposal
from tests.e2e.sessions import logged_in_page
from tests.e2e.test_foundation_journey import field, type_into
from tests.factories import (
    PDF_BYTES,
    CommunityGroupFactory,
    UserFactory,
    complete_proposal,
    make_open_call,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def session(browser, live_server, user):
    return logged_in_page(browser, live_server, user, width=1200, height=900)


def panel_action(page, action, note="", **fields):
    page.locator("#staff-action").select_option(action)
    if note:
        page.locator("#id_note").fill(note)
    for name, value in fields.items():
        page.locator(f"#id_{name}").fill(value)
    page.get_by_role("button", name="Aplicar", exact=True).click()


def test_review_from_return_to_feasible(browser, live_server, tmp_path):
    applicant = UserFactory(email="rosa@ejemplo.mx", full_name="Rosa")
    coordinator = UserFactory(email="coordinacion@ejemplo.mx", full_name="Laura", roles=["coordinator"])
    reviewer = UserFactory(email="revision@ejemplo.mx", full_name="Arq. Torres", roles=["technical_reviewer"])
    group = CommunityGroupFactory(representative=applicant)
    call = make_open_call()
    proposal = complete_proposal(services.proposal_create(actor=applicant, call=call, group=group,
                                                          title="Parque La Ermita"), applicant)
    services.proposal_transition(actor=applicant, proposal_id=proposal.pk, action="submit")
    folio = Proposal.objects.get(pk=proposal.pk).folio
    minutes = tmp_path / "acta.pdf"
    minutes.write_bytes(PDF_BYTES)

    staff = session(browser, live_server, coordinator)
    staff.goto("/revision/")
    staff.get_by_role("link", name="Parque La Ermita").click()
    deadline = (timezone.localdate() + timedelta(days=5)).isoformat()
    panel_action(staff, "return", note="Falta la firma en la constancia del predio.", correction_deadline=deadline)
    staff.get_by_text("Devuelta para correcciones").first.wait_for()

    group_page = session(browser, live_server, applicant)
    group_page.goto(f"/propuestas/{proposal.pk}/")
    assert "Falta la firma en la constancia del predio." in group_page.locator("#contenido").inner_text()
    group_page.get_by_role("link", name="Corregir y reenviar").click()
    group_page.get_by_label(re.compile(r"^Entiendo que al enviarla")).check()
    group_page.get_by_role("button", name="Reenviar con las correcciones").click()
    group_page.get_by_role("heading", name="Propuesta enviada").wait_for()

    staff.goto(f"/propuestas/{proposal.pk}/")
    panel_action(staff, "accept")
    staff.get_by_text("«Elegible»").wait_for()
    # Now (to the minute): an assembly is never in the past, and its outcome is recorded once it is held.
    staff.locator("#id_scheduled_at").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    staff.locator("#id_place").fill("Explanada de la parroquia")
    staff.locator("#id_convened_by").fill("Comité vecinal")
    staff.get_by_role("button", name="Programar", exact=True).click()
    staff.get_by_text("Asamblea programada").first.wait_for()
    for name, value in {"attendees": "52", "votes_for": "45", "votes_against": "4", "abstentions": "3"}.items():
        staff.locator(f"#id_{name}").fill(value)
    staff.locator("#id_minutes").set_input_files(str(minutes))
    staff.get_by_role("button", name="Registrar", exact=True).click()
    staff.get_by_text("Resultado de la asamblea registrado.").wait_for()
    field(staff, "Persona revisora").select_option(label=reviewer.full_name)
    staff.get_by_role("button", name="Asignar", exact=True).click()
    staff.get_by_text("Revisión técnica asignada.").wait_for()

    review = session(browser, live_server, reviewer)
    review.get_by_role("link", name="Mis dictámenes").click()
    review.get_by_role("link", name="Parque La Ermita").click()
    for code in CHECKLIST:
        review.locator(f"input[name=answer_{code}][value=yes]").check()
    field(review, "Resultado").select_option("feasible_with_observations")
    type_into(review, "Observaciones para el grupo", "Usar luminarias solares.")
    review.get_by_label(re.compile(r"^Entiendo que al entregar el dictamen")).check()
    review.get_by_role("button", name="Entregar dictamen (definitivo)").click()
    review.get_by_text("Dictamen entregado.").wait_for()

    group_page.goto(f"/propuestas/{proposal.pk}/")
    text = group_page.locator("#contenido").inner_text()
    assert "Factible" in text and "Usar luminarias solares." in text and "Aprobó el proyecto" in text
    assert folio in text
    timeline = group_page.locator(".timeline").inner_text()
    for step in ("La coordinación devolvió la propuesta para correcciones", "Rosa reenvió la propuesta",
                 "La coordinación declaró elegible la propuesta", "La coordinación programó la asamblea vecinal",
                 "La asamblea vecinal aprobó el proyecto", "El dictamen técnico declaró factible el proyecto"):
        assert step in timeline, step
    assert not re.search(r"Laura", timeline)  # the group reads the role, not the staff member's name
