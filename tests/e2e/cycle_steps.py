"""The steps of the whole cycle (tests/e2e/test_whole_cycle.py), each done in the browser by the person who
does it: the community at phone size (390×844), the ministry's staff at a desk. The records are read to
check what the pages said, never written: everything that changes goes through a page."""

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core import mail
from django.utils import timezone

from proposals.models import CHECKLIST
from tests.e2e.sessions import logged_in_page
from tests.e2e.test_foundation_journey import HOME, type_into
from tests.e2e.test_foundation_journey import field as labelled

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}


@dataclass
class Cycle:
    """Who takes part, their open pages and what the steps learn on the way (the folio, the project)."""

    browser: object
    live_server: object
    files: Path
    people: dict
    pages: dict = field(default_factory=dict)
    facts: dict = field(default_factory=dict)

    def page(self, who: str):
        """The person's page, logged in through the login form the first time (community: phone size)."""
        if who not in self.pages:
            size = DESK if who in STAFF else PHONE
            self.pages[who] = logged_in_page(self.browser, self.live_server, self.people[who], **size)
        return self.pages[who]


STAFF = frozenset({"coordinator", "reviewer", "secretary", "member0", "member1", "member2", "finance"})


def narrow(page) -> None:
    """A community page is never wider than the phone (the axe crawl checks every page's accessibility)."""
    page.wait_for_load_state("load")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide"


def said(page, text: str) -> None:
    """The flash message after a form is sent (retried until the next page has drawn it)."""
    from playwright.sync_api import expect

    expect(page.locator(".messages")).to_contain_text(text, timeout=15_000)


def link_in_mail(to: str, pattern: str) -> str:
    """The path of the link a person received by e-mail (the newest message to them that has one)."""
    for message in reversed(mail.outbox):
        if to in message.to and (found := re.search(rf"http://\S+?({pattern})", message.body)):
            return found.group(1)
    raise AssertionError(f"no e-mail to {to} with a link like {pattern}: {[m.subject for m in mail.outbox]}")


# --- 1. The community: a new group signs up, drafts and submits ----------------------------------------------

def group_signs_up(cycle: Cycle, *, email: str, password: str, group_name: str, unit_label: str) -> None:
    page = cycle.browser.new_context(base_url=cycle.live_server.url, viewport=PHONE).new_page()
    page.set_default_timeout(15_000)
    cycle.pages["representative"] = page
    page.goto("/accounts/signup/")
    type_into(page, "Correo electrónico", email)
    type_into(page, "Contraseña", password)
    type_into(page, "Contraseña (de nuevo)", password)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/accounts/confirm-email/$"))
    narrow(page)
    page.goto(link_in_mail(email, r"/accounts/confirm-email/\S+/"))
    page.get_by_role("button", name="Confirmar").click()
    page.wait_for_url(HOME)
    page.goto("/grupos/nuevo/")
    type_into(page, "Nombre", group_name)
    labelled(page, "Tipo").select_option("residents")
    labelled(page, "Unidad territorial").select_option(label=unit_label)
    page.get_by_role("button", name="Guardar").click()
    page.get_by_role("heading", name=group_name).wait_for()
    narrow(page)


def group_drafts_and_submits(cycle: Cycle, *, call, title: str, budget: Decimal, point: tuple[str, str]) -> str:
    """From the call's page to the confirmation with its folio; returns the folio the page shows."""
    page = cycle.pages["representative"]
    photo, pdf = cycle.files / "predio.jpg", cycle.files / "constancia.pdf"
    page.goto(f"/convocatorias/{call.pk}/")
    page.get_by_role("link", name="Proponer un proyecto").click()
    type_into(page, "Nombre del proyecto", title)
    page.get_by_role("button", name="Crear borrador").click()
    type_into(page, "Dirección o ubicación del sitio", "Calle Ermita s/n, junto a la cancha")
    labelled(page, "Latitud").fill(point[0])
    labelled(page, "Longitud").fill(point[1])
    narrow(page)
    page.get_by_role("button", name="Guardar y continuar").click()
    labelled(page, "Tipo de proyecto").select_option("park")
    type_into(page, "Población beneficiada", "2400")
    type_into(page, "Diagnóstico", "Predio abandonado, sin luz.")
    type_into(page, "Objetivos", "Recuperar el predio.")
    type_into(page, "Descripción del proyecto", "Juegos, bancas y luminarias.")
    page.get_by_role("button", name="Guardar y continuar").click()
    page.locator("#id_lines-0-chapter").select_option("works")
    page.locator("#id_lines-0-concept").fill("Juegos infantiles y luminarias")
    page.locator("#id_lines-0-unit").fill("lote")
    page.locator("#id_lines-0-quantity").fill("1")
    page.locator("#id_lines-0-unit_price").fill(str(budget))
    narrow(page)
    page.get_by_role("button", name="Guardar y continuar").click()
    type_into(page, "Cronograma", "Mes 1: limpieza\nMes 2-4: obra")
    page.get_by_role("button", name="Guardar y continuar").click()
    for kind, path in (("site_photo", photo), ("public_land_proof", pdf)):
        labelled(page, "Tipo de anexo").select_option(kind)
        page.get_by_label(re.compile("^Archivo")).set_input_files(str(path))
        page.get_by_role("button", name="Subir").click()
        page.get_by_text("Archivo agregado.").wait_for()
    narrow(page)
    page.get_by_role("link", name="Continuar a revisar y enviar").click()
    assert "La propuesta está completa." in page.locator("#contenido").inner_text()
    page.get_by_label(re.compile(r"^Entiendo que al enviarla")).check()
    page.get_by_role("button", name="Enviar la propuesta").click()
    page.get_by_role("heading", name="Propuesta enviada").wait_for()
    narrow(page)
    folio = re.search(rf"MB-{call.fiscal_year}-\d{{5}}", page.locator("#contenido").inner_text())
    assert folio, page.locator("#contenido").inner_text()
    return folio.group(0)


# --- 2. Staff review: eligibility, the assembly, the technical review ---------------------------------------

def panel_action(page, action: str) -> None:
    page.locator("#staff-action").select_option(action)
    page.get_by_role("button", name="Aplicar", exact=True).click()


def staff_accept_hold_the_assembly_and_review(cycle: Cycle, *, title: str) -> None:
    staff = cycle.page("coordinator")
    staff.goto("/revision/")
    staff.get_by_role("link", name=title).click()
    panel_action(staff, "accept")
    staff.get_by_text("«Elegible»").wait_for()
    # Now, to the minute: an assembly is never in the past, and its outcome is recorded once it is held.
    staff.locator("#id_scheduled_at").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    staff.locator("#id_place").fill("Explanada de la parroquia")
    staff.locator("#id_convened_by").fill("Comité vecinal")
    staff.get_by_role("button", name="Programar", exact=True).click()
    staff.get_by_text("Asamblea programada").first.wait_for()
    for name, value in {"attendees": "52", "votes_for": "45", "votes_against": "4", "abstentions": "3"}.items():
        staff.locator(f"#id_{name}").fill(value)
    staff.locator("#id_minutes").set_input_files(str(cycle.files / "acta.pdf"))
    staff.get_by_role("button", name="Registrar", exact=True).click()
    staff.get_by_text("Resultado de la asamblea registrado.").wait_for()
    labelled(staff, "Persona revisora").select_option(label=cycle.people["reviewer"].full_name)
    staff.get_by_role("button", name="Asignar", exact=True).click()
    staff.get_by_text("Revisión técnica asignada.").wait_for()

    review = cycle.page("reviewer")
    review.goto("/inicio/")
    review.get_by_role("link", name="Mis dictámenes").click()
    review.get_by_role("link", name=title).click()
    for code in CHECKLIST:
        review.locator(f"input[name=answer_{code}][value=yes]").check()
    labelled(review, "Resultado").select_option("feasible")
    type_into(review, "Observaciones para el grupo", "Usar luminarias solares.")
    review.get_by_label(re.compile(r"^Entiendo que al entregar el dictamen")).check()
    review.get_by_role("button", name="Entregar dictamen (definitivo)").click()
    review.get_by_text("Dictamen entregado.").wait_for()


# --- 3. The Mixed Technical Committee: integrated, scores, sits, publishes ---------------------------------

def committee_scores_sits_and_publishes(cycle: Cycle, *, call, folio: str, amount: Decimal) -> None:
    members = [cycle.people[f"member{i}"] for i in range(3)]
    staff = cycle.page("coordinator")
    staff.goto(f"/comites/{call.pk}/")
    labelled(staff, "Secretaría del Comité").select_option(str(cycle.people["secretary"].pk))
    staff.get_by_role("button", name="Guardar", exact=True).click()
    said(staff, "Comité integrado.")
    for i, person in enumerate(members):
        form = staff.locator("form", has=staff.get_by_role("button", name="Agregar", exact=True))
        labelled(form, "Correo electrónico").fill(person.email)
        labelled(form, "Nombre completo").fill(person.full_name)
        labelled(form, "Sector").select_option(index=i % 2)
        labelled(form, "Institución").fill("UNAM")
        form.get_by_role("button", name="Agregar", exact=True).click()
        said(staff, "Integrante agregado.")
    staff.get_by_role("button", name="Pasar al Comité las propuestas listas").click()
    said(staff, "1 propuestas pasaron al Comité.")

    for n in range(len(members)):
        page = cycle.page(f"member{n}")
        page.goto(f"/comites/{call.pk}/")
        row = page.locator("section[aria-labelledby=calificar] tbody tr", has_text=folio)
        row.get_by_role("link").click()
        criterion = page.get_by_role("group", name=re.compile(r"^Calidad"))
        criterion.get_by_role("radio", name=re.compile(rf"^{4 + n % 2} —")).check()
        page.get_by_label("Entiendo que al enviar mis calificaciones ya no podré cambiarlas.").check()
        page.get_by_role("button", name="Enviar calificaciones").click()
        page.get_by_text("Calificaciones enviadas.").wait_for()

    secretary = cycle.page("secretary")
    secretary.goto(f"/comites/{call.pk}/sesion/")
    secretary.get_by_label("Fecha de la sesión").fill(timezone.localdate().isoformat())
    for person in members:
        secretary.get_by_label(re.compile(person.full_name)).check()
    secretary.get_by_role("button", name="Abrir la sesión").click()
    secretary.get_by_text("Sesión abierta").wait_for()
    summary = secretary.get_by_text(re.compile(r"^Seleccionado:")).inner_text()
    assert summary.startswith(f"Seleccionado: ${amount:,.2f} de"), summary  # the proposal, within the budget
    for n in range(len(members)):
        page = cycle.page(f"member{n}")
        page.goto(f"/comites/{call.pk}/sesion/")
        page.get_by_label("A favor").check()
        page.get_by_role("button", name="Votar").click()
        page.get_by_text("Voto registrado.").wait_for()
    secretary.reload()
    secretary.get_by_label(re.compile(r"^Entiendo que al cerrar la sesión")).check()
    secretary.get_by_role("button", name="Cerrar la sesión y generar el acta").click()
    secretary.get_by_text("Sesión cerrada").wait_for()

    staff.goto(f"/comites/{call.pk}/")
    staff.get_by_label(re.compile(r"^Entiendo que los resultados se publican")).check()
    staff.get_by_role("button", name="Publicar resultados").click()
    staff.get_by_role("heading", name="Resultados").wait_for()
    assert folio in staff.locator("#contenido").inner_text()


# --- 4. The project: committees elected, account, agreement, first tranche ---------------------------------

def project_committees_are_elected(cycle: Cycle, *, title: str) -> int:
    """The coordination finds the new project, schedules and records the election; each elected neighbour
    accepts from the link in their e-mail. Returns the project's id (from the page's address)."""
    staff = cycle.page("coordinator")
    staff.goto("/seguimiento/")
    staff.get_by_role("link", name=title).click()
    staff.wait_for_url(re.compile(r"/seguimiento/\d+/$"))
    project_id = int(re.search(r"/seguimiento/(\d+)/$", staff.url).group(1))
    staff.get_by_role("link", name="Programar una asamblea de elección").click()
    staff.get_by_label("Fecha y hora").fill(timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    staff.get_by_label("Lugar").fill("Parque Central")
    staff.get_by_role("button", name="Programar", exact=True).click()
    staff.get_by_role("link", name="Registrar el resultado").first.click()
    for label, value in [("Asistentes", "80"), ("Votos a favor de la planilla", "70"), ("Votos en contra", "5"),
                         ("Abstenciones", "5")]:
        staff.get_by_label(label).fill(value)
    staff.get_by_label("Acta de la asamblea (PDF)").set_input_files(str(cycle.files / "acta.pdf"))
    for kind in ("administration", "supervision", "development"):
        person = cycle.people[kind]
        staff.locator(f'[name="{kind}-0-full_name"]').fill(person.full_name)
        staff.locator(f'[name="{kind}-0-email"]').fill(person.email)
        staff.locator(f'[name="{kind}-0-position"]').select_option("president")
    staff.get_by_role("button", name="Registrar el resultado").click()
    staff.get_by_text("Resultado de la asamblea registrado.").wait_for()

    for kind in ("administration", "supervision", "development"):
        page = cycle.page(kind)
        page.goto(link_in_mail(cycle.people[kind].email, r"/seguimiento/invitacion/\S+/"))
        page.get_by_role("button", name="Acepto mi lugar en el comité").click()
        page.get_by_text("Aceptaste tu lugar en el comité").wait_for()
        narrow(page)
    return project_id


def agreement_signed_and_first_tranche_released(cycle: Cycle, *, project_id: int, code: str) -> None:
    resources = f"/seguimiento/{project_id}/recursos/"
    committee, staff, money = cycle.page("administration"), cycle.page("coordinator"), cycle.page("finance")
    committee.goto(resources)
    committee.get_by_label("Banco").fill("Banco del Bienestar")
    committee.get_by_label("Titular de la cuenta").fill("Comité de Administración")
    committee.get_by_label("CLABE").fill("032180000118359719")
    committee.get_by_label("Comprobante de la cuenta (PDF)").set_input_files(str(cycle.files / "cuenta.pdf"))
    committee.get_by_role("button", name="Registrar la cuenta").click()
    committee.get_by_text("Cuenta registrada").first.wait_for()
    narrow(committee)
    money.goto(resources)
    money.get_by_label("Verificar: los datos coinciden con el comprobante").check()
    money.get_by_role("button", name="Guardar la revisión").click()
    said(money, "Revisión de la cuenta registrada.")

    staff.goto(resources)
    staff.get_by_role("button", name="Generar el convenio").click()
    staff.get_by_role("link", name="Descargar el convenio (PDF)").wait_for()
    committee.goto(resources)
    committee.get_by_label("Convenio firmado por los comités (PDF)").set_input_files(str(cycle.files / "acta.pdf"))
    committee.get_by_role("button", name="Cargar", exact=True).click()
    committee.get_by_role("link", name="Descargar el convenio firmado (PDF)").wait_for()
    narrow(committee)
    money.goto(resources)
    money.get_by_label("Fecha en que firmó la Secretaría").fill(timezone.localdate().isoformat())
    money.get_by_label("Entiendo que al registrar la firma").check()
    money.get_by_role("button", name="Registrar la firma").click()
    said(money, "Firma registrada: el proyecto está en ejecución.")

    committee.goto(resources)
    committee.get_by_role("button", name="Solicitar la ministración 1").click()
    said(committee, "Ministración solicitada")
    narrow(committee)
    staff.goto(resources)
    staff.get_by_role("button", name="Aprobar la ministración 1").click()
    said(staff, "Ministración aprobada")
    money.goto("/seguimiento/finanzas/")
    money.get_by_role("link", name=code).first.click()
    money.get_by_label("Referencia de la transferencia").fill("SPEI 4455")
    money.get_by_label("Fecha de la transferencia").fill(timezone.localdate().isoformat())
    money.get_by_label("Entiendo que al registrar la entrega").check()
    money.get_by_role("button", name="Registrar la entrega de la ministración 1").click()
    money.get_by_text("Entrega registrada.").wait_for()


# --- 5. Works: an expense with its CFDI, progress with a photo ---------------------------------------------

def expense_with_a_cfdi_endorsed_and_verified(cycle: Cycle, *, project_id: int, code: str, budget_line: int,
                                               invoice: dict) -> None:
    from projects.cfdi_samples import cfdi_xml
    from tests.projects.execution_helpers import issued_a_moment_ago

    issued_at = issued_a_moment_ago(10)
    xml = cycle.files / "factura.xml"
    xml.write_bytes(cfdi_xml(uuid=invoice["uuid"], issuer_rfc=invoice["rfc"], subtotal=invoice["subtotal"],
                             issued_at=issued_at))
    committee = cycle.page("administration")
    committee.goto(f"/seguimiento/{project_id}/gastos/")
    committee.get_by_role("link", name="Registrar factura (CFDI)").click()
    committee.get_by_label("XML de la factura (CFDI 4.0)").set_input_files(str(xml))
    committee.get_by_role("button", name="Leer la factura").click()
    read = committee.locator(".cfdi-read").inner_text()
    for value in (invoice["uuid"], invoice["rfc"], invoice["total"]):
        assert value in read, (value, read)
    narrow(committee)
    committee.get_by_label("Concepto del presupuesto").select_option(str(budget_line))
    committee.get_by_label("Qué se compró o pagó").fill(invoice["concept"])
    committee.get_by_role("button", name="Registrar la factura").click()
    said(committee, "Factura registrada")
    narrow(committee)

    supervisor = cycle.page("supervision")
    supervisor.goto(f"/seguimiento/{project_id}/gastos/?status=recorded")
    supervisor.get_by_role("link", name=invoice["concept"]).click()
    supervisor.get_by_role("button", name="Avalar").click()
    said(supervisor, "Gasto avalado")
    narrow(supervisor)

    money = cycle.page("finance")
    money.goto("/seguimiento/gastos/por-verificar/")
    money.get_by_label(f"Verificar «{invoice['concept']}» de {code}").check()
    money.get_by_role("button", name="Verificar seleccionados").click()
    said(money, "Se verificó 1 gasto.")


def progress_report_with_a_photo_endorsed(cycle: Cycle, *, project_id: int, percent: int, summary: str) -> None:
    committee = cycle.page("administration")
    committee.goto(f"/seguimiento/{project_id}/avance/")
    committee.get_by_role("link", name="Enviar un informe de avance").click()
    committee.get_by_label("Avance físico de la obra (%)").fill(str(percent))
    committee.get_by_label("Qué se hizo en el periodo").fill(summary)
    committee.get_by_label("Fotos").set_input_files(str(cycle.files / "obra.jpg"))
    committee.get_by_role("button", name="Enviar el informe").click()
    said(committee, "Informe enviado")
    narrow(committee)
    supervisor = cycle.page("supervision")
    supervisor.goto(f"/seguimiento/{project_id}/avance/")
    supervisor.get_by_role("link", name="Avalar u observar").click()
    supervisor.get_by_label("Avalar: el informe corresponde a lo que vemos en la obra").check()
    supervisor.get_by_role("button", name="Registrar mi revisión").click()
    said(supervisor, "Informe avalado")
    narrow(supervisor)


# --- 6. Closure: handover, accountability assembly, refund, closed -----------------------------------------

def closure(cycle: Cycle, *, project_id: int, code: str, refund: str) -> None:
    today = timezone.localdate().isoformat()
    closing = f"/seguimiento/{project_id}/cierre/"
    staff, committee, money = cycle.page("coordinator"), cycle.page("administration"), cycle.page("finance")

    def coordination(label, consequence, done):
        staff.goto(closing)
        staff.get_by_label(consequence).check()
        staff.get_by_role("button", name=label).click()
        said(staff, done)

    coordination("Declarar obras concluidas", "Entiendo que las obras quedan declaradas concluidas",
                 "Obras concluidas")
    staff.get_by_label("Obras que se entregan").fill("Juegos infantiles, bancas y luminarias solares.")
    staff.get_by_label("Fecha de entrega").fill(today)
    staff.get_by_role("button", name="Generar el acta").click()
    said(staff, "Acta de entrega-recepción generada")

    committee.goto(closing)
    committee.get_by_label("Acta de entrega-recepción firmada (PDF)").set_input_files(str(cycle.files / "acta.pdf"))
    committee.get_by_role("button", name="Cargar el acta firmada").click()
    said(committee, "Acta firmada cargada")
    narrow(committee)

    coordination("Pasar a rendición de cuentas", "Entiendo que el proyecto pasa a rendición de cuentas",
                 "Rendición de cuentas")

    committee.goto(closing)
    committee.get_by_label("Fecha de la asamblea").fill(today)
    committee.get_by_label("Personas asistentes").fill("61")
    committee.get_by_label("Qué se informó").fill("Las obras, lo comprobado y el reintegro.")
    committee.get_by_label("Acta de la asamblea (PDF)").set_input_files(str(cycle.files / "acta.pdf"))
    committee.get_by_role("button", name="Registrar la asamblea").click()
    said(committee, "Asamblea de rendición de cuentas registrada")
    narrow(committee)

    money.goto("/seguimiento/finanzas/")
    money.locator("#q-refunds").locator("..").get_by_role("link", name=code).click()
    refund_section = money.locator("section", has=money.locator("#refund-title"))
    assert f"Por reintegrar: {refund} MXN (ministrado − comprobado" in refund_section.inner_text()
    money.get_by_label("Referencia de la transferencia").fill("REINT 7788")
    money.get_by_label("Fecha del reintegro").fill(today)
    money.get_by_label("Entiendo que el reintegro queda registrado").check()
    money.get_by_role("button", name="Registrar el reintegro").click()
    said(money, "Reintegro registrado.")

    coordination("Cerrar el proyecto", "Entiendo que el proyecto se cierra", "Cerrado")
    assert staff.locator(".checklist li.missing").count() == 0


# --- 7. A report the coordination asks for, built by the worker ---------------------------------------------

def accountability_report_built_by_the_worker(cycle: Cycle, *, project_id: int) -> bytes:
    """The coordination asks for the project's accountability PDF on the project's page; the worker builds
    it while the report's page shows its progress; the link to download appears when it is done."""
    staff = cycle.page("coordinator")
    staff.goto(f"/seguimiento/{project_id}/")
    staff.get_by_role("button", name="Informe de rendición de cuentas (PDF)").click()
    staff.wait_for_url(re.compile(r"/reportes/\d+/$"))
    download = staff.get_by_role("link", name="Descargar el reporte")
    download.wait_for(timeout=120_000)  # the page polls the report's status until the worker is done
    with staff.expect_download() as info:
        download.click()
    return Path(info.value.path()).read_bytes()

