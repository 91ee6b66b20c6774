"""The coordination edits a call's rules for its funded projects on one page: committees, the election
quorum, the agreement text (its $placeholders explained beside it) and the public legend."""

import re

import pytest
from django.urls import reverse

from accounts.roles import StaffRole
from projects.agreement import PLACEHOLDERS
from projects.models import ProjectRules
from projects.views.rules import PLACEHOLDER_MEANINGS
from tests.factories import UserFactory, make_open_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(db):
    return make_open_call(year=2032)


@pytest.fixture
def coordinator(client, db):
    user = UserFactory(roles=[StaffRole.COORDINATOR])
    client.force_login(user)
    return user


def url(call):
    return reverse("projects:rules_edit", kwargs={"call_pk": call.pk})


def form_data(**overrides):
    data = {"members_per_committee": "4", "representative_may_sit": "", "election_quorum": "",
            "agreement_text": "Convenio del proyecto $codigo por $monto ($monto_en_letra). Cuesta $$5 la copia.",
            "public_legend": "Programa público.", "receiver_rfc": "sbi180101ab1", "simple_receipts_max_percent": "15",
            "progress_report_every_days": "30", "version": "1"}
    data.update(overrides)
    return data


def field_block(html, name):
    """The field's group: from its label to the next field's label."""
    start = html.index(f'for="id_{name}"')
    following = html.find("<label", start + 1)
    return html[start:following if following != -1 else None]


def test_the_page_shows_the_defaults_and_explains_every_placeholder(client, coordinator, call):
    response = client.get(url(call))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="members_per_committee" value="3"' in html and 'name="version" value="1"' in html
    assert "CONVENIO DE COLABORACIÓN" in html
    assert f"el mismo quórum que la asamblea de aprobación ({call.assembly_quorum} personas)" in html
    assert set(PLACEHOLDER_MEANINGS) == set(PLACEHOLDERS)
    for name in PLACEHOLDERS:
        assert f"<code>${name}</code>" in html
    assert "El monto aprobado, con letra" in html and 'aria-describedby="placeholders"' in html


def test_saving_stores_the_rules_and_goes_back_to_the_call(client, coordinator, call):
    response = client.post(url(call), form_data())
    assert response.status_code == 302 and response.url == reverse("proposals:call_detail", args=[call.pk])
    rules = ProjectRules.objects.get(call=call)
    assert (rules.members_per_committee, rules.representative_may_sit, rules.election_quorum) == (4, False, None)
    assert rules.quorum() == call.assembly_quorum  # blank: the approval assembly's
    assert rules.agreement_text.startswith("Convenio del proyecto $codigo") and rules.version == 2
    again = client.post(url(call), form_data(election_quorum="25", version="2"))
    assert again.status_code == 302 and ProjectRules.objects.get(call=call).quorum() == 25
    assert 'value="25"' in client.get(url(call)).content.decode()


def test_an_unknown_placeholder_is_refused_beside_the_text_which_stays_as_typed(client, coordinator, call):
    typed = "Firma: $firma_del_titular y $codigo"
    response = client.post(url(call), form_data(agreement_text=typed))
    html = response.content.decode()
    assert response.status_code == 400 and not ProjectRules.objects.filter(call=call).exists()
    block = field_block(html, "agreement_text")
    assert "Datos que no existen: $firma_del_titular" in block and typed in block
    assert 'aria-describedby="id_agreement_text_error placeholders"' in block


def test_every_mistake_is_shown_at_once_each_beside_its_field(client, coordinator, call):
    response = client.post(url(call), form_data(members_per_committee="12", agreement_text="Firma $titular"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Datos que no existen: $titular" in field_block(html, "agreement_text")
    assert "9" in field_block(html, "members_per_committee").partition("<input")[0]


def test_a_loose_dollar_sign_is_refused_beside_the_text(client, coordinator, call):
    response = client.post(url(call), form_data(agreement_text="Pago de $ 500"))
    assert response.status_code == 400
    assert "escribe $$ para un signo de pesos" in field_block(response.content.decode(), "agreement_text")


@pytest.mark.parametrize(("value", "message"), [("0", "1"), ("12", "9"), ("", "requerido"), ("tres", "número")])
def test_members_per_committee_out_of_range_is_refused_beside_the_field(client, coordinator, call, value, message):
    response = client.post(url(call), form_data(members_per_committee=value))
    block = field_block(response.content.decode(), "members_per_committee")
    assert response.status_code == 400 and not ProjectRules.objects.filter(call=call).exists()
    assert 'class="errorlist' in block and message in block
    assert f'value="{value}"' in block or not value


def test_a_stale_version_is_a_conflict_and_writes_nothing(client, coordinator, call):
    assert client.post(url(call), form_data()).status_code == 302
    stale = client.post(url(call), form_data(members_per_committee="5", version="1"))
    assert stale.status_code == 409 and "Alguien más guardó cambios" in stale.content.decode()
    assert ProjectRules.objects.get(call=call).members_per_committee == 4


def test_the_calls_staff_view_links_to_the_rules_only_for_the_coordination(client, coordinator, call):
    detail = reverse("proposals:call_detail", args=[call.pk])
    assert url(call) in client.get(detail).content.decode()
    client.force_login(UserFactory(roles=[StaffRole.FINANCE_OFFICER]))
    assert url(call) not in client.get(detail).content.decode()
    assert client.get(url(call)).status_code == 403


def test_every_field_of_the_form_has_a_label(client, coordinator, call):
    html = client.get(url(call)).content.decode()
    form = html[html.index('<form method="post" novalidate'):]
    for name in re.findall(r'<(?:input|textarea)[^>]*name="([a-z_]+)"', form):
        if name not in ("csrfmiddlewaretoken", "version"):
            assert f'for="id_{name}"' in form, name


def test_the_auditor_reads_the_rules_and_changes_nothing(client, db):
    call = make_open_call(year=2033)
    client.force_login(UserFactory(roles=[StaffRole.AUDITOR]))
    page = client.get(reverse("projects:rules_edit", args=[call.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "Guardar las reglas" not in text and "disabled" in text
    assert client.post(reverse("projects:rules_edit", args=[call.pk]), {"members_per_committee": 5}).status_code == 403


def test_the_works_rules_are_edited_and_a_bad_rfc_is_said_next_to_its_field(client, coordinator, call):
    page = client.post(url(call), form_data(receiver_rfc="NO-ES-RFC", simple_receipts_max_percent="150"))
    assert page.status_code == 400
    form = page.context["form"]
    assert "RFC válido" in " ".join(form.errors["receiver_rfc"])
    assert "simple_receipts_max_percent" in form.errors
    assert page.context["form"]["receiver_rfc"].value() == "NO-ES-RFC"  # what was typed stays
    assert client.post(url(call), form_data()).status_code == 302
    rules = ProjectRules.objects.get(call=call)
    assert (rules.receiver_rfc, rules.simple_receipts_max_percent) == ("SBI180101AB1", 15)
