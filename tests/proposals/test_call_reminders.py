"""A call's own reminder days (Call.reminder_offsets), edited by coordination per kind: comma-separated days,
validated with Spanish errors by the field and what was typed kept, saved with the call's version, and
followed by the sweep."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.roles import StaffRole
from notifications.models import ReminderLog
from notifications.reminders import catalogue, offsets_for, reminders_sweep
from proposals import services
from proposals.models import Call
from tests.factories import UserFactory, make_open_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    user = UserFactory(roles=[StaffRole.COORDINATOR])
    client.force_login(user)
    return user


@pytest.fixture
def call(db):
    return make_open_call()


def url(call):
    return reverse("proposals:call_reminders", args=[call.pk])


def fresh(call) -> Call:
    return Call.objects.get(pk=call.pk)


def test_the_page_has_a_field_per_kind_with_the_default_as_placeholder(client, coordinator, call):
    html = client.get(url(call)).content.decode()
    assert 'name="registration_closing"' in html and 'placeholder="-7, -1"' in html
    assert "Por omisión: 7 y 1 días antes (-7, -1)." in html
    assert "Grupos con una propuesta en borrador en la convocatoria" in html
    assert f'name="version" value="{call.version}"' in html


def test_the_call_page_links_to_it_for_coordination_only(client, coordinator, call, applicant):
    assert f'href="{url(call)}"' in client.get(reverse("proposals:call_detail", args=[call.pk])).content.decode()
    client.force_login(applicant)
    assert f'href="{url(call)}"' not in client.get(reverse("proposals:call_detail", args=[call.pk])).content.decode()


def test_saving_stores_the_days_and_the_sweep_follows_them(client, coordinator, call, group, applicant):
    response = client.post(url(call), {"registration_closing": " -10, −3 ,0", "version": call.version})
    assert response.status_code == 302 and response.url == reverse("proposals:call_detail", args=[call.pk])
    saved = fresh(call)
    assert saved.reminder_offsets == {"registration_closing": [-10, -3, 0]}
    assert saved.version == call.version + 1
    assert offsets_for(saved, "registration_closing") == (-10, -3, 0)
    # The page shows what is saved; the sweep reminds on the call's days, not the default's.
    assert 'value="-10, -3, 0"' in client.get(url(call)).content.decode()
    services.proposal_create(actor=applicant, call=call, group=group, title="Parque")
    closes = call.registration_closes_on
    assert reminders_sweep(today=closes - timedelta(days=7), kinds=[catalogue()["registration_closing"]]) == {
        "registration_closing": 1}
    assert ReminderLog.objects.get().due_key == f"{closes.isoformat()}-10"  # caught up from -10, not the -7


def test_an_empty_field_goes_back_to_the_default(client, coordinator, call):
    services.call_reminders_save(actor=coordinator, call_id=call.pk, offsets={"registration_closing": [-2]})
    assert client.post(url(call), {"registration_closing": ""}).status_code == 302
    assert fresh(call).reminder_offsets == {}
    assert offsets_for(fresh(call), "registration_closing") == (-7, -1)


@pytest.mark.parametrize(("typed", "message"), [
    ("siete", "Revisa «siete»: escribe días enteros separados por comas"),
    ("-7; -1", "Revisa «-7; -1»"),
    ("1.5", "Revisa «1.5»"),
    ("--3", "Revisa «--3»"),
    ("-61", "Cada valor va de -60 a 60 días."),
    ("1, 2, 3, 4, 5, 6", "Como máximo 5 recordatorios por tipo."),
    ("-1, -1", "Cada día va una sola vez."),
])
def test_bad_days_are_refused_by_the_field_keeping_what_was_typed(client, coordinator, call, typed, message):
    response = client.post(url(call), {"registration_closing": typed, "version": call.version})
    assert response.status_code == 400
    html = response.content.decode()
    field_at = html.index('name="registration_closing"')
    assert message in html[html.rindex('<label for="id_registration_closing"', 0, field_at):field_at]  # by the field
    assert f'value="{typed}"' in html
    assert fresh(call).reminder_offsets == {} and fresh(call).version == call.version


def test_a_stale_version_saves_nothing(client, coordinator, call):
    services.call_reminders_save(actor=coordinator, call_id=call.pk, offsets={"registration_closing": [-5]},
                                 version=call.version)
    response = client.post(url(call), {"registration_closing": "-2", "version": call.version})
    assert response.status_code == 409
    assert "Alguien más guardó cambios mientras editabas" in response.content.decode()
    assert fresh(call).reminder_offsets == {"registration_closing": [-5]}


def test_the_service_checks_who_and_what(call, staff, coordinator):
    with pytest.raises(PermissionDenied):
        services.call_reminders_save(actor=staff[StaffRole.COMMITTEE_SECRETARY], call_id=call.pk,
                                     offsets={"registration_closing": [-2]})
    with pytest.raises(ValidationError) as unknown:
        services.call_reminders_save(actor=coordinator, call_id=call.pk, offsets={"no_existe": [-2]})
    assert unknown.value.message_dict == {"no_existe": ["Tipo de recordatorio desconocido."]}
    with pytest.raises(ValidationError):
        services.call_reminders_save(actor=coordinator, call_id=call.pk, offsets={"registration_closing": ["-2"]})
    assert fresh(call).reminder_offsets == {}
