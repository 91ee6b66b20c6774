"""Building funded projects for tests through the real services, step by step."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.roles import StaffRole
from projects import services
from projects.models import CommitteeKind, Project
from proposals.models import Proposal
from proposals.services import proposal_create, proposal_transition
from proposals.workflow import ProposalAction, ProposalState
from tests.factories import PDF_BYTES, CommunityGroupFactory, NeighbourhoodFactory, UserFactory, upload

POSITIONS = ["president", "secretary", "member"]


def selected_project(call, *, amount=Decimal("1000000.00"), representative=None, unit=None, actor=None) -> Project:
    """A proposal that reaches the Committee and is selected with `amount`: the selection's signal makes
    the project, as publication does."""
    unit = unit or NeighbourhoodFactory()
    representative = representative or UserFactory()
    group = CommunityGroupFactory(neighbourhood=unit, representative=representative)
    proposal = proposal_create(actor=representative, call=call, group=group, title=f"Parque {unit.key}")
    number = Proposal.objects.filter(call=call).exclude(folio="").count() + 1
    Proposal.objects.filter(pk=proposal.pk).update(
        status=ProposalState.SHORTLISTED, folio=f"MB-{call.fiscal_year}-{number:05d}", budget_total=amount,
        assigned_amount=amount, neighbourhood=unit, modality="new", submitted_at=timezone.now())
    proposal_transition(actor=actor, proposal_id=proposal.pk, action=ProposalAction.SELECT, system=True)
    return Project.objects.get(proposal=proposal)


def slate(prefix="persona", per=3) -> list[dict]:
    return [{"committee": kind, "position": POSITIONS[i % 3], "full_name": f"{kind.label} {i}",
             "email": f"{prefix}-{kind.value}-{i}@ejemplo.mx"}
            for kind in CommitteeKind for i in range(per)]


def elect(project, coordinator, *, members=None, accept=True):
    """Hold the election assembly with quorum and (optionally) have every elected person accept."""
    election = services.election_schedule(actor=coordinator, project_id=project.pk,
                                          scheduled_at=timezone.now() - timedelta(minutes=1), place="Parque")
    services.election_record(actor=coordinator, election_id=election.pk, attendees=80, votes_for=70,
                             votes_against=5, abstentions=5, minutes=upload("acta.pdf", PDF_BYTES),
                             members=members or slate(prefix=project.code.lower()))
    if accept:
        for seat in project.seats.select_related("user"):
            services.seat_accept(actor=seat.user, token=seat.token)
    project.refresh_from_db()
    return election


def seat_user(project, kind=CommitteeKind.ADMINISTRATION):
    return project.seats.filter(committee=kind, ended_at__isnull=True).select_related("user").first().user


VALID_CLABE = "032180000118359719"  # a well-formed CLABE (check digit 9)


def start_execution(project, coordinator, finance, *, signed_on=None):
    """Account registered and verified, agreement generated, signed by the committees and the ministry."""
    admin = seat_user(project)
    account = services.bank_account_register(actor=admin, project_id=project.pk, bank="Banco", holder="Comité",
                                             clabe=VALID_CLABE, proof=upload("cuenta.pdf", PDF_BYTES))
    services.bank_account_review(actor=finance, account_id=account.pk, verified=True)
    services.agreement_generate(actor=coordinator, project_id=project.pk)
    services.agreement_upload_signed(actor=admin, project_id=project.pk, upload=upload("firmado.pdf", PDF_BYTES))
    services.agreement_sign(actor=finance, project_id=project.pk, signed_on=signed_on or timezone.localdate())
    project.refresh_from_db()
    return project


def staff_people():
    return {
        "coordinator": UserFactory(roles=[StaffRole.COORDINATOR], full_name="Coordinación"),
        "coordinator2": UserFactory(roles=[StaffRole.COORDINATOR], full_name="Otra coordinación"),
        "finance": UserFactory(roles=[StaffRole.FINANCE_OFFICER], full_name="Finanzas"),
        "finance2": UserFactory(roles=[StaffRole.FINANCE_OFFICER], full_name="Otra persona de Finanzas"),
        "auditor": UserFactory(roles=[StaffRole.AUDITOR], full_name="Auditoría"),
    }
