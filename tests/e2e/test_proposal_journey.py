"""A new resident's whole path to a submitted proposal, in two sittings, in a real browser."""

import re

import pytest
from django.core import mail

from proposals.models import Proposal
from tests.e2e.test_foundation_journey import HOME, field, open_menu, type_into
from tests.factories import PDF_BYTES, NeighbourhoodFactory, jpeg_bytes, make_open_call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def log_in(page, email, password):
    page.goto("/accounts/login/")
    type_into(page, "Correo electrónico", email)
    type_into(page, "Contraseña", password)
    page.keyboard.press("Enter")
    page.wait_for_url(HOME)


def test_new_resident_drafts_over_two_sittings_and_submits(page, live_server, tmp_path):
    NeighbourhoodFactory(key="07-001", name="Aculco (Pueblo)")
    call = make_open_call()
    photo, pdf = tmp_path / "predio.jpg", tmp_path / "constancia.pdf"
    photo.write_bytes(jpeg_bytes((800, 600)))
    pdf.write_bytes(PDF_BYTES)

    # Sign up and verify the e-mail.
    page.goto("/accounts/signup/")
    type_into(page, "Correo electrónico", "rosa@ejemplo.mx")
    type_into(page, "Contraseña", "Clave-larga-2026!")
    type_into(page, "Contraseña (de nuevo)", "Clave-larga-2026!")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    page.goto(re.search(r"http://\S+(/accounts/confirm-email/\S+/)", mail.outbox[-1].body).group(1))
    page.get_by_role("button", name="Confirmar").click()
    page.wait_for_url(HOME)

    # Create the group.
    page.goto("/grupos/nuevo/")
    type_into(page, "Nombre", "Vecinas de Aculco")
    field(page, "Tipo").select_option("residents")
    field(page, "Unidad territorial").select_option(label="Aculco (Pueblo) (07-001)")
    page.get_by_role("button", name="Guardar").click()
    page.get_by_role("heading", name="Vecinas de Aculco").wait_for()

    # First sitting: from the call page, start the draft, fill the site and part of the project.
    page.goto(f"/convocatorias/{call.pk}/")
    page.get_by_role("link", name="Proponer un proyecto").click()
    type_into(page, "Nombre del proyecto", "Parque La Ermita")
    page.get_by_role("button", name="Crear borrador").click()
    type_into(page, "Dirección o ubicación del sitio", "Calle Ermita s/n")
    page.get_by_role("button", name="Guardar y continuar").click()
    field(page, "Tipo de proyecto").select_option("park")
    type_into(page, "Población beneficiada", "2400")
    type_into(page, "Diagnóstico", "Predio abandonado, sin luz.")
    page.get_by_role("button", name="Guardar borrador").click()
    page.get_by_text("Guardado.").wait_for()
    open_menu(page)
    page.get_by_role("button", name="Salir").click()

    # Second sitting: log in again, find the draft, finish it.
    log_in(page, "rosa@ejemplo.mx", "Clave-larga-2026!")
    open_menu(page)
    page.get_by_role("link", name="Mis propuestas").click()
    page.get_by_role("link", name="Parque La Ermita").click()
    page.get_by_role("link", name="Continuar editando").click()
    page.get_by_role("link", name="Proyecto").click()
    assert field(page, "Diagnóstico").input_value() == "Predio abandonado, sin luz."
    type_into(page, "Objetivos", "Recuperar el predio.")
    type_into(page, "Descripción del proyecto", "Juegos, bancas y luminarias.")
    page.get_by_role("button", name="Guardar y continuar").click()

    page.locator("#id_lines-0-chapter").select_option("works")
    page.locator("#id_lines-0-concept").fill("Juegos infantiles")
    page.locator("#id_lines-0-unit").fill("lote")
    page.locator("#id_lines-0-quantity").fill("1")
    page.locator("#id_lines-0-unit_price").fill("950000")
    page.get_by_role("button", name="Guardar y continuar").click()
    type_into(page, "Cronograma", "Mes 1: limpieza\nMes 2-4: obra")
    page.get_by_role("button", name="Guardar y continuar").click()

    for kind, path in (("site_photo", photo), ("public_land_proof", pdf)):
        field(page, "Tipo de anexo").select_option(kind)
        page.get_by_label(re.compile("^Archivo")).set_input_files(str(path))
        page.get_by_role("button", name="Subir").click()
        page.get_by_text("Archivo agregado.").wait_for()
    page.get_by_role("link", name="Continuar a revisar y enviar").click()
    assert "La propuesta está completa." in page.locator("#contenido").inner_text()
    page.get_by_label(re.compile(r"^Entiendo que al enviarla")).check()
    page.get_by_role("button", name="Enviar la propuesta").click()

    page.get_by_role("heading", name="Propuesta enviada").wait_for()
    folio = Proposal.objects.get(title="Parque La Ermita").folio
    assert folio == f"MB-{call.fiscal_year}-00001"
    assert folio in page.locator("#contenido").inner_text()
    assert any(folio in m.body and "rosa@ejemplo.mx" in m.to for m in mail.outbox)
