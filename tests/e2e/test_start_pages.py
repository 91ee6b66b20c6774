"""Login lands on the person's start page, at phone size: the applicant sees their group's work, the
coordinator the queue; neither page is wider than the screen."""

import pytest

from accounts.roles import StaffRole
from proposals import services
from tests.e2e.test_foundation_journey import HOME, type_into
from tests.factories import PASSWORD, CommunityGroupFactory, UserFactory, complete_proposal, make_open_call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, email):
    page.goto("/accounts/login/")
    type_into(page, "Correo electrónico", email)
    type_into(page, "Contraseña", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(HOME)


def fits_the_screen(page):
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def test_applicant_and_coordinator_land_on_their_panels(page, browser, live_server):
    call = make_open_call()
    rosa = UserFactory(email="rosa@ejemplo.mx", full_name="Rosa Martínez")
    group = CommunityGroupFactory(name="Vecinas de Aculco", representative=rosa)
    services.proposal_create(actor=rosa, call=call, group=group, title="Alumbrado del andador")
    sent = complete_proposal(services.proposal_create(actor=rosa, call=call, group=group, title="Parque La Ermita"),
                             rosa)
    services.proposal_transition(actor=rosa, proposal_id=sent.pk, action="submit")
    coordinator = UserFactory(email="coordinacion@ejemplo.mx", roles=[StaffRole.COORDINATOR])

    log_in(page, rosa.email)
    page.get_by_role("heading", name="Tu grupo comunitario").wait_for()
    assert page.get_by_role("heading", name="1 borrador sin enviar").is_visible()
    page.get_by_role("link", name="Completar y enviar «Alumbrado del andador»").wait_for()
    assert "faltan 30 días" in page.locator("main").inner_text()
    assert fits_the_screen(page)

    other = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844}).new_page()
    log_in(other, coordinator.email)
    other.get_by_role("heading", name="Coordinación").wait_for()
    assert other.get_by_role("heading", name="1 propuesta en proceso").is_visible()
    other.get_by_role("link", name="1 Enviada").click()
    other.wait_for_url("**/revision/?status=submitted")
    assert "Parque La Ermita" in other.locator("main").inner_text()
    other.go_back()
    assert fits_the_screen(other)
    other.context.close()
