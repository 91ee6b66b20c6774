"""The project pages on a phone (390×844): the coordination records the election assembly through its form
(the slate typed row by row), an elected person accepts from the invitation link, and the list, the
project's page and the forms never get wider than the screen."""

import pytest
from django.test import Client
from django.utils import timezone

from projects import services
from projects.models import CommitteeKind, Project
from projects.workflow import ProjectState
from tests.factories import PDF_BYTES
from tests.projects.conftest import two_tranche_call
from tests.projects.helpers import selected_project, slate, staff_people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def signed_in(browser, live_server, user):
    client = Client()
    client.force_login(user)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 390, "height": 844})
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def fits(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_election_recorded_on_a_phone_and_an_invitation_accepted(browser, live_server, boroughs):
    people = staff_people()
    project = selected_project(two_tranche_call(year=2030))
    services.election_schedule(actor=people["coordinator"], project_id=project.pk,
                               scheduled_at=timezone.now(), place="Parque Central")
    coordinator = signed_in(browser, live_server, people["coordinator"])
    coordinator.goto("/seguimiento/")
    assert fits(coordinator)
    coordinator.get_by_role("link", name=project.title).click()
    assert fits(coordinator)
    coordinator.get_by_role("link", name="Registrar el resultado").first.click()
    coordinator.get_by_label("Asistentes").fill("80")
    coordinator.get_by_label("Votos a favor de la planilla").fill("70")
    coordinator.get_by_label("Votos en contra").fill("5")
    coordinator.get_by_label("Abstenciones").fill("5")
    coordinator.get_by_label("Acta de la asamblea (PDF)").set_input_files(
        {"name": "acta.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES})
    members = slate(prefix="tel")
    for kind in CommitteeKind:
        rows = [m for m in members if m["committee"] == kind]
        for i, member in enumerate(rows):
            coordinator.locator(f'[name="{kind.value}-{i}-full_name"]').fill(member["full_name"])
            coordinator.locator(f'[name="{kind.value}-{i}-email"]').fill(member["email"])
            coordinator.locator(f'[name="{kind.value}-{i}-position"]').select_option(member["position"])
    assert fits(coordinator)
    coordinator.get_by_role("button", name="Registrar el resultado").click()
    coordinator.get_by_text("Resultado de la asamblea registrado.").wait_for()
    assert "Convenio por firmar" in coordinator.content() and fits(coordinator)
    assert Project.objects.get(pk=project.pk).status == ProjectState.AGREEMENT_PENDING

    seat = project.seats.select_related("user").get(committee=CommitteeKind.ADMINISTRATION, position="president")
    member = signed_in(browser, live_server, seat.user)
    member.goto(f"/seguimiento/invitacion/{seat.token}/")
    assert fits(member)
    member.get_by_role("button", name="Acepto mi lugar en el comité").click()
    member.get_by_text("Aceptaste tu lugar en el comité de Administración.").wait_for()
    assert "Registra la cuenta bancaria" in member.content() and fits(member)
    timeline = member.locator(".timeline").inner_text()
    assert "Se registró la elección de comités" in timeline and "aceptó su lugar" in timeline
    member.goto("/inicio/")
    assert "Tu proyecto financiado" in member.content() and fits(member)
