"""A person's preferences: the language of their e-mails and the non-essential reminders they receive
(the essential ones are shown, always on). The site's language switch records a signed-in person's choice,
and a new account reads its e-mails in the language it signed up in."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.roles import StaffRole
from accounts.services import preferences_save
from notifications import reminders
from notifications.models import ReminderLog, ReminderStatus
from notifications.reminders import Occasion, ReminderKind, reminders_sweep
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("accounts:preferences")
DEADLINE = date(2027, 5, 10)


@pytest.fixture
def optional_kind(monkeypatch):
    """A non-essential kind in the catalogue, reminding the listed people 2 days before DEADLINE."""
    reminders.catalogue()
    people = []

    def occasions(today, horizon):
        yield Occasion(object_key="test:1", deadline=DEADLINE, recipients=people, offsets=(-2,), url="/ayuda/",
                       subject="Entrega de prueba", body=lambda offset: "Cuerpo")

    kind = ReminderKind(code="optional_test", label="Aviso opcional de prueba", audience="Personas de prueba",
                        default_offsets=(-2,), essential=False, occasions=occasions)
    monkeypatch.setitem(reminders._KINDS, kind.code, kind)
    return kind, people


def fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_the_page_offers_the_language_and_the_optional_reminders_checked(client, applicant, optional_kind):
    client.force_login(applicant)
    html = client.get(URL).content.decode()
    assert 'type="radio" name="language" value="es-mx"' in html and "checked" in html
    assert 'name="reminders" value="optional_test"' in html
    box = html.split('value="optional_test"')[1].split(">")[0]
    assert "checked" in box  # received until switched off
    # The essential ones are listed, on and not changeable, with the reason.
    assert "Cierre del registro" in html
    essential = html.split('id="esencial-registration_closing"')[1].split(">")[0]
    assert "checked" in essential and "disabled" in essential
    assert "de ellos dependen el dinero de tu proyecto o tu lugar en la convocatoria" in html


def test_saving_switches_off_the_unchecked_kind_and_sets_the_language(client, applicant, optional_kind):
    client.force_login(applicant)
    response = client.post(URL, {"language": "en"})
    assert response.status_code == 302 and response.url == URL
    applicant = fresh(applicant)
    optional = {code for code, kind in reminders.catalogue().items() if not kind.essential and not kind.roles}
    assert applicant.language == "en" and "optional_test" in optional
    assert set(applicant.reminders_off) == optional  # nothing checked: every optional kind switched off
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"  # the site follows
    client.post(URL, {"language": "es-mx", "reminders": sorted(optional - {"assembly_tomorrow"})})
    assert fresh(applicant).reminders_off == ["assembly_tomorrow"] and fresh(applicant).language == "es-mx"


def test_the_sweep_honours_what_the_person_switched_off(client, applicant, optional_kind):
    kind, people = optional_kind
    people.append(applicant)
    client.force_login(applicant)
    client.post(URL, {"language": "es-mx"})  # the optional box left unchecked
    people[0] = fresh(applicant)
    assert reminders_sweep(today=DEADLINE - timedelta(days=2), kinds=[kind]) == {}
    assert ReminderLog.objects.get(recipient=applicant).status == ReminderStatus.OPTED_OUT


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"language": "fr", "reminders": []}, "language", "Elige español o inglés."),
    ({}, "language", "Elige el idioma de tus correos."),
    ({"language": "en", "reminders": ["registration_closing"]}, "reminders", "Elige solo recordatorios de la lista."),
])
def test_bad_input_is_refused_by_its_field_and_nothing_is_saved(client, applicant, optional_kind, data, field,
                                                                message):
    client.force_login(applicant)
    response = client.post(URL, data)
    assert response.status_code == 400
    html = response.content.decode()
    fieldset = html.split(f'id="id_{field}_0"')[0].rsplit("<fieldset", 1)[1]
    assert message in fieldset  # under the fieldset's legend, before its choices
    assert fresh(applicant).language == "es-mx" and fresh(applicant).reminders_off == []
    if field == "language":  # what was ticked is kept: the optional box left unchecked stays unchecked
        assert "checked" not in html.split('value="optional_test"')[1].split(">")[0]


def test_the_service_refuses_essential_and_unknown_kinds(applicant, optional_kind):
    with pytest.raises(ValidationError) as essential:
        preferences_save(user=applicant, language="es-mx", reminders_off=["registration_closing"])
    assert "No puedes desactivar un recordatorio esencial: Cierre del registro." in essential.value.messages
    with pytest.raises(ValidationError):
        preferences_save(user=applicant, language="es-mx", reminders_off=["no_existe"])
    with pytest.raises(ValidationError):
        preferences_save(user=applicant, language="de", reminders_off=[])
    assert fresh(applicant).reminders_off == [] and fresh(applicant).language == "es-mx"


def test_the_profile_links_to_the_preferences(client, applicant):
    client.force_login(applicant)
    html = client.get(reverse("accounts:profile")).content.decode()
    assert f'href="{URL}"' in html and "Tus correos llegan en: Español." in html


def test_the_auditor_manages_their_own_preferences(client):
    auditor = UserFactory(roles=[StaffRole.AUDITOR])
    client.force_login(auditor)
    assert client.post(URL, {"language": "en"}).status_code == 302
    assert fresh(auditor).language == "en"


def test_the_language_switch_records_a_signed_in_persons_language(client, applicant):
    client.force_login(applicant)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert fresh(applicant).language == "en"
    assert '<html lang="en">' in client.get("/").content.decode()
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})  # not a site language: ignored
    assert fresh(applicant).language == "en"


def test_the_language_switch_still_works_signed_out(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/").content.decode()


@pytest.mark.parametrize("language", ["en", "es-mx"])
def test_a_new_account_gets_the_language_it_signed_up_in(client, db, language):
    client.post(reverse("set_language"), {"language": language, "next": "/"})
    client.post(reverse("account_signup"), {"email": "nueva@ejemplo.mx", "password1": "Clave-larga-2026!",
                                            "password2": "Clave-larga-2026!"})
    assert User.objects.get(email="nueva@ejemplo.mx").language == language


def test_signing_in_brings_back_the_persons_language(client, applicant):
    from tests.factories import PASSWORD

    applicant.language = "en"
    applicant.save()
    client.post(reverse("set_language"), {"language": "es-mx", "next": "/"})  # chosen signed out
    response = client.post(reverse("account_login"), {"login": applicant.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert client.get(reverse("notifications:inbox"))["Content-Language"] == "en"


def test_a_resident_is_offered_only_the_reminders_that_can_reach_them(client, applicant, staff):
    client.force_login(applicant)
    html = client.get(URL).content.decode()
    assert 'value="assembly_tomorrow"' in html  # a group's
    for staff_only in ("review_stalled", "scoring_closing", "correction_passed", "closure_overdue_staff"):
        assert f'value="{staff_only}"' not in html, staff_only
    client.force_login(staff[StaffRole.TECHNICAL_REVIEWER])
    assert 'value="review_stalled"' in client.get(URL).content.decode()
