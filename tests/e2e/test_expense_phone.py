"""At phone size (390×844): the administration committee uploads a CFDI, sees what was read from it and
confirms; supervision endorses it; finance verifies it from the queue with the batch form. No page is
wider than the screen, and none has an axe finding."""

from decimal import Decimal

import pytest

from accounts.roles import StaffRole
from projects.cfdi_samples import cfdi_xml
from projects.models import Expense
from projects.workflow import ExpenseState
from tests.e2e.sessions import logged_in_page
from tests.e2e.test_money_phone import fits, with_password
from tests.factories import UserFactory
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, issued_a_moment_ago

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("boroughs")]
UUID = "5E2F9A10-1B2C-4D3E-8F40-A1B2C3D4E5F6"


def test_an_invoice_goes_from_the_committees_phone_to_finance(browser, live_server, tmp_path):
    people = {"coordinator": UserFactory(roles=[StaffRole.COORDINATOR]),
              "finance": with_password(UserFactory(roles=[StaffRole.FINANCE_OFFICER]))}
    works = in_execution_project(two_tranche_call(), people)
    project = works.project
    xml = tmp_path / "factura.xml"
    xml.write_bytes(cfdi_xml(uuid=UUID, subtotal=Decimal("4500.00"), issuer_rfc="FER990101AA1",
                             issuer_name="FERRETERÍA LA ESQUINA SA DE CV",
                             issued_at=issued_a_moment_ago(10)))

    page = logged_in_page(browser, live_server, with_password(works.admin))
    page.goto(f"/seguimiento/{project.pk}/gastos/")
    fits(page)
    page.get_by_role("link", name="Registrar factura (CFDI)").click()
    page.get_by_label("XML de la factura (CFDI 4.0)").set_input_files(str(xml))
    page.get_by_role("button", name="Leer la factura").click()
    read = page.locator(".cfdi-read").inner_text()
    assert UUID in read and "FER990101AA1" in read and "$5,220.00" in read and "MXN" in read
    fits(page)
    page.get_by_label("Concepto del presupuesto").select_option(str(works.lines[0].pk))
    page.get_by_label("Qué se compró o pagó").fill("Varilla y cemento")
    page.get_by_role("button", name="Registrar la factura").click()
    assert "Factura registrada" in page.locator(".messages").inner_text()
    expense = Expense.objects.get(cfdi__uuid=UUID)
    assert expense.amount == Decimal("5220.00") and expense.concept == "Varilla y cemento"
    fits(page)

    page = logged_in_page(browser, live_server, with_password(works.supervision))
    page.goto(f"/seguimiento/{project.pk}/gastos/?status=recorded")
    page.get_by_role("link", name="Varilla y cemento").click()
    page.get_by_role("button", name="Avalar").click()
    assert "Gasto avalado" in page.locator(".messages").inner_text()
    fits(page)

    page = logged_in_page(browser, live_server, people["finance"])
    page.goto("/seguimiento/gastos/por-verificar/")
    fits(page)
    page.get_by_label(f"Verificar «Varilla y cemento» de {project.code}").check()
    page.get_by_role("button", name="Verificar seleccionados").click()
    assert "Se verificó 1 gasto." in page.locator(".messages").inner_text()
    expense.refresh_from_db()
    assert expense.status == ExpenseState.VERIFIED
    fits(page)
