"""The bank account on the money pages: the administration committee registers it, errors by the field with
what was typed kept, masked to all but finance, finance verifies or observes it, the proof behind a check."""

import pytest
from django.urls import reverse

from projects import services
from projects.models import BankAccount, CommitteeKind
from tests.factories import PDF_BYTES, jpeg_bytes, upload
from tests.projects.helpers import VALID_CLABE, elect, seat_user, start_execution

pytestmark = pytest.mark.django_db

MASKED = "•••• •••• •••• ••9719"


@pytest.fixture
def elected(project, people):
    elect(project, people["coordinator"])
    return project


def money_url(project):
    return reverse("projects:money", args=[project.pk])


def register(client, project, **overrides):
    data = {"bank": "Banco del Barrio", "holder": "Comité de Administración", "clabe": VALID_CLABE,
            "proof": upload("cuenta.pdf", PDF_BYTES), "version": project.version, **overrides}
    return client.post(reverse("projects:account_register", args=[project.pk]), data)


def error_of(html, field_id):
    """The error list Django puts right before the field's input (as_field_group), as text."""
    start = html.index(f'for="{field_id}"')
    return html[start:html.index(f'id="{field_id}"', start)]


def test_the_administration_committee_sees_the_register_form(client, elected):
    client.force_login(seat_user(elected))
    html = client.get(money_url(elected)).content.decode()
    assert "Registrar la cuenta" in html and 'name="clabe"' in html and 'name="proof"' in html
    client.force_login(seat_user(elected, CommitteeKind.SUPERVISION))
    html = client.get(money_url(elected)).content.decode()
    assert 'name="clabe"' not in html and "Aún no hay cuenta registrada" in html


@pytest.mark.parametrize(("clabe", "message"), [
    ("03218000011835971A", "La CLABE lleva solo números (18 dígitos), sin letras."),
    ("0321800001183597", "La CLABE tiene 18 dígitos; escribiste 16."),
    ("032180000118359718", "su dígito verificador no coincide"),
])
def test_a_wrong_clabe_is_refused_next_to_its_field_and_everything_typed_stays(client, elected, clabe, message):
    client.force_login(seat_user(elected))
    response = register(client, elected, clabe=clabe)
    html = response.content.decode()
    assert response.status_code == 400
    assert message in error_of(html, "id_account_clabe")
    assert f'value="{clabe}"' in html and 'value="Banco del Barrio"' in html
    assert 'value="Comité de Administración"' in html
    assert not BankAccount.objects.filter(project=elected).exists()


def test_missing_fields_and_a_proof_that_is_not_a_pdf_are_said_by_their_fields(client, elected):
    client.force_login(seat_user(elected))
    response = register(client, elected, bank="", holder="", proof=upload("cuenta.pdf", b"<html>no</html>"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Indica el banco." in error_of(html, "id_account_bank")
    assert "Indica a nombre de quién está la cuenta." in error_of(html, "id_account_holder")
    response = register(client, elected, proof=upload("cuenta.pdf", b"<html>no</html>"))
    assert response.status_code == 400
    assert "no es un PDF" in error_of(response.content.decode(), "id_account_proof")
    response = register(client, elected, proof=upload("cuenta.jpg", jpeg_bytes()))
    assert "El comprobante de la cuenta va en PDF" in error_of(response.content.decode(), "id_account_proof")
    response = register(client, elected, proof="")
    assert "Adjunta el archivo en PDF." in error_of(response.content.decode(), "id_account_proof")
    assert not BankAccount.objects.filter(project=elected).exists()


def test_a_stale_version_is_a_409_and_nothing_is_written(client, elected):
    client.force_login(seat_user(elected))
    response = register(client, elected, version=elected.version - 1 or 99)
    assert response.status_code == 409
    assert "Alguien más guardó cambios" in response.content.decode()
    assert not BankAccount.objects.filter(project=elected).exists()


def test_registered_the_clabe_is_masked_for_everyone_but_finance(client, elected, people):
    client.force_login(seat_user(elected))
    response = register(client, elected, clabe="0321 8000 0118 3597 19")
    assert response.status_code == 302 and response.url == money_url(elected) + "#recursos"
    account = BankAccount.objects.get(project=elected)
    assert account.clabe == VALID_CLABE and account.status == BankAccount.Status.PENDING
    for user in (seat_user(elected), seat_user(elected, CommitteeKind.SUPERVISION), people["coordinator"],
                 people["auditor"]):
        client.force_login(user)
        html = client.get(money_url(elected)).content.decode()
        assert MASKED in html and VALID_CLABE not in html
    client.force_login(people["finance"])
    html = client.get(money_url(elected)).content.decode()
    assert VALID_CLABE in html and "Revisar la cuenta" in html


def test_the_form_returns_to_the_page_it_was_on_and_never_off_the_site(client, elected):
    client.force_login(seat_user(elected))
    response = register(client, elected, next=f"/seguimiento/{elected.pk}/")
    assert response.url == f"/seguimiento/{elected.pk}/#recursos"
    elected.refresh_from_db()
    response = register(client, elected, next="https://ejemplo.com/robar/")
    assert response.url == money_url(elected) + "#recursos"
    elected.refresh_from_db()
    # refused: the page comes back with the same way back, not the form's own address
    response = register(client, elected, clabe="1", next=f"/seguimiento/{elected.pk}/")
    assert f'name="next" value="/seguimiento/{elected.pk}/"' in response.content.decode()


def test_finance_observes_with_a_note_or_verifies(client, elected, people):
    account = services.bank_account_register(actor=seat_user(elected), project_id=elected.pk, bank="Banco",
                                             holder="Comité", clabe=VALID_CLABE, proof=upload("c.pdf", PDF_BYTES))
    url = reverse("projects:account_review", args=[elected.pk, account.pk])
    client.force_login(people["finance"])
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Elige si verificas la cuenta o la observas." in response.content.decode()
    response = client.post(url, {"decision": "observe", "note": ""})
    assert response.status_code == 400
    assert "Escribe qué debe corregir el comité." in error_of(response.content.decode(), "id_review_note")
    account.refresh_from_db()
    assert account.status == BankAccount.Status.PENDING
    assert client.post(url, {"decision": "observe", "note": "El titular no coincide"}).status_code == 302
    account.refresh_from_db()
    assert account.status == BankAccount.Status.REJECTED
    client.force_login(seat_user(elected))
    html = client.get(money_url(elected)).content.decode()
    assert "El titular no coincide" in html and "debe registrarla de nuevo" in html


def test_the_proof_is_served_as_a_pdf_to_those_who_may_see_it(client, elected, people):
    account = services.bank_account_register(actor=seat_user(elected), project_id=elected.pk, bank="Banco",
                                             holder="Comité", clabe=VALID_CLABE, proof=upload("x.html", PDF_BYTES))
    url = reverse("projects:account_proof", args=[elected.pk, account.pk])
    client.force_login(seat_user(elected, CommitteeKind.SUPERVISION))
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith(f'filename="comprobante-cuenta-{account.pk}.pdf"')
    assert client.get(reverse("projects:account_proof", args=[elected.pk, account.pk + 1000])).status_code == 404
    client.force_login(seat_user(elected, CommitteeKind.DEVELOPMENT))
    assert client.get(url).status_code == 403


def test_a_new_account_after_a_release_must_be_verified_again(client, elected, people):
    project = start_execution(elected, people["coordinator"], people["finance"])
    tranche = project.tranches.get(number=1)
    services.tranche_transition(actor=seat_user(project), tranche_id=tranche.pk, action="request")
    services.tranche_transition(actor=people["coordinator"], tranche_id=tranche.pk, action="approve")
    services.tranche_transition(actor=people["finance"], tranche_id=tranche.pk, action="release",
                                transfer_reference="SPEI 1", transfer_date=tranche.project.execution_starts_on)
    project.refresh_from_db()
    client.force_login(seat_user(project))
    assert "Registrar otra cuenta" in client.get(money_url(project)).content.decode()
    assert register(client, project).status_code == 302
    html = client.get(money_url(project)).content.decode()
    assert "Finanzas debe verificarla de nuevo antes de entregar más recursos" in html
    # the next tranche says so too, with what else it misses
    assert "Falta la cuenta bancaria verificada por Finanzas." in html
    assert "Falta avance físico: se requiere 70 % y va 0" in html
