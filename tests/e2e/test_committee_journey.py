"""The Mixed Technical Committee in a real browser: score, recuse, session, change, vote, publish."""

import re
from decimal import Decimal

import pytest

from committees import services
from committees.models import SelectionEntry
from tests.committees.conftest import shortlisted_proposals
from tests.e2e.sessions import logged_in_page
from tests.factories import UserFactory, make_open_call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("boroughs")]


def session_for(browser, live_server, user):
    return logged_in_page(browser, live_server, user, width=1280, height=900)


def money(text):
    return Decimal(text.replace("$", "").replace(",", ""))


def test_committee_scores_selects_votes_and_publishes(browser, live_server):
    call = make_open_call(year=2029, total_budget=Decimal("5000000"), committee_quorum=4, waitlist_size=3)
    proposals = shortlisted_proposals(call, 12)
    coordinator = UserFactory(roles=["coordinator"], full_name="Coordinación")
    secretary = UserFactory(full_name="Secretaría del Comité")
    committee = services.committee_set(actor=coordinator, call=call, secretary=secretary)
    people = [UserFactory(full_name=f"Integrante {i}") for i in range(5)]
    for i, person in enumerate(people):
        services.member_add(actor=coordinator, committee=committee, email=person.email, full_name=person.full_name,
                            sector="academia" if i % 2 else "government", institution="UNAM")

    pages = [session_for(browser, live_server, person) for person in people]
    recused = proposals[:2]
    # Member 0 declares a conflict of interest on two proposals.
    for proposal in recused:
        pages[0].goto(f"/comites/{call.pk}/propuestas/{proposal.pk}/")
        pages[0].get_by_label(re.compile("Conflicto de interés")).fill("Vivo en esa colonia.")
        pages[0].get_by_role("button", name="Excusarme").click()
        pages[0].get_by_text("Tu excusa quedó registrada").wait_for()
    assert pages[0].goto(f"/comites/{call.pk}/propuestas/{recused[0].pk}/").status == 404

    # Everyone scores their list, each proposal on its own page.
    for n, page in enumerate(pages):
        page.goto(f"/comites/{call.pk}/")
        links = page.locator("section[aria-labelledby=calificar] tbody a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        assert len(hrefs) == (10 if n == 0 else 12)
        for i, href in enumerate(hrefs):
            page.goto(href)
            level = 1 + (i * 3 + n) % 5
            criterion = page.get_by_role("group", name=re.compile(r"^Calidad"))
            criterion.get_by_role("radio", name=re.compile(rf"^{level} —")).check()
            page.get_by_label("Entiendo que al enviar mis calificaciones ya no podré cambiarlas.").check()
            page.get_by_role("button", name="Enviar calificaciones").click()
            page.get_by_text("Calificaciones enviadas.").wait_for()
        if n:  # after submitting, a member sees the scores of those who scored before
            assert "Calificaciones de las demás personas" in page.content()

    # The secretary opens the session with quorum and sees the proposed selection within budget.
    secretary_page = session_for(browser, live_server, secretary)
    secretary_page.goto(f"/comites/{call.pk}/sesion/")
    secretary_page.get_by_label("Fecha de la sesión").fill("2029-05-30")
    for person in people[:4]:
        secretary_page.get_by_label(re.compile(person.full_name)).check()
    secretary_page.get_by_role("button", name="Abrir la sesión").click()
    secretary_page.get_by_text("Sesión abierta").wait_for()
    summary = secretary_page.get_by_text(re.compile(r"^Seleccionado:")).inner_text()
    chosen, budget = (money(m) for m in re.findall(r"\$[\d,]+\.\d\d", summary))
    assert chosen <= budget == Decimal("5000000.00")

    # One change with its reason.
    entry = SelectionEntry.objects.filter(session__committee=committee, outcome="selected").order_by("rank").last()
    row = secretary_page.locator("tr", has_text=entry.proposal.folio)
    row.locator("select").select_option("waitlisted")
    row.get_by_placeholder("Motivo").fill("El predio tiene un litigio reciente.")
    row.get_by_role("button", name="Cambiar").click()
    secretary_page.get_by_text("Cambio registrado").wait_for()

    # The members present vote; the secretary closes; the minutes exist.
    for page in pages[:4]:
        page.goto(f"/comites/{call.pk}/sesion/")
        page.get_by_label("A favor").check()
        page.get_by_role("button", name="Votar").click()
        page.get_by_text("Voto registrado.").wait_for()
    secretary_page.get_by_label(re.compile(r"^Entiendo que al cerrar la sesión")).check()
    secretary_page.get_by_role("button", name="Cerrar la sesión y generar el acta").click()
    secretary_page.get_by_text("Sesión cerrada").wait_for()
    assert secretary_page.request.get(f"/comites/{call.pk}/sesion/acta.pdf").body().startswith(b"%PDF")

    # Coordination publishes; anyone reads the results.
    staff = session_for(browser, live_server, coordinator)
    staff.goto(f"/comites/{call.pk}/")
    staff.get_by_label(re.compile(r"^Entiendo que los resultados se publican")).check()
    staff.get_by_role("button", name="Publicar resultados").click()
    staff.get_by_role("heading", name="Resultados").wait_for()
    public = browser.new_context(base_url=live_server.url).new_page()
    public.goto(f"/convocatorias/{call.pk}/resultados/")
    text = public.locator("#contenido").inner_text()
    selected = SelectionEntry.objects.filter(session__committee=committee, outcome="selected")
    assert selected.exists() and all(e.proposal.folio in text for e in selected)
    assert "Lista de espera" in text and entry.proposal.folio in text
    assert sum(e.assigned_amount for e in selected) <= Decimal("5000000")
