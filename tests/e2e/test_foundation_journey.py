"""A newcomer's first visit, by keyboard alone: sign up, verify, create a group, invite, switch language."""

import re

import pytest
from django.core import mail

from accounts.models import CommunityGroup
from accounts.roles import StaffRole
from tests.factories import PASSWORD, NeighbourhoodFactory, UserFactory

HOME = re.compile(r"^http://[^/]+/inicio/$")  # where login lands: the start page
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def field(page, label):
    # Django and allauth end labels with a colon: match the label text with or without it.
    return page.get_by_label(re.compile(rf"^{re.escape(label)}:?$", re.IGNORECASE))


def open_menu(page):
    """On a phone the navigation sits behind the header's "Menú" disclosure: open it from the keyboard."""
    page.locator("header summary").focus()
    page.keyboard.press("Enter")


def type_into(page, label, text):
    field(page, label).focus()
    page.keyboard.type(text)


def test_newcomer_signs_up_creates_a_group_and_invites_by_keyboard(page, live_server):
    NeighbourhoodFactory(key="07-001", name="Aculco (Pueblo)")
    page.goto("/")
    assert page.locator("html").get_attribute("lang") == "es"  # Spanish even for an English browser
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Saltar al contenido"

    open_menu(page)
    page.get_by_role("link", name="Crear cuenta").focus()
    page.keyboard.press("Enter")
    type_into(page, "Correo electrónico", "vecina@ejemplo.mx")
    type_into(page, "Contraseña", "Clave-larga-2026!")
    type_into(page, "Contraseña (de nuevo)", "Clave-larga-2026!")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    link = re.search(r"http://\S+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1)
    page.goto(link)
    page.get_by_role("button", name="Confirmar").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(HOME)

    page.goto("/grupos/nuevo/")
    type_into(page, "Nombre", "Vecinas de Aculco")
    field(page, "Tipo").focus()
    page.keyboard.press("ArrowDown")  # first kind
    field(page, "Unidad territorial").focus()
    page.keyboard.press("ArrowDown")
    page.get_by_role("button", name="Guardar").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Vecinas de Aculco").wait_for()
    group = CommunityGroup.objects.get(name="Vecinas de Aculco")
    assert group.neighbourhood.key == "07-001"

    type_into(page, "Correo electrónico de la persona invitada", "vecino@ejemplo.mx")
    page.keyboard.press("Enter")
    page.get_by_text("Invitación enviada a vecino@ejemplo.mx.").wait_for()
    assert "vecino@ejemplo.mx" in page.locator("#contenido").inner_text()
    assert any("vecino@ejemplo.mx" in m.to for m in mail.outbox)

    page.get_by_role("button", name="English").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Members").wait_for()
    assert page.locator("html").get_attribute("lang") == "en"


def test_coordinator_logs_in_and_sees_every_group(page, live_server):
    coordinator = UserFactory(email="coordinacion@ejemplo.mx", roles=[StaffRole.COORDINATOR])
    from tests.factories import CommunityGroupFactory

    CommunityGroupFactory(name="Grupo ajeno", representative=UserFactory())
    page.goto("/accounts/login/")
    type_into(page, "Correo electrónico", coordinator.email)
    type_into(page, "Contraseña", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(HOME)
    assert "Coordinación del programa" in page.locator("header").inner_text()
    open_menu(page)
    page.get_by_role("link", name="Grupos comunitarios").focus()
    page.keyboard.press("Enter")
    page.get_by_role("link", name="Grupo ajeno").wait_for()
