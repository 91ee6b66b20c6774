"""At phone size (390×844), following the works: the administration committee sends a progress report with a
photo taken in the test, supervision endorses it, a logbook entry is written and then corrected by a new entry,
the coordination records a visit with an observation and the committee answers it; no page is wider than the
screen and axe finds nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from projects.models import LogbookEntry, VisitObservation
from tests.e2e.sessions import logged_in_page
from tests.e2e.test_money_phone import fits, with_password
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, jpeg
from tests.projects.helpers import staff_people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("boroughs")]


def test_a_report_the_logbook_and_a_visit_from_a_phone(browser, live_server, tmp_path):
    people = staff_people()
    works = in_execution_project(two_tranche_call(), people)
    project = works.project
    admin, supervision = with_password(works.admin), with_password(works.supervision)
    coordinator = with_password(people["coordinator"])
    picture = tmp_path / "obra.jpg"
    picture.write_bytes(jpeg(size=(640, 480)))

    # The administration committee reports progress with a photo.
    page = logged_in_page(browser, live_server, admin)
    page.goto(f"/seguimiento/{project.pk}/avance/")
    assert page.locator('.project-tabs a[aria-current="page"]').inner_text() == "Avance"
    fits(page)
    page.get_by_role("link", name="Enviar un informe de avance").click()
    page.get_by_label("Avance físico de la obra (%)").fill("30")
    page.get_by_label("Qué se hizo en el periodo").fill("Se coló la losa de la cancha.")
    page.get_by_role("button", name="Enviar el informe").click()
    assert "Adjunta al menos una foto de la obra." in page.locator(".field-error").inner_text()
    assert page.get_by_label("Qué se hizo en el periodo").input_value() == "Se coló la losa de la cancha."
    fits(page)
    page.get_by_label("Fotos").set_input_files(str(picture))
    page.get_by_role("button", name="Enviar el informe").click()
    assert "Informe enviado" in page.locator(".messages").inner_text()
    thumbnail = page.locator(".photos img").first
    # Served through the view: wait for the load (times out if the picture is broken) rather than race it.
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    fits(page)

    # Supervision endorses it.
    page = logged_in_page(browser, live_server, supervision)
    page.goto(f"/seguimiento/{project.pk}/")
    page.get_by_role("link", name="Revisar el informe").click()
    fits(page)
    page.get_by_label("Avalar: el informe corresponde a lo que vemos en la obra").check()
    page.get_by_role("button", name="Registrar mi revisión").click()
    assert "Informe avalado" in page.locator(".messages").inner_text()
    assert "30.00 %" in page.locator(".summary").inner_text()
    works.refresh()
    assert project.physical_progress == 30

    # A logbook entry, and its correction as a new entry.
    page.goto(f"/seguimiento/{project.pk}/bitacora/")
    page.get_by_role("link", name="Escribir en la bitácora").click()
    page.get_by_role("textbox", name="Anotación").fill("Llegaron 50 bultos de cemento.")
    page.get_by_role("button", name="Agregar a la bitácora").click()
    page.get_by_role("link", name="Corregir esta anotación").click()
    assert "Llegaron 50 bultos de cemento." in page.locator("blockquote").inner_text()
    fits(page)
    page.get_by_role("textbox", name="Anotación").fill("Fueron 40 bultos, no 50.")
    page.get_by_role("button", name="Agregar a la bitácora").click()
    assert page.get_by_role("link", name="Corregida por la anotación").count() == 1
    assert page.get_by_role("link", name="Corrige la anotación del").count() == 1
    fits(page)
    assert LogbookEntry.objects.filter(project=project, corrects__isnull=False).count() == 1

    # The coordination records a visit with an observation.
    page = logged_in_page(browser, live_server, coordinator)
    page.goto(f"/seguimiento/{project.pk}/visitas/")
    page.get_by_role("link", name="Registrar una visita").click()
    fits(page)
    page.get_by_label("Hallazgos").fill("Obra ordenada; falta señalización.")
    page.get_by_label("Observación 1:", exact=True).fill("Señalizar la zanja del lado norte.")
    due = timezone.localdate() + timedelta(days=10)
    page.get_by_label("Fecha límite para responder la observación 1").fill(due.isoformat())
    page.get_by_role("button", name="Registrar la visita").click()
    assert "Visita registrada" in page.locator(".messages").inner_text()
    fits(page)

    # The committee answers it.
    page = logged_in_page(browser, live_server, supervision)
    page.goto(f"/seguimiento/{project.pk}/")
    page.get_by_role("link", name="Responder la observación").click()
    page.get_by_label("Respuesta del comité").fill("Se puso cinta y letreros.")
    page.get_by_role("button", name="Enviar la respuesta").click()
    assert "Respuesta enviada" in page.locator(".messages").inner_text()
    fits(page)
    assert VisitObservation.objects.get(project=project).status == VisitObservation.Status.ANSWERED
