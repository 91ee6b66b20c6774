"""Staff choose what the public page shows: the services (the coordination only, as for photos; what
cannot be published is refused in Spanish and nothing changes), their POST views (redirect back, 403 for
others, no GET), the switches on the staff pages, and the call's rule on committee names."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from accounts.roles import StaffRole
from projects import services
from projects.models import Agreement, Expense, Handover, LogbookEntry
from projects.services import publication
from proposals.models import Call
from tests.factories import PDF_BYTES, UserFactory, upload
from tests.projects.execution_helpers import record_invoice
from tests.projects.test_closure_pages import in_accountability
from tests.proposals.test_calls import call_form_data
from tests.public.project_page_helpers import full_project, works_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _quick_pdfs(monkeypatch):
    monkeypatch.setattr("weasyprint.HTML.write_pdf", lambda self, *args, **kwargs: PDF_BYTES)


@pytest.fixture
def world():
    """A project whose call makes committee names public, so its signed documents may be published."""
    built = full_project()
    Call.objects.filter(pk=built["project"].call_id).update(committee_names_public=True)
    built["project"].refresh_from_db()
    return built


def test_documents_naming_people_stay_private_while_the_call_keeps_names_private(world):
    project, coordinator = world["project"], world["people"]["coordinator"]
    Call.objects.filter(pk=project.call_id).update(committee_names_public=False)
    with pytest.raises(ValidationError) as refused:
        publication.document_publish(actor=coordinator, project_id=project.pk, kind="agreement", public=True)
    assert "nombres" in refused.value.messages[0]
    assert not Agreement.objects.get(project=project).is_public


def test_a_simple_receipt_or_an_individuals_invoice_is_never_published_as_a_file(world):
    coordinator = world["people"]["coordinator"]
    with pytest.raises(ValidationError) as refused:
        publication.expense_receipt_publish(actor=coordinator, expense_id=world["receipt"].pk, public=True)
    assert "persona física" in refused.value.messages[0]
    individual = record_invoice(world["works"], issuer_rfc="GALF800101AB1", issuer_name="FILOMENO GARCIA LUNA")
    with pytest.raises(ValidationError):
        publication.expense_receipt_publish(actor=coordinator, expense_id=individual.pk, public=True)
    assert not Expense.objects.filter(pk__in=[world["receipt"].pk, individual.pk], receipt_public=True).exists()


# --- Services -------------------------------------------------------------------------------------------

def test_coordination_publishes_and_withdraws_a_logbook_entry_which_stays_as_written(world):
    entry, coordinator = world["entry"], world["people"]["coordinator"]
    publication.logbook_entry_publish(actor=coordinator, entry_id=entry.pk, public=True)
    stored = LogbookEntry.objects.get(pk=entry.pk)
    assert stored.is_public and stored.text == entry.text and stored.written_at == entry.written_at
    assert not LogbookEntry.objects.get(pk=world["hidden_entry"].pk).is_public
    publication.logbook_entry_publish(actor=coordinator, entry_id=entry.pk, public=False)
    assert not LogbookEntry.objects.get(pk=entry.pk).is_public


@pytest.mark.parametrize("who", ["finance", "auditor", "admin", "linked_coordinator"])
def test_only_the_unlinked_coordination_publishes(world, who):
    works, people = world["works"], world["people"]
    actor = {"finance": people["finance"], "auditor": people["auditor"], "admin": works.admin}.get(who)
    if who == "linked_coordinator":  # a coordinator who is a member of the proposing group is recused
        actor = UserFactory(roles=[StaffRole.COORDINATOR])
        works.project.group.memberships.create(user=actor)
    attempts = [
        lambda: publication.logbook_entry_publish(actor=actor, entry_id=world["entry"].pk, public=True),
        lambda: publication.expense_receipt_publish(actor=actor, expense_id=world["invoice"].pk, public=True),
        lambda: publication.document_publish(actor=actor, project_id=works.project.pk, kind="agreement", public=True),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied):
            attempt()
    assert not LogbookEntry.objects.get(pk=world["entry"].pk).is_public
    assert not Expense.objects.get(pk=world["invoice"].pk).receipt_public
    assert not Agreement.objects.get(project=works.project).is_public


def test_unknown_rows_are_not_found(world):
    coordinator = world["people"]["coordinator"]
    with pytest.raises(Http404):
        publication.logbook_entry_publish(actor=coordinator, entry_id=999999, public=True)
    with pytest.raises(Http404):
        publication.expense_receipt_publish(actor=coordinator, expense_id=999999, public=True)
    with pytest.raises(Http404):
        publication.document_publish(actor=coordinator, project_id=world["project"].pk, kind="receta", public=True)


def test_receipts_publish_but_not_a_rejected_expense(world):
    coordinator = world["people"]["coordinator"]
    publication.expense_receipt_publish(actor=coordinator, expense_id=world["invoice"].pk, public=True)
    assert Expense.objects.get(pk=world["invoice"].pk).receipt_public
    Expense.objects.filter(pk=world["receipt"].pk).update(status="rejected")
    with pytest.raises(ValidationError) as refused:
        publication.expense_receipt_publish(actor=coordinator, expense_id=world["receipt"].pk, public=True)
    assert "rechazado" in refused.value.messages[0]
    assert not Expense.objects.get(pk=world["receipt"].pk).receipt_public


def test_documents_publish_once_they_exist(world):
    project, coordinator = world["project"], world["people"]["coordinator"]
    publication.document_publish(actor=coordinator, project_id=project.pk, kind="agreement", public=True)
    assert Agreement.objects.get(project=project).is_public
    for kind, words in (("handover", "entrega-recepción firmada"), ("accountability", "rendición de cuentas")):
        with pytest.raises(ValidationError) as refused:
            publication.document_publish(actor=coordinator, project_id=project.pk, kind=kind, public=True)
        assert words in refused.value.messages[0] and refused.value.messages[0].startswith("Aún no hay")
    # Withdrawing what does not exist is harmless.
    assert publication.document_publish(actor=coordinator, project_id=project.pk, kind="handover",
                                        public=False) is None


def test_handover_and_accountability_minutes_publish_after_closure(client):
    works, people = works_project()
    Call.objects.filter(pk=works.project.call_id).update(committee_names_public=True)
    project = in_accountability(works, people)
    services.accountability_record(actor=people["coordinator"], project_id=project.pk,
                                   held_on=project.handover.delivered_on, attendance=40,
                                   reported="Se informó el gasto.", minutes=upload("acta.pdf", PDF_BYTES))
    for kind in ("handover", "accountability"):
        url = reverse("public:document", args=[project.code, kind])
        assert client.get(url).status_code == 404
        publication.document_publish(actor=people["coordinator"], project_id=project.pk, kind=kind, public=True)
        assert client.get(url).status_code == 200
    assert Handover.objects.get(project=project).is_public


# --- Views ----------------------------------------------------------------------------------------------

def post(client, user, name, args, **data):
    client.force_login(user)
    return client.post(reverse(f"projects:{name}", args=args), data)


def test_switch_views_write_and_come_back(client, world):
    project, coordinator = world["project"], world["people"]["coordinator"]
    entry, invoice = world["entry"], world["invoice"]
    back = reverse("projects:logbook", args=[project.pk])
    response = post(client, coordinator, "logbook_entry_publish", [project.pk, entry.pk], public="1", next=back)
    assert response.status_code == 302 and response.url == back
    assert LogbookEntry.objects.get(pk=entry.pk).is_public
    response = post(client, coordinator, "expense_receipt_publish", [project.pk, invoice.pk], public="1",
                    next="https://elsewhere.example/")
    assert response.url == reverse("projects:expense_detail", args=[project.pk, invoice.pk])  # never off-site
    assert Expense.objects.get(pk=invoice.pk).receipt_public
    response = post(client, coordinator, "document_publish", [project.pk, "agreement"], public="1")
    assert response.url == reverse("projects:closure", args=[project.pk])
    assert Agreement.objects.get(project=project).is_public
    page = client.get(response.url).content.decode()
    assert "El documento se muestra en la página pública." in page
    response = post(client, coordinator, "document_publish", [project.pk, "agreement"], public="0")
    assert not Agreement.objects.get(project=project).is_public


def test_a_refused_switch_says_why_and_writes_nothing(client, world):
    project, coordinator = world["project"], world["people"]["coordinator"]
    response = post(client, coordinator, "document_publish", [project.pk, "handover"], public="1")
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Aún no hay acta de entrega-recepción firmada que publicar." in page
    assert not Handover.objects.filter(project=project).exists()


def test_switch_views_refuse_others_and_get(client, world):
    project, people = world["project"], world["people"]
    entry = world["entry"]
    assert post(client, people["finance"], "logbook_entry_publish", [project.pk, entry.pk],
                public="1").status_code == 403
    assert post(client, world["works"].admin, "expense_receipt_publish", [project.pk, world["invoice"].pk],
                public="1").status_code == 403
    assert post(client, people["coordinator"], "document_publish", [project.pk, "receta"],
                public="1").status_code == 404
    client.force_login(people["coordinator"])
    assert client.get(reverse("projects:logbook_entry_publish", args=[project.pk, entry.pk])).status_code == 405
    assert not LogbookEntry.objects.get(pk=entry.pk).is_public


def test_staff_pages_carry_the_switches_for_the_coordination_only(client, world):
    project, people = world["project"], world["people"]
    pages = {
        reverse("projects:logbook", args=[project.pk]):
            reverse("projects:logbook_entry_publish", args=[project.pk, world["entry"].pk]),
        reverse("projects:expense_detail", args=[project.pk, world["invoice"].pk]):
            reverse("projects:expense_receipt_publish", args=[project.pk, world["invoice"].pk]),
        reverse("projects:closure", args=[project.pk]):
            reverse("projects:document_publish", args=[project.pk, "agreement"]),
    }
    for user, shown in ((people["coordinator"], True), (people["finance"], False)):
        client.force_login(user)
        for page, action in pages.items():
            html = client.get(page).content.decode()
            assert (f'action="{action}"' in html) is shown, (page, user)


# --- The call's rule on names ---------------------------------------------------------------------------

def test_the_call_form_has_the_committee_names_checkbox(client):
    coordinator = UserFactory(roles=[StaffRole.COORDINATOR])
    client.force_login(coordinator)
    form = client.get(reverse("proposals:call_create")).content.decode()
    assert 'name="committee_names_public"' in form and 'type="checkbox"' in form
    client.post(reverse("proposals:call_create"), call_form_data(committee_names_public="on"))
    assert Call.objects.get(fiscal_year=2030).committee_names_public
    client.post(reverse("proposals:call_create"), call_form_data(fiscal_year="2031", title="Otra"))
    assert not Call.objects.get(fiscal_year=2031).committee_names_public
