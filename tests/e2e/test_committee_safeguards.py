"""At phone size (390×844): the secretary sees who has not scored, cannot open the session without a
recorded decision, and closing the session asks for confirmation; no page is wider than the screen."""

import re
from datetime import date
from decimal import Decimal

import pytest

from committees import services
from committees.models import CommitteeEvent, Session
from tests.committees.conftest import shortlisted_proposals
from tests.e2e.sessions import logged_in_page
from tests.factories import UserFactory, make_open_call

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("boroughs")]


def phone_session(browser, live_server, user):
    return logged_in_page(browser, live_server, user, width=390, height=844)


def assert_fits(page, *, tables_apart=False):
    """Nothing wider than the phone. With tables_apart, only what lies outside the ranking table is
    checked: the table's phone layout is the shared responsive-table pattern's job."""
    wide = page.evaluate("""Array.from(document.querySelectorAll('#contenido *'))
        .filter(e => e.getBoundingClientRect().right > 392 && !e.closest('.table-scroll'))
        .map(e => e.tagName + '.' + e.className + '#' + e.id)""")
    assert not wide, f"{page.url}: {wide[:6]}"
    if not tables_apart:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{page.url} is {width}px wide"


def test_the_secretary_opens_with_a_recorded_decision_and_confirms_the_close(browser, live_server):
    call = make_open_call(year=2029, total_budget=Decimal("5000000"), committee_quorum=3, waitlist_size=2)
    proposals = shortlisted_proposals(call, 3)
    coordinator = UserFactory(roles=["coordinator"])
    secretary = UserFactory(full_name="Patricia Ruiz", roles=["committee_secretary"])
    committee = services.committee_set(actor=coordinator, call=call, secretary=secretary)
    people = [UserFactory(full_name=name) for name in ["Ana Soto", "Beto Paz", "Carla Ríos"]]
    for person in people:
        services.member_add(actor=coordinator, committee=committee, email=person.email, full_name=person.full_name,
                            sector="academia", institution="UNAM")
    rubric = list(call.rubric.all())
    for person in people[:2]:  # Carla Ríos has not scored
        for proposal in proposals:
            services.score_save(actor=person, proposal_id=proposal.pk, submit=True,
                                values={str(c.pk): {"value": 4} for c in rubric})

    page = phone_session(browser, live_server, secretary)
    page.goto(f"/comites/{call.pk}/sesion/")
    missing = page.locator("section[aria-labelledby=pendientes]")
    assert "Carla Ríos" in missing.inner_text() and "Ana Soto" not in missing.inner_text().split("Pendiente")[0]
    assert_fits(page)
    page.get_by_label("Fecha de la sesión").fill(date.today().isoformat())
    for person in people:
        page.get_by_label(re.compile(person.full_name)).check()
    page.get_by_role("button", name="Abrir la sesión").click()
    error = page.locator("#id_unscored_decision_error")
    error.wait_for()
    assert "Carla Ríos" in error.inner_text() and not Session.objects.exists()
    assert page.get_by_label("Fecha de la sesión").input_value() == date.today().isoformat()  # kept
    assert_fits(page)
    page.get_by_label("Decisión del Comité sobre las calificaciones pendientes").fill(
        "Carla Ríos está de licencia; se sesiona con dos hojas por propuesta.")
    page.get_by_role("button", name="Abrir la sesión").click()
    page.get_by_text("Sesión abierta: la calificación quedó cerrada.").wait_for()
    assert CommitteeEvent.objects.filter(action="opened_with_unscored", note__contains="de licencia").exists()
    assert_fits(page, tables_apart=True)

    for person in people:
        services.vote_cast(actor=person, session_id=Session.objects.get().pk, choice="for")
    page.reload()
    page.get_by_role("button", name="Cerrar la sesión y generar el acta").click()  # without the checkbox
    # The browser's own check stops it first (required); the server refuses too (tested without a browser).
    assert Session.objects.get().status == Session.Status.OPEN
    page.get_by_label(re.compile(r"^Entiendo que al cerrar la sesión")).check()
    page.get_by_role("button", name="Cerrar la sesión y generar el acta").click()
    page.get_by_text("Sesión cerrada; el acta está lista.").wait_for()
    assert Session.objects.get().status == Session.Status.CLOSED
    assert_fits(page, tables_apart=True)
