"""The phone layout's patterns at 390×844: a compact header whose menu opens without JavaScript, and tables
whose rows become cards that keep every key column (state, amount) on the screen."""

import pytest
from django.test import Client

from notifications.models import Notice
from proposals.services import proposal_create
from tests.factories import CommunityGroupFactory, UserFactory, complete_proposal, make_open_call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def signed_in(browser, live_server, user, *, viewport=PHONE, javascript=True):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, viewport=viewport, java_script_enabled=javascript)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture
def applicant_with_a_proposal(db):
    user = UserFactory(email="rosa@ejemplo.mx", full_name="Rosa Martínez")
    group = CommunityGroupFactory(representative=user)
    call = make_open_call()
    proposal = proposal_create(actor=user, call=call, group=group, title="Parque La Ermita")
    complete_proposal(proposal, user, amount="1234567.00", attachments=False)
    Notice.objects.create(recipient=user, subject="Tu propuesta", body="Hay un cambio.")
    return user, proposal


def test_phone_header_is_one_compact_row_and_its_menu_works_without_javascript(
        browser, live_server, applicant_with_a_proposal):
    user, _proposal = applicant_with_a_proposal
    page = signed_in(browser, live_server, user, javascript=False)
    page.goto("/")
    assert page.locator("header").bounding_box()["height"] <= 110  # it took 170–230 px of 844
    menu = page.locator("header summary")
    assert menu.inner_text().startswith("Menú") and "1" in menu.locator(".badge").inner_text()  # unread notices
    nav_link = page.get_by_role("link", name="Mis propuestas")
    assert not nav_link.is_visible()
    page.get_by_role("button", name="English").wait_for()  # the language switch stays on the row
    assert page.get_by_role("link", name="Saltar al contenido").count() == 1

    menu.click()
    nav_link.click()
    page.get_by_role("heading", name="Mis propuestas").wait_for()

    page.locator("header summary").click()
    page.get_by_role("button", name="Salir").click()
    page.get_by_role("link", name="Entrar").first.wait_for(state="attached")
    assert "sessionid" not in {cookie["name"] for cookie in page.context.cookies()}
    page.context.close()


def test_wide_screen_shows_the_navigation_without_a_menu_button(browser, live_server, applicant_with_a_proposal):
    user, _proposal = applicant_with_a_proposal
    page = signed_in(browser, live_server, user, viewport={"width": 1280, "height": 900})
    page.goto("/")
    assert not page.locator("header summary").is_visible()
    for name in ("Convocatorias", "Mis propuestas", "Avisos 1 sin leer", "Mi perfil"):
        assert page.get_by_role("link", name=name).is_visible(), name
    assert page.get_by_role("button", name="Salir").is_visible()
    page.context.close()


def test_tables_become_cards_that_keep_state_and_amount_on_a_phone(browser, live_server, applicant_with_a_proposal):
    user, proposal = applicant_with_a_proposal
    page = signed_in(browser, live_server, user)
    page.goto("/propuestas/")
    row = page.locator("main table tbody tr").first
    for label in ("Estado", "Monto"):
        cell = row.locator(f'td[data-label="{label}"]')
        assert cell.is_visible(), label
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], (label, box)
        shown = cell.evaluate("td => getComputedStyle(td, '::before').content")
        assert shown == f'"{label}"', shown
    assert "$1,234,567.00" in row.locator('td[data-label="Monto"]').inner_text()
    assert fits(page)

    # The budget step's rows of fields fit too, even with a long unbroken concept.
    page.goto(f"/propuestas/{proposal.pk}/paso/presupuesto/")
    page.locator("main table input[type=text]").first.fill("Impermeabilizante" * 8)
    assert fits(page)

    # Between a phone and a desktop (a small tablet) the table is a table again, and still fits.
    page.set_viewport_size({"width": 660, "height": 900})
    assert page.locator("main table thead").is_visible()
    assert fits(page)
    page.context.close()
