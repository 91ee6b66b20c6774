"""At phone size (390×844): the administration committee registers the bank account (a wrong CLABE is said by
its field and what was typed stays), finance verifies it, and a release needs its confirmation and is
refused to the person who approved it; no page is wider than the screen."""

import pytest
from django.utils import timezone

from accounts.roles import StaffRole
from accounts.services import role_grant
from projects import services
from projects.models import BankAccount
from projects.workflow import TrancheState
from tests.e2e.sessions import logged_in_page
from tests.factories import PASSWORD, PDF_BYTES, UserFactory
from tests.projects.conftest import two_tranche_call
from tests.projects.helpers import VALID_CLABE, elect, seat_user, selected_project, start_execution

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("boroughs")]


def settled(page, script: str):
    """Evaluate once the page has loaded: a click on a link does not wait for the navigation it starts, and a
    script run while the old document unloads finds no document at all."""
    from playwright.sync_api import Error

    for attempt in range(3):
        page.wait_for_load_state("load")
        try:
            return page.evaluate(script)
        except Error:
            if attempt == 2:
                raise
            page.wait_for_timeout(200)


def fits(page):
    """Nothing wider than the phone, and no axe finding."""
    from axe_playwright_python.sync_playwright import Axe

    width = settled(page, "document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width}px wide"
    violations = Axe().run(page).response["violations"]
    assert not violations, [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]


def with_password(user):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return user


def test_the_committee_registers_the_account_and_finance_verifies_it(browser, live_server, tmp_path):
    coordinator = UserFactory(roles=[StaffRole.COORDINATOR])
    finance = UserFactory(roles=[StaffRole.FINANCE_OFFICER])
    project = selected_project(two_tranche_call())
    elect(project, coordinator)
    admin = with_password(seat_user(project))
    proof = tmp_path / "estado-de-cuenta.pdf"
    proof.write_bytes(PDF_BYTES)

    page = logged_in_page(browser, live_server, admin)
    page.goto(f"/seguimiento/{project.pk}/recursos/")
    fits(page)
    page.get_by_label("Banco").fill("Banco del Bienestar")
    page.get_by_label("Titular de la cuenta").fill("Comité de Administración")
    page.get_by_label("CLABE").fill("032180000118359718")
    page.get_by_label("Comprobante de la cuenta (PDF)").set_input_files(str(proof))
    page.get_by_role("button", name="Registrar la cuenta").click()
    error = page.locator("#id_account_clabe_error")
    assert "dígito verificador no coincide" in error.inner_text()
    assert page.get_by_label("Banco").input_value() == "Banco del Bienestar"
    assert page.get_by_label("CLABE").input_value() == "032180000118359718"
    fits(page)
    page.get_by_label("CLABE").fill(VALID_CLABE)
    page.get_by_label("Comprobante de la cuenta (PDF)").set_input_files(str(proof))
    page.get_by_role("button", name="Registrar la cuenta").click()
    assert "Cuenta registrada" in page.locator(".messages").inner_text()
    assert "•••• •••• •••• ••9719" in page.content() and VALID_CLABE not in page.content()

    page = logged_in_page(browser, live_server, finance)
    page.goto(f"/seguimiento/{project.pk}/recursos/")
    assert VALID_CLABE in page.content()
    page.get_by_label("Verificar: los datos coinciden con el comprobante").check()
    page.get_by_role("button", name="Guardar la revisión").click()
    assert BankAccount.objects.get(project=project).status == BankAccount.Status.VERIFIED
    fits(page)


def test_a_release_asks_for_confirmation_and_the_approver_never_releases(browser, live_server):
    coordinator = UserFactory(roles=[StaffRole.COORDINATOR])
    both = UserFactory(roles=[StaffRole.COORDINATOR])
    role_grant(user=both, role=StaffRole.FINANCE_OFFICER)
    finance = UserFactory(roles=[StaffRole.FINANCE_OFFICER])
    project = selected_project(two_tranche_call())
    elect(project, coordinator)
    start_execution(project, coordinator, finance)
    tranche = project.tranches.get(number=1)
    services.tranche_transition(actor=seat_user(project), tranche_id=tranche.pk, action="request")
    services.tranche_transition(actor=both, tranche_id=tranche.pk, action="approve")

    page = logged_in_page(browser, live_server, both)
    page.goto(f"/seguimiento/{project.pk}/recursos/")
    assert "Tú aprobaste esta ministración" in page.content()
    assert page.get_by_role("button", name="Registrar la entrega de la ministración 1").count() == 0

    page = logged_in_page(browser, live_server, finance)
    page.goto("/seguimiento/finanzas/")
    fits(page)
    page.get_by_role("link", name=project.code).click()
    page.get_by_label("Referencia de la transferencia").fill("SPEI 7781")
    page.get_by_label("Fecha de la transferencia").fill(timezone.localdate().isoformat())
    # Without JavaScript's help the browser itself asks for the required checkbox; the server refuses too.
    page.locator(f"#id_t{tranche.pk}_release_confirm").evaluate("e => e.required = false")
    page.get_by_role("button", name="Registrar la entrega de la ministración 1").click()
    assert "Marca la casilla para confirmar" in page.locator(f"#id_t{tranche.pk}_release_confirm_error").inner_text()
    assert page.get_by_label("Referencia de la transferencia").input_value() == "SPEI 7781"
    tranche.refresh_from_db()
    assert tranche.status == TrancheState.APPROVED
    page.get_by_label("Entiendo que al registrar la entrega").check()
    page.get_by_role("button", name="Registrar la entrega de la ministración 1").click()
    assert "Entrega registrada." in page.locator(".messages").inner_text()
    tranche.refresh_from_db()
    assert tranche.status == TrancheState.RELEASED and tranche.transfer_reference == "SPEI 7781"
    fits(page)
