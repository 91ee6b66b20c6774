"""At phone size (390×844): the budget step computes as you type and adds rows without a reload; a
returned proposal shows what to do next on the first screen; a staff-panel error stays by its field."""

from datetime import timedelta

import pytest
from django.utils import timezone

from proposals import services
from proposals.models import BudgetLine
from tests.e2e.test_proposal_journey import log_in
from tests.factories import PASSWORD, CommunityGroupFactory, UserFactory, complete_proposal, make_open_call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_budget_rows_add_up_live_and_new_rows_need_no_reload(page, live_server):
    applicant = UserFactory(email="rosa@ejemplo.mx", full_name="Rosa Martínez")
    group = CommunityGroupFactory(representative=applicant)
    proposal = services.proposal_create(actor=applicant, call=make_open_call(), group=group, title="Parque")
    services.proposal_update(actor=applicant, proposal_id=proposal.pk, data={"modality": "new"})
    log_in(page, applicant.email, PASSWORD)
    page.goto(f"/propuestas/{proposal.pk}/paso/presupuesto/")
    page.locator("#id_lines-0-chapter").select_option("works")
    page.locator("#id_lines-0-concept").fill("Bancas")
    page.locator("#id_lines-0-unit").fill("pieza")
    page.locator("#id_lines-0-quantity").fill("10")
    page.locator("#id_lines-0-unit_price").fill("1500")
    assert "15,000.00" in page.locator("[data-amount]").first.inner_text()
    assert "15,000.00" in page.locator("[data-total]").inner_text()
    assert "fuera del rango" in page.locator("[data-range-note]").inner_text()
    url, rows = page.url, page.locator("[data-rows] tr").count()
    page.get_by_role("button", name="Agregar un concepto").click()
    assert page.locator("[data-rows] tr").count() == rows + 1 and page.url == url
    new = rows  # the new row's index
    page.locator(f"#id_lines-{new}-chapter").select_option("works")
    page.locator(f"#id_lines-{new}-concept").fill("Luminarias")
    page.locator(f"#id_lines-{new}-unit").fill("pieza")
    page.locator(f"#id_lines-{new}-quantity").fill("20")
    page.locator(f"#id_lines-{new}-unit_price").fill("40000")
    assert "815,000.00" in page.locator("[data-total]").inner_text()
    assert page.locator("[data-range-note]").inner_text() == ""
    page.get_by_role("button", name="Guardar borrador").click()
    page.get_by_text("Guardado.").wait_for()
    assert sorted(BudgetLine.objects.filter(proposal=proposal).values_list("concept", flat=True)) == [
        "Bancas", "Luminarias"]


def test_a_returned_proposal_shows_what_to_do_next_on_the_first_screen(page, live_server):
    applicant = UserFactory(email="rosa@ejemplo.mx", full_name="Rosa Martínez")
    coordinator = UserFactory(roles=["coordinator"])
    group = CommunityGroupFactory(representative=applicant)
    proposal = complete_proposal(services.proposal_create(actor=applicant, call=make_open_call(), group=group,
                                                          title="Parque La Ermita"), applicant)
    services.proposal_transition(actor=applicant, proposal_id=proposal.pk, action="submit")
    services.proposal_transition(actor=coordinator, proposal_id=proposal.pk, action="return",
                                 note="Falta la firma de la constancia",
                                 correction_deadline=timezone.localdate() + timedelta(days=7))
    log_in(page, applicant.email, PASSWORD)
    page.goto(f"/propuestas/{proposal.pk}/")
    box = page.locator(".next-step")
    assert "Falta la firma de la constancia" in box.inner_text()
    assert box.bounding_box()["y"] < 844  # it starts on the first screen of a phone
    box.get_by_role("link", name="Corregir y reenviar").click()
    page.get_by_role("heading", name="Revisar y enviar", exact=True).wait_for()


def test_a_staff_panel_error_is_shown_by_its_field_with_the_text_kept(page, live_server):
    applicant = UserFactory(email="rosa@ejemplo.mx")
    coordinator = UserFactory(email="coordinacion@ejemplo.mx", roles=["coordinator"])
    group = CommunityGroupFactory(representative=applicant)
    proposal = complete_proposal(services.proposal_create(actor=applicant, call=make_open_call(), group=group,
                                                          title="Parque La Ermita"), applicant)
    services.proposal_transition(actor=applicant, proposal_id=proposal.pk, action="submit")
    services.proposal_transition(actor=coordinator, proposal_id=proposal.pk, action="accept")
    log_in(page, coordinator.email, PASSWORD)
    page.goto(f"/propuestas/{proposal.pk}/")
    yesterday = (timezone.localtime() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.locator("#id_scheduled_at").fill(yesterday)
    page.locator("#id_place").fill("Deportivo Aculco")
    page.locator("#id_convened_by").fill("Comité vecinal")
    page.get_by_role("button", name="Programar", exact=True).click()
    error = page.locator("#id_scheduled_at_error")
    assert "ya pasó" in error.inner_text()
    assert page.locator("#id_place").input_value() == "Deportivo Aculco"
