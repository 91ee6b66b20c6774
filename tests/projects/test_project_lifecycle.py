"""From a selection to a released first tranche, through the services."""

from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects import services
from projects.models import ElectionAssembly, Project
from projects.workflow import ProjectState, TrancheState
from tests.factories import PDF_BYTES, UserFactory, upload
from tests.projects.helpers import elect, seat_user, selected_project, start_execution


def test_a_selected_proposal_becomes_a_project_with_its_code_amount_and_plan(project, project_call):
    assert project.code == f"PCMB-{project_call.fiscal_year}-0001"
    assert project.status == ProjectState.COMMITTEES_PENDING
    assert project.approved_amount == Decimal("1000000.00")
    assert project.execution_ends_on == project_call.execution_deadline
    amounts = list(project.tranches.values_list("amount", flat=True))
    assert amounts == [Decimal("700000.00"), Decimal("300000.00")]
    second = selected_project(project_call)
    assert second.code == f"PCMB-{project_call.fiscal_year}-0002"
    assert [e.action for e in project.events.all()] == ["create"]


def test_an_assembly_without_quorum_stays_on_the_record(project, people):
    coordinator = people["coordinator"]
    election = services.election_schedule(actor=coordinator, project_id=project.pk, scheduled_at=timezone.now(),
                                          place="Plaza")
    services.election_record(actor=coordinator, election_id=election.pk, attendees=3,
                             minutes=upload("acta.pdf", PDF_BYTES))
    election.refresh_from_db()
    project.refresh_from_db()
    assert election.status == ElectionAssembly.Status.NO_QUORUM and project.status == ProjectState.COMMITTEES_PENDING
    assert project.events.filter(action="election_no_quorum").exists()
    elect(project, coordinator)
    assert project.elections.count() == 2 and project.status == ProjectState.AGREEMENT_PENDING


def test_election_invites_each_person_and_links_existing_accounts(project, people, django_capture_on_commit_callbacks):
    existing = UserFactory(email="ya-tengo-cuenta@ejemplo.mx")
    members = [{"committee": kind, "position": "member", "full_name": f"P {kind} {i}",
                "email": f"p-{kind}-{i}@ejemplo.mx"} for kind in ("administration", "supervision", "development")
               for i in range(3)]
    members[0]["email"] = existing.email.upper()
    with django_capture_on_commit_callbacks(execute=True):
        elect(project, people["coordinator"], members=members, accept=False)
    assert project.seats.get(email=existing.email).user == existing
    invitations = [m for m in mail.outbox if "Te eligieron" in m.subject]
    assert len(invitations) == 9 and {m.to[0] for m in invitations} == {m["email"].lower() for m in members}
    assert sum("elige tu contraseña" in m.body for m in invitations) == 8  # the existing account is linked


def test_slate_rules_are_checked(project, people):
    coordinator = people["coordinator"]
    election = services.election_schedule(actor=coordinator, project_id=project.pk, scheduled_at=timezone.now(),
                                          place="Plaza")
    members = [{"committee": "administration", "position": "member", "full_name": "A", "email": "a@ejemplo.mx"}] * 9
    with pytest.raises(ValidationError) as error:
        services.election_record(actor=coordinator, election_id=election.pk, attendees=80, votes_for=70,
                                 votes_against=1, abstentions=0, minutes=upload("acta.pdf", PDF_BYTES),
                                 members=members)
    text = " ".join(error.value.message_dict["members"])
    assert "Supervisión lleva 3 integrantes" in text and "más de una vez" in text


def test_money_reaches_the_first_tranche_with_two_different_staff(project, people):
    elect(project, people["coordinator"])
    start_execution(project, people["coordinator"], people["finance"])
    assert project.status == ProjectState.IN_EXECUTION
    first = project.tranches.get(number=1)
    admin = seat_user(project)
    services.tranche_transition(actor=admin, tranche_id=first.pk, action="request")
    with pytest.raises(PermissionDenied):
        services.tranche_transition(actor=people["finance"], tranche_id=first.pk, action="approve")
    services.tranche_transition(actor=people["coordinator"], tranche_id=first.pk, action="approve")
    first = services.tranche_transition(actor=people["finance"], tranche_id=first.pk, action="release",
                                        transfer_reference="SPEI 123", transfer_date=timezone.localdate())
    project.refresh_from_db()
    assert first.status == TrancheState.RELEASED and project.released_total == first.amount
    second = project.tranches.get(number=2)
    with pytest.raises(ValidationError) as error:
        services.tranche_transition(actor=admin, tranche_id=second.pk, action="request")
    assert any("avance físico" in m for m in error.value.messages)
    assert any("comprobar la ministración 1" in m for m in error.value.messages)


def test_nobody_linked_to_the_project_handles_its_money(project, people):
    Project.objects.filter(pk=project.pk)
    project.group.memberships.create(user=people["finance"], role="member")
    elect(project, people["coordinator"])
    admin = seat_user(project)
    account = services.bank_account_register(actor=admin, project_id=project.pk, bank="B", holder="H",
                                             clabe="032180000118359719", proof=upload("c.pdf", PDF_BYTES))
    with pytest.raises(PermissionDenied):
        services.bank_account_review(actor=people["finance"], account_id=account.pk, verified=True)
    services.bank_account_review(actor=people["finance2"], account_id=account.pk, verified=True)


def test_elected_people_read_their_project_and_its_proposal_only(project, project_call, people):
    from proposals.models import Proposal

    other = selected_project(project_call)
    elect(project, people["coordinator"])
    elect(other, people["coordinator"])
    member = seat_user(project)
    assert list(Project.objects.visible_to(member)) == [project]
    assert list(Proposal.objects.visible_to(member)) == [project.proposal]
    services.seat_replace(actor=people["coordinator"], seat_id=project.seats.get(user=member).pk,
                          full_name="Otra persona", email="otra-persona@ejemplo.mx", reason="Renunció")
    assert not Project.objects.visible_to(member).exists() and not Proposal.objects.visible_to(member).exists()
