"""Demo data for funded projects: last year's selected proposals, at different steps after selection.

Publishing last year's results already made one project per selected proposal (projects/receivers.py).
Four of them are driven here through the real services, so the demo shows each step with its timeline:
an election assembly scheduled, an agreement waiting for signatures, a first tranche released and a
second tranche requested; projects/demo_execution.py then records their works and takes five more
further (suspended, closed, cancelled, works completed, in accountability). The others wait for their
election. Nobody is told about any of it today. projects/demo_public.py places every site on the map and
publishes what staff would.
"""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from notifications.services import muted
from projects import services
from projects.models import Agreement, CommitteeKind, ElectionAssembly, Project, ProjectRules, SeatPosition
from projects.workflow import TrancheAction
from proposals.demo import DEMO_PDF, PLACES, today_mx
from proposals.models import Call
from proposals.models.calls import MEXICO_CITY

# The demo logins of the committees of the project whose first tranche was released.
ADMINISTRATION_LOGIN = ("administracion@demo.nicp.mx", "Gabriela Ortiz (comité de Administración)")
SUPERVISION_LOGIN = ("supervision@demo.nicp.mx", "Raúl Medina (comité de Supervisión)")
COMMITTEE_LOGINS = [ADMINISTRATION_LOGIN, SUPERVISION_LOGIN]

# The steps, in the order of the projects' codes; the rest keep waiting for their election.
SCHEDULED, AGREEMENT_PENDING, FIRST_RELEASED, SECOND_REQUESTED = "scheduled", "agreement", "released", "requested"
STEPS = [SCHEDULED, AGREEMENT_PENDING, FIRST_RELEASED, SECOND_REQUESTED]

NAMES = ["Martha Aguilar", "Roberto Castillo", "Silvia Domínguez", "Héctor Romero", "Irma Guzmán", "Javier Salazar",
         "Norma Chávez", "Óscar Delgado", "Teresa Ríos", "Arturo Peña", "Lucía Navarro", "Ernesto Vega"]
POSITIONS = [SeatPosition.PRESIDENT, SeatPosition.SECRETARY, SeatPosition.MEMBER]


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, "application/pdf")


def _slate(project: Project, n: int, per: int) -> list[dict]:
    """The elected people; the released project's presidents of Administration and Supervision are the demo
    logins (existing accounts are linked by the election, never duplicated)."""
    logins = {CommitteeKind.ADMINISTRATION: ADMINISTRATION_LOGIN, CommitteeKind.SUPERVISION: SUPERVISION_LOGIN}
    slate = []
    for k, kind in enumerate(CommitteeKind):
        for i in range(per):
            name = NAMES[(n * 5 + k * per + i) % len(NAMES)]
            email = f"{project.code.lower()}.{kind.value}{i + 1}@demo.nicp.mx"
            if n < len(STEPS) and STEPS[n] == FIRST_RELEASED and i == 0 and kind in logins:
                email, name = logins[kind][0], logins[kind][1].partition(" (")[0]
            slate.append({"committee": kind, "position": POSITIONS[i % len(POSITIONS)], "full_name": name,
                          "email": email})
    return slate


def _at(day, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), MEXICO_CITY)


def _elect(project: Project, n: int, coordinator: User) -> None:
    """The election assembly, held with quorum a month ago (or some days before the works began); every
    elected person accepted."""
    held = _at(min(today_mx() - timedelta(days=30 - n), project.execution_starts_on - timedelta(days=12)), 11)
    election = services.election_schedule(actor=coordinator, project_id=project.pk, scheduled_at=held,
                                          place=PLACES[n % len(PLACES)], now=held)
    per = ProjectRules.for_call(project.call).members_per_committee
    services.election_record(actor=coordinator, election_id=election.pk, attendees=62 + n, votes_for=55 + n,
                             votes_against=4, abstentions=3, minutes=_pdf("acta.pdf"),
                             members=_slate(project, n, per))
    for seat in project.seats.select_related("user"):
        services.seat_accept(actor=seat.user, token=seat.token)


def _administration(project: Project) -> User:
    return project.seats.filter(committee=CommitteeKind.ADMINISTRATION, position=SeatPosition.PRESIDENT,
                                ended_at__isnull=True).select_related("user").first().user


def _agreement(project: Project, coordinator: User, finance: User) -> None:
    """Account registered and verified, agreement generated."""
    admin = _administration(project)
    account = services.bank_account_register(actor=admin, project_id=project.pk, bank="BBVA México",
                                             holder=f"Comité de Administración {project.code}",
                                             clabe="032180000118359719", proof=_pdf("cuenta.pdf"))
    services.bank_account_review(actor=finance, account_id=account.pk, verified=True)
    services.agreement_generate(actor=coordinator, project_id=project.pk)


def _sign(project: Project, finance: User) -> None:
    """The agreement signed by the committees and the ministry; for works that began weeks ago, a few days
    before they began (generated a few days before that: the service takes no signature before it)."""
    signed_on = min(today_mx(), project.execution_starts_on - timedelta(days=5))
    if signed_on < today_mx():
        Agreement.objects.filter(project=project).update(generated_at=_at(signed_on - timedelta(days=3), 10))
    services.agreement_upload_signed(actor=_administration(project), project_id=project.pk,
                                     upload=_pdf("convenio-firmado.pdf"))
    services.agreement_sign(actor=finance, project_id=project.pk, signed_on=signed_on)


def _first_tranche(project: Project, coordinator: User, finance: User) -> None:
    """The first tranche requested, approved by the coordination and released by finance (never the same
    person), dated the day the works began."""
    admin = _administration(project)
    first = project.tranches.get(number=1)
    services.tranche_transition(actor=admin, tranche_id=first.pk, action=TrancheAction.REQUEST)
    services.tranche_transition(actor=coordinator, tranche_id=first.pk, action=TrancheAction.APPROVE)
    services.tranche_transition(actor=finance, tranche_id=first.pk, action=TrancheAction.RELEASE,
                                transfer_reference=f"SPEI-{project.code}-1",
                                transfer_date=min(project.execution_starts_on, today_mx()))


def drive_to_execution(project: Project, n: int, *, works_began_days_ago: int = 0, release: bool = True) -> None:
    """Elect the committees, verify the account, generate and sign the agreement and (unless told not to)
    release the first tranche. The works of the projects the demo shows under way began weeks ago, so their
    invoices, reports and visits spread over past dates (the services refuse dates before the execution
    start): that start is set first, and the election is placed before it."""
    coordinator = User.objects.get(email="coordinacion@demo.nicp.mx")
    finance = User.objects.get(email="finanzas@demo.nicp.mx")
    if works_began_days_ago:
        project.execution_starts_on = today_mx() - timedelta(days=works_began_days_ago)
        Project.objects.filter(pk=project.pk).update(execution_starts_on=project.execution_starts_on)
    _elect(project, n, coordinator)
    _agreement(project, coordinator, finance)
    _sign(project, finance)
    if release:
        _first_tranche(project, coordinator, finance)


# When the works of the projects shown under way began (days ago); see drive_to_execution.
WORKS_BEGAN_DAYS_AGO = {FIRST_RELEASED: 63, SECOND_REQUESTED: 95}


def seed_projects(call: Call) -> int:
    """Place the demo's sites on the map, drive four of the call's projects to their step, then their works
    and five more projects (projects/demo_execution.py), and publish some of it (projects/demo_public.py);
    once done (or once anyone held an election, or recorded works, in the call's projects) a second run
    changes nothing. Returns how many projects were driven."""
    from projects.demo_execution import seed_works
    from projects.demo_public import seed_publication, seed_sites

    if call is None:
        return 0
    seed_sites()
    if ElectionAssembly.objects.filter(project__call=call).exists():
        driven = seed_works(call)
        seed_publication(call)
        return driven
    coordinator = User.objects.get(email="coordinacion@demo.nicp.mx")
    today = today_mx()
    # Last year's execution window closed long ago in demo time: the projects run from today instead, so
    # their agreements and deadlines read sensibly.
    Project.objects.filter(call=call).update(execution_starts_on=today, execution_ends_on=today + timedelta(days=180))
    projects = list(Project.objects.filter(call=call).order_by("code")[:len(STEPS)])
    with muted():
        for n, project in enumerate(projects):
            if STEPS[n] == SCHEDULED:
                services.election_schedule(actor=coordinator, project_id=project.pk, place=PLACES[n],
                                           scheduled_at=_at(today + timedelta(days=9), 11))
            elif STEPS[n] == AGREEMENT_PENDING:
                _elect(project, n, coordinator)
                _agreement(project, coordinator, User.objects.get(email="finanzas@demo.nicp.mx"))
            else:
                drive_to_execution(project, n, works_began_days_ago=WORKS_BEGAN_DAYS_AGO[STEPS[n]])
    driven = len(projects) + seed_works(call)
    seed_publication(call)
    return driven
