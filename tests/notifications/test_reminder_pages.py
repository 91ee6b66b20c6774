"""The coordinator's reminders page: the catalogue in words, what the next sweeps will send (with who
switched it off), what was sent, newest first and paginated; filters by kind, call and state with errors
by the field; queries that do not grow with the rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from accounts.roles import StaffRole
from notifications import reminders
from notifications.models import ReminderLog, ReminderStatus
from notifications.reminders import Occasion, ReminderKind
from notifications.wording import offsets_in_words
from proposals import services
from tests.factories import UserFactory, make_open_call

pytestmark = pytest.mark.django_db
URL = reverse("notifications:reminders")


@pytest.fixture
def coordinator(client):
    user = UserFactory(roles=[StaffRole.COORDINATOR])
    client.force_login(user)
    return user


@pytest.fixture
def optional_kind(monkeypatch):
    """A non-essential kind in the catalogue (the cycle's apps register theirs): one occasion, in 3 days,
    for the people the test lists."""
    reminders.catalogue()
    people = []

    def occasions(today, horizon):
        if people:
            yield Occasion(object_key="test:1", deadline=today + timedelta(days=3), recipients=people, offsets=(-1,),
                           url="/ayuda/", subject="Entrega de prueba", body=lambda offset: "Cuerpo")

    kind = ReminderKind(code="optional_test", label="Aviso opcional de prueba", audience="Personas de prueba",
                        default_offsets=(-30, -7, 0, 3), essential=False, occasions=occasions)
    monkeypatch.setitem(reminders._KINDS, kind.code, kind)
    return kind, people


def log(recipient, *, kind="registration_closing", status=ReminderStatus.SENT, call_id=None, subject="Asunto", n=0):
    today = timezone.localdate()
    return ReminderLog.objects.create(kind=kind, object_key=f"proposal:{n}", recipient=recipient,
                                      due_key=f"{today.isoformat()}-{n}", due_on=today, deadline=today,
                                      call_id=call_id, status=status, subject=subject, url=f"/propuestas/{n}/",
                                      staff_url=f"/propuestas/{n}/", sweep="prueba")


@pytest.mark.parametrize(("offsets", "words"), [
    ((-7, -1), "7 y 1 días antes"),
    ((-1,), "1 día antes"),
    ((0,), "el mismo día"),
    ((1,), "1 día después"),
    ((-30, -7, 0, 3), "30 y 7 días antes; el mismo día; 3 días después"),
    ((-5, -3, -1), "5, 3 y 1 días antes"),
])
def test_offsets_read_in_words(offsets, words):
    with override("es-mx"):
        assert offsets_in_words(offsets) == words


def test_the_catalogue_lists_every_kind_with_its_audience_and_days(client, coordinator, optional_kind):
    html = client.get(URL).content.decode()
    assert "Cierre del registro" in html and "Grupos con una propuesta en borrador en la convocatoria" in html
    assert "7 y 1 días antes" in html and "Sí: no se puede desactivar" in html
    assert "Aviso opcional de prueba" in html and "30 y 7 días antes; el mismo día; 3 días después" in html
    assert "No: cada quien puede desactivarlo" in html


def test_upcoming_lists_what_the_next_sweeps_will_send_and_who_switched_it_off(client, coordinator, group,
                                                                               applicant, optional_kind):
    today = timezone.localdate()
    call = make_open_call(closes_on=today + timedelta(days=5))
    draft = services.proposal_create(actor=applicant, call=call, group=group, title="Parque La Ermita")
    kind, people = optional_kind
    people.append(UserFactory(email="sin-avisos@ejemplo.mx", reminders_off=[kind.code]))
    html = client.get(URL).content.decode()
    section = html.split('id="proximos"')[1].split('id="enviados"')[0]
    # The registration's "1 day left" (due in 4 days) goes to the group; the optional one, in 2 days, first.
    assert section.index("sin-avisos@ejemplo.mx") < section.index(applicant.email)
    # The draft is the group's: the coordinator's row names it without a link they could not open.
    assert f'href="/propuestas/{draft.pk}/"' not in section and f"Cierra el registro de {call.title}" in section
    assert "No se enviará: la persona lo desactivó" in section and "Se enviará" in section
    assert "2 recordatorios en los próximos 14 días" in section


def test_sent_reminders_newest_first_with_their_state(client, coordinator, applicant):
    log(applicant, subject="El más antiguo", n=1)
    log(applicant, subject="El más nuevo", status=ReminderStatus.OPTED_OUT, n=2)
    html = client.get(URL).content.decode()
    section = html.split('id="enviados"')[1]
    assert "2 recordatorios enviados" in section
    assert section.index("El más nuevo") < section.index("El más antiguo")
    assert "No enviado: la persona lo desactivó" in section and applicant.email in section
    assert 'href="/propuestas/1/"' in section


def test_filters_by_kind_call_and_state(client, coordinator, applicant, optional_kind):
    call = make_open_call()
    log(applicant, subject="Registro de esta convocatoria", call_id=call.pk, n=1)
    log(applicant, subject="Registro de otra", call_id=call.pk + 1000, n=2)
    log(applicant, kind="optional_test", subject="Opcional desactivado", status=ReminderStatus.OPTED_OUT, n=3)

    def sent(**query):
        response = client.get(URL, query)
        assert response.status_code == 200
        return response.content.decode()

    by_call = sent(call=call.pk, state="sent")
    assert "Registro de esta convocatoria" in by_call and "Registro de otra" not in by_call
    by_kind = sent(kind="optional_test")
    assert "Opcional desactivado" in by_kind and "Registro de" not in by_kind.split('id="enviados"')[1]
    opted_out = sent(state="opted_out")
    assert "Opcional desactivado" in opted_out and "Registro de" not in opted_out
    assert 'id="proximos"' in opted_out  # and the upcoming ones that will not be sent either
    only_upcoming = sent(state="upcoming")
    assert 'id="proximos"' in only_upcoming and 'id="enviados"' not in only_upcoming


@pytest.mark.parametrize(("query", "field", "message"), [
    ({"kind": "no_existe"}, "kind", "Elige un tipo de recordatorio de la lista."),
    ({"call": "abc"}, "call", "Elige una convocatoria de la lista."),
    ({"state": "borrado"}, "state", "Elige un estado de la lista."),
])
def test_a_bad_filter_is_refused_next_to_its_field(client, coordinator, applicant, query, field, message):
    log(applicant, subject="No se muestra", n=1)
    response = client.get(URL, query)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Revisa los filtros marcados." in html
    error_at = html.index(message)
    assert html.rindex(f'id="id_{field}"', 0, error_at) > html.rindex("<div>", 0, error_at)  # in the field's box
    assert "No se enviará" not in html and "No se muestra" not in html  # nothing listed on a bad filter


def test_sent_reminders_page_by_fifty_reading_the_same_queries_whatever_the_rows(client, coordinator):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"state": "sent"}).status_code == 200
        return len(captured)

    people = [UserFactory() for _ in range(3)]
    for n, person in enumerate(people):
        log(person, n=n)
    few = queries()
    for n in range(3, 53):
        log(UserFactory(), n=n)
    assert queries() == few
    first = client.get(URL, {"state": "sent"}).content.decode()
    assert "53 recordatorios enviados" in first and "Página 1 de 2" in first
    assert first.count('<td data-label="Para">') == 50
    second = client.get(URL, {"state": "sent", "page": 2}).content.decode()
    assert second.count('<td data-label="Para">') == 3


@pytest.mark.parametrize("role", [StaffRole.COORDINATOR, StaffRole.AUDITOR])
def test_oversight_finds_the_page_in_the_menu(client, role):
    client.force_login(UserFactory(roles=[role]))
    assert f'href="{URL}"' in client.get(reverse("help")).content.decode()


def test_a_resident_neither_sees_the_link_nor_opens_the_page(client, applicant):
    client.force_login(applicant)
    assert f'href="{URL}"' not in client.get(reverse("help")).content.decode()
    assert client.get(URL).status_code == 403


def test_the_coordinators_start_panel_links_to_the_page(client, coordinator):
    html = client.get(reverse("dashboard:start")).content.decode()
    assert "Qué plazos se recuerdan, a quién y cuándo" in html


def test_the_opted_out_filter_shows_the_upcoming_ones_that_will_not_be_sent(client, coordinator, optional_kind):
    kind, people = optional_kind
    people.append(UserFactory(email="sin-avisos@ejemplo.mx", reminders_off=[kind.code]))
    people.append(UserFactory(email="con-avisos@ejemplo.mx"))
    html = client.get(URL, {"state": "opted_out"}).content.decode()
    upcoming = html.split('id="proximos"')[1].split('id="enviados"')[0]
    assert "sin-avisos@ejemplo.mx" in upcoming and "con-avisos@ejemplo.mx" not in upcoming
    assert "recordatorios no enviados: las personas los desactivaron" in html
