"""At phone size (390×844): the coordination sets a call's reminder days from the call's page (a mistake
comes back beside its field with what was typed), then finds the call's reminders on its reminders page;
a resident switches off nothing essential and picks the language of their e-mails. No page is wider than
the screen."""

import pytest

from accounts.models import User
from accounts.roles import StaffRole
from proposals.models import Call
from tests.e2e.test_proposal_journey import log_in
from tests.factories import PASSWORD, UserFactory, make_open_call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_coordination_sets_a_calls_reminder_days_on_a_phone(page, live_server):
    call = make_open_call(year=2034)
    coordinator = UserFactory(email="laura@ejemplo.mx", roles=[StaffRole.COORDINATOR])
    log_in(page, coordinator.email, PASSWORD)
    page.goto(f"/convocatorias/{call.pk}/")
    page.get_by_role("link", name="Recordatorios de la convocatoria").click()
    field = page.get_by_label("Cierre del registro")
    assert field.get_attribute("placeholder") == "-7, -1"
    field.fill("-14, siete")
    page.get_by_role("button", name="Guardar los recordatorios").click()
    assert page.get_by_text("Revisa «siete»").is_visible()
    assert field.input_value() == "-14, siete" and width(page) <= 390
    assert Call.objects.get(pk=call.pk).reminder_offsets == {}
    field.fill("-14, -2")
    page.get_by_role("button", name="Guardar los recordatorios").click()
    page.get_by_text("Recordatorios de la convocatoria guardados.").wait_for()
    assert Call.objects.get(pk=call.pk).reminder_offsets == {"registration_closing": [-14, -2]}
    page.goto(f"/avisos/recordatorios/?call={call.pk}")
    assert page.get_by_role("heading", name="Qué se recuerda").is_visible() and width(page) <= 390


def test_a_resident_chooses_the_language_of_their_emails_on_a_phone(page, live_server, applicant):
    log_in(page, applicant.email, PASSWORD)
    page.goto("/perfil/")
    page.get_by_role("link", name="Elegir el idioma de tus correos y qué recordatorios recibes").click()
    essential = page.get_by_label("Cierre del registro")
    assert essential.is_checked() and essential.is_disabled()
    page.get_by_label("Inglés").check()
    page.get_by_role("button", name="Guardar preferencias").click()
    page.wait_for_function("document.documentElement.lang === 'en'")  # the site follows the e-mails' language
    assert User.objects.get(pk=applicant.pk).language == "en" and width(page) <= 390
