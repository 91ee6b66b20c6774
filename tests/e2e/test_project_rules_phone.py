"""At phone size (390×844): the coordination goes from a call's page to its rules for funded projects,
a mistake comes back beside its field with what was typed, the fix is saved, and the call's page shows
each tranche's proof and documents. No page is wider than the screen."""

import pytest

from accounts.roles import StaffRole
from projects.models import ProjectRules
from tests.e2e.test_proposal_journey import log_in
from tests.factories import PASSWORD, UserFactory
from tests.projects.conftest import two_tranche_call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_the_coordination_edits_the_rules_of_a_calls_projects_on_a_phone(page, live_server):
    call = two_tranche_call(year=2033)
    coordinator = UserFactory(email="laura@ejemplo.mx", roles=[StaffRole.COORDINATOR])
    log_in(page, coordinator.email, PASSWORD)
    page.goto(f"/convocatorias/{call.pk}/")
    assert "con 100 % de la anterior comprobado" in page.locator("ol").last.inner_text()
    assert "Comprobantes de la primera ministración" in page.content()
    page.get_by_role("link", name="Reglas de los proyectos financiados").click()
    assert width(page) <= 390
    assert page.get_by_text("El monto aprobado, con letra").is_visible()
    page.get_by_label("Integrantes por comité comunitario").fill("5")
    text = page.get_by_label("Texto del convenio")
    text.fill("Convenio $codigo por $monto, firmado por $representante.")
    page.get_by_role("button", name="Guardar las reglas").click()
    assert page.get_by_text("Datos que no existen: $representante").is_visible()
    assert text.input_value() == "Convenio $codigo por $monto, firmado por $representante."
    assert page.get_by_label("Integrantes por comité comunitario").input_value() == "5"
    assert width(page) <= 390 and not ProjectRules.objects.filter(call=call).exists()
    text.fill("Convenio $codigo por $monto ($monto_en_letra).")
    page.get_by_role("button", name="Guardar las reglas").click()
    page.get_by_text("Reglas de los proyectos guardadas.").wait_for()
    assert page.url.endswith(f"/convocatorias/{call.pk}/")
    rules = ProjectRules.objects.get(call=call)
    assert rules.members_per_committee == 5 and rules.agreement_text.endswith("($monto_en_letra).")
