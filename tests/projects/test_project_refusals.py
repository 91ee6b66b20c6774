"""Bad input on the project's path is refused with what is wrong, by field, and writes nothing."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from nicp.errors import StaleVersion
from projects import services
from projects.models import Agreement, BankAccount, CommitteeSeat, ElectionAssembly
from projects.workflow import ProjectState
from tests.factories import PDF_BYTES, UserFactory, jpeg_bytes, upload
from tests.projects.helpers import VALID_CLABE, elect, seat_user, slate

NOT_PDF = [
    ("acta.pdf", b"esto no es un pdf, solo se llama asi"),
    ("acta.pdf", jpeg_bytes()),
    ("acta.pdf", PDF_BYTES[:-20]),  # cut short: no %%EOF
]


@pytest.fixture
def election(project, people):
    return services.election_schedule(actor=people["coordinator"], project_id=project.pk,
                                      scheduled_at=timezone.now(), place="Plaza")


@pytest.mark.parametrize(("name", "content"), NOT_PDF)
def test_election_minutes_must_be_a_real_pdf(project, people, election, name, content):
    with pytest.raises(ValidationError) as error:
        services.election_record(actor=people["coordinator"], election_id=election.pk, attendees=80, votes_for=70,
                                 votes_against=1, abstentions=0, minutes=upload(name, content), members=slate())
    assert "minutes" in error.value.message_dict
    election.refresh_from_db()
    assert election.status == ElectionAssembly.Status.SCHEDULED and not CommitteeSeat.objects.exists()


def test_election_record_refusals(project, people, election):
    coordinator = people["coordinator"]
    with pytest.raises(ValidationError) as error:
        services.election_record(actor=coordinator, election_id=election.pk, attendees=None, minutes=None)
    assert {"attendees", "minutes"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError, match="más votos a favor"):
        services.election_record(actor=coordinator, election_id=election.pk, attendees=80, votes_for=10,
                                 votes_against=10, abstentions=0, minutes=upload("a.pdf", PDF_BYTES), members=slate())
    with pytest.raises(ValidationError, match="sumar más que"):
        services.election_record(actor=coordinator, election_id=election.pk, attendees=80, votes_for=70,
                                 votes_against=20, abstentions=0, minutes=upload("a.pdf", PDF_BYTES), members=slate())
    staff_slate = slate()
    staff_slate[0]["email"] = people["finance"].email
    with pytest.raises(ValidationError, match="personal de la Secretaría"):
        services.election_record(actor=coordinator, election_id=election.pk, attendees=80, votes_for=70,
                                 votes_against=2, abstentions=0, minutes=upload("a.pdf", PDF_BYTES),
                                 members=staff_slate)
    with pytest.raises(PermissionDenied):
        services.election_record(actor=people["finance"], election_id=election.pk, attendees=80, votes_for=70,
                                 votes_against=2, abstentions=0, minutes=upload("a.pdf", PDF_BYTES), members=slate())
    assert ElectionAssembly.objects.get(pk=election.pk).status == ElectionAssembly.Status.SCHEDULED
    assert project.events.filter(action="elect_committees").count() == 0


def test_the_representative_sits_only_where_the_call_allows(project, people, election):
    from projects.models import ProjectRules

    ProjectRules.objects.create(call=project.call, representative_may_sit=False)
    members = slate()
    members[0]["email"] = project.group.memberships.get(role="representative").user.email
    with pytest.raises(ValidationError, match="representa al grupo promovente"):
        services.election_record(actor=people["coordinator"], election_id=election.pk, attendees=80, votes_for=70,
                                 votes_against=2, abstentions=0, minutes=upload("a.pdf", PDF_BYTES), members=members)


def test_election_dates(project, people):
    with pytest.raises(ValidationError) as error:
        services.election_schedule(actor=people["coordinator"], project_id=project.pk,
                                   scheduled_at=timezone.now() - timedelta(days=2), place=" ")
    assert {"scheduled_at", "place"} <= set(error.value.message_dict)
    later = services.election_schedule(actor=people["coordinator"], project_id=project.pk,
                                       scheduled_at=timezone.now() + timedelta(days=3), place="Plaza")
    with pytest.raises(ValidationError, match="aún no se celebra"):
        services.election_record(actor=people["coordinator"], election_id=later.pk, attendees=80,
                                 minutes=upload("a.pdf", PDF_BYTES))


def test_a_seat_is_accepted_only_by_its_person_and_replaced_with_a_reason(project, people):
    elect(project, people["coordinator"], accept=False)
    seat = project.seats.first()
    with pytest.raises(PermissionDenied):
        services.seat_accept(actor=UserFactory(), token=seat.token)
    with pytest.raises(ValidationError) as error:
        services.seat_replace(actor=people["coordinator"], seat_id=seat.pk, full_name="Nueva", email="n@ejemplo.mx",
                              reason="  ")
    assert "reason" in error.value.message_dict
    new = services.seat_replace(actor=people["coordinator"], seat_id=seat.pk, full_name="Nueva",
                                email="nueva@ejemplo.mx", reason="Se mudó")
    seat.refresh_from_db()
    assert seat.ended_at and seat.end_reason == "Se mudó" and seat.replaced_by == new
    assert project.events.filter(action="seat_replaced", note__contains="Se mudó").exists()
    with pytest.raises(ValidationError, match="ya terminó"):  # an ended seat is not taken up later
        services.seat_accept(actor=seat.user, token=seat.token)


@pytest.mark.parametrize(("clabe", "field"), [("03218000011835971X", "clabe"), ("032180000118359718", "clabe")])
def test_account_refusals_keep_nothing(project, people, clabe, field):
    elect(project, people["coordinator"])
    with pytest.raises(ValidationError) as error:
        services.bank_account_register(actor=seat_user(project), project_id=project.pk, bank="", holder="H",
                                       clabe=clabe, proof=upload("c.pdf", b"no pdf"))
    assert {field, "bank", "proof"} <= set(error.value.message_dict)
    assert not BankAccount.objects.exists()
    supervision = project.seats.get(committee="supervision", position="president").user
    with pytest.raises(PermissionDenied):
        services.bank_account_register(actor=supervision, project_id=project.pk, bank="B", holder="H",
                                       clabe=VALID_CLABE, proof=upload("c.pdf", PDF_BYTES))


def test_a_new_account_must_be_verified_again(project, people):
    elect(project, people["coordinator"])
    admin = seat_user(project)
    first = services.bank_account_register(actor=admin, project_id=project.pk, bank="B", holder="H",
                                           clabe=VALID_CLABE, proof=upload("c.pdf", PDF_BYTES))
    services.bank_account_review(actor=people["finance"], account_id=first.pk, verified=True)
    second = services.bank_account_register(actor=admin, project_id=project.pk, bank="Otro", holder="H",
                                            clabe="002010077777777771", proof=upload("c.pdf", PDF_BYTES))
    assert BankAccount.objects.get(pk=first.pk).status == BankAccount.Status.REPLACED
    assert services.current_account(project) == second and second.status == BankAccount.Status.PENDING
    with pytest.raises(ValidationError) as error:
        services.bank_account_review(actor=people["finance"], account_id=second.pk, verified=False, note="")
    assert "note" in error.value.message_dict


def test_agreement_steps_in_order(project, people):
    elect(project, people["coordinator"])
    admin = seat_user(project)
    with pytest.raises(ValidationError, match="Primero se genera"):
        services.agreement_upload_signed(actor=admin, project_id=project.pk, upload=upload("f.pdf", PDF_BYTES))
    with pytest.raises(PermissionDenied):
        services.agreement_generate(actor=admin, project_id=project.pk)
    services.agreement_generate(actor=people["finance"], project_id=project.pk)
    with pytest.raises(ValidationError, match="Falta el convenio firmado"):
        services.agreement_sign(actor=people["finance"], project_id=project.pk, signed_on=timezone.localdate())
    with pytest.raises(ValidationError) as error:
        services.agreement_upload_signed(actor=admin, project_id=project.pk, upload=upload("f.pdf", jpeg_bytes()))
    assert "signed_file" in error.value.message_dict
    services.agreement_upload_signed(actor=admin, project_id=project.pk, upload=upload("f.pdf", PDF_BYTES))
    with pytest.raises(ValidationError) as error:
        services.agreement_sign(actor=people["finance"], project_id=project.pk,
                                signed_on=timezone.localdate() + timedelta(days=1))
    assert "signed_on" in error.value.message_dict
    with pytest.raises(StaleVersion):
        services.agreement_sign(actor=people["finance"], project_id=project.pk, signed_on=timezone.localdate(),
                                version=1)
    with pytest.raises(PermissionDenied):
        services.agreement_sign(actor=people["coordinator"], project_id=project.pk, signed_on=timezone.localdate())
    project = services.agreement_sign(actor=people["finance"], project_id=project.pk, signed_on=timezone.localdate())
    assert project.status == ProjectState.IN_EXECUTION
    assert Agreement.objects.get(project=project).ministry_signed_by == people["finance"]
