import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from accounts.models import CommunityGroup, User
from accounts.roles import StaffRole, roles_of
from nicp.management.commands.seed_demo import DEMO_ACCOUNTS

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_every_demo_login_works():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert settings.NICP_DEMO_PASSWORD in out.getvalue()
    counts = (User.objects.count(), CommunityGroup.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (User.objects.count(), CommunityGroup.objects.count()) == counts
    assert CommunityGroup.objects.count() == 24  # one group per demo territorial unit
    for email, _name, roles in DEMO_ACCOUNTS:
        client = Client()
        response = client.post(reverse("account_login"), {"login": email, "password": settings.NICP_DEMO_PASSWORD})
        assert response.status_code == 302, email
        assert set(roles) == set(roles_of(User.objects.get(email=email)))
    applicant_groups = {u: set(User.objects.get(email=u).community_groups.values_list("name", flat=True))
                        for u in ("solicitante@demo.nicp.mx", "solicitante2@demo.nicp.mx")}
    assert applicant_groups["solicitante@demo.nicp.mx"].isdisjoint(applicant_groups["solicitante2@demo.nicp.mx"])
    assert all(applicant_groups.values())
    assert User.objects.get(email="comite3@demo.nicp.mx").groups.filter(name=StaffRole.COMMITTEE_MEMBER).exists()


def test_error_pages_are_in_spanish(client):
    response = client.get("/no-existe/")
    assert response.status_code == 404
    assert "Página no encontrada" in response.content.decode()


def test_group_form_errors_keep_what_was_typed(client, applicant, neighbourhood):
    client.force_login(applicant)
    response = client.post(reverse("accounts:group_create"), {"name": "Vecinos del Río", "kind": "",
                                                              "neighbourhood": neighbourhood.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Vecinos del Río"' in html and "Este campo es requerido" in html
    assert not CommunityGroup.objects.exists()
    created = client.post(reverse("accounts:group_create"), {"name": "Vecinos del Río", "kind": "residents",
                                                             "neighbourhood": neighbourhood.pk})
    group = CommunityGroup.objects.get()
    assert created.url == reverse("accounts:group_detail", args=[group.pk])
    assert "Vecinos del Río" in client.get(created.url).content.decode()


def test_invitation_round_trip_in_the_browser_pages(client, group, applicant, django_capture_on_commit_callbacks):
    client.force_login(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:group_invite", args=[group.pk]), {"email": "nueva@ejemplo.mx"})
    invitation = group.invitations.get()
    from tests.factories import UserFactory

    invitee = UserFactory(email="nueva@ejemplo.mx")
    client.force_login(invitee)
    page = client.get(reverse("accounts:invitation", args=[invitation.token]))
    assert "Aceptar" in page.content.decode()
    accepted = client.post(reverse("accounts:invitation", args=[invitation.token]), {"decision": "accept"})
    assert accepted.url == reverse("accounts:group_detail", args=[group.pk])
    assert group.memberships.filter(user=invitee).exists()


def test_invalid_invitation_email_is_reported(client, group, applicant):
    client.force_login(applicant)
    response = client.post(reverse("accounts:group_invite", args=[group.pk]), {"email": "no-es-correo"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Escribe un correo electrónico válido" in html
    assert 'value="no-es-correo"' in html  # what was typed stays in the field
    assert not group.invitations.exists()


def test_personal_data_download_and_closure_request(client, group, applicant):
    client.force_login(applicant)
    response = client.get(reverse("accounts:profile_export"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == applicant.email
    client.post(reverse("accounts:profile_closure"), {"reason": "Ya no vivo aquí"})
    assert applicant.closure_requests.get().reason == "Ya no vivo aquí"
    assert "Cancelar la solicitud" in client.get(reverse("accounts:profile")).content.decode()


def test_territory_pages_search_and_filter(client, neighbourhood):
    response = client.get(reverse("territory:borough_list"), {"q": neighbourhood.name[:8]})
    assert neighbourhood.key in response.content.decode()
    detail = client.get(reverse("territory:borough_detail", args=[neighbourhood.borough.inegi_code]),
                        {"estrato": "alto"})
    assert neighbourhood.key not in detail.content.decode()


def test_forbidden_and_server_error_pages_are_in_spanish(client, group, applicant, staff):
    client.force_login(staff[StaffRole.COORDINATOR])
    forbidden = client.get(reverse("accounts:group_edit", args=[group.pk]))
    assert forbidden.status_code == 403 and "Acceso denegado" in forbidden.content.decode()
    from nicp.views import server_error

    response = server_error(None)
    assert response.status_code == 500 and "Algo salió mal" in response.content.decode()
