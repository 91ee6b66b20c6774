"""Data for the report and reminder benchmark (reports/management/commands/benchmark_reports.py): the
review benchmark's generated calls, given the timeline, assemblies and technical reviews their proposals'
states imply, so that the call report reads related rows as it would in a real year; and a load of drafts
for the reminder sweep. Bulk inserts only; never used by the application or its tests' data."""

from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from accounts.models import CommunityGroup, Membership, User
from neighbourhoods.models import Neighbourhood
from nicp.management.commands.benchmark_review_queue import proposals_dataset
from proposals.models import Assembly, AssemblyStatus, Call, Proposal, ProposalEvent, TechnicalReview
from proposals.workflow import CallState, ProposalAction, ProposalState

S, A = ProposalState, ProposalAction
REPORT_TITLE = "Convocatoria de prueba de carga (reporte de {size:,} propuestas)"
FIRST_REPORT_YEAR = 2100  # the review benchmark's call is 2099; the projects' count down from 2098
# The steps that lead to each generated state (assembly before the technical review).
PATHS = {
    S.SUBMITTED: [A.SUBMIT], S.RETURNED: [A.SUBMIT, A.RETURN], S.ELIGIBLE: [A.SUBMIT, A.ACCEPT],
    S.INELIGIBLE: [A.SUBMIT, A.REJECT_INELIGIBLE],
    S.ASSEMBLY_SCHEDULED: [A.SUBMIT, A.ACCEPT, A.SCHEDULE_ASSEMBLY],
    S.ASSEMBLY_APPROVED: [A.SUBMIT, A.ACCEPT, A.SCHEDULE_ASSEMBLY, A.APPROVE_IN_ASSEMBLY],
    S.IN_REVIEW: [A.SUBMIT, A.ACCEPT, A.SCHEDULE_ASSEMBLY, A.APPROVE_IN_ASSEMBLY, A.START_REVIEW],
    S.FEASIBLE: [A.SUBMIT, A.ACCEPT, A.SCHEDULE_ASSEMBLY, A.APPROVE_IN_ASSEMBLY, A.START_REVIEW, A.MARK_FEASIBLE],
}
SLICE = 5000


def report_call(size: int) -> tuple[User, Call]:
    """The call of `size` proposals for the report benchmark: found by its title, or generated (with the
    review benchmark's generator) under the next free year from 2100, then given its related rows."""
    title = REPORT_TITLE.format(size=size)
    call = Call.objects.filter(title=title).first()
    year = call.fiscal_year if call else next_free_year()
    coordinator, call = proposals_dataset(size, year=year, title=title)
    enrich(call, coordinator)
    return coordinator, call


def next_free_year() -> int:
    return max([FIRST_REPORT_YEAR - 1, *Call.objects.values_list("fiscal_year", flat=True)]) + 1


def enrich(call: Call, coordinator: User) -> int:
    """Events, assemblies and technical reviews for the proposals that have none yet, a slice at a time."""
    bare = (Proposal.objects.filter(call=call).exclude(pk__in=ProposalEvent.objects.values("proposal_id"))
            .order_by("pk").values_list("pk", "status", "budget_total"))
    done = 0
    while rows := list(bare[:SLICE]):
        events, assemblies, reviews = [], [], []
        for pk, status, amount in rows:
            path = PATHS.get(status, [A.SUBMIT])
            events += [ProposalEvent(proposal_id=pk, actor=coordinator, action=action, from_state="", to_state="")
                       for action in path]
            if A.SCHEDULE_ASSEMBLY in path:
                held = A.APPROVE_IN_ASSEMBLY in path
                assemblies.append(Assembly(
                    proposal_id=pk, status=AssemblyStatus.APPROVED if held else AssemblyStatus.SCHEDULED,
                    scheduled_at=timezone.now() - timedelta(days=20), place="Explanada", convened_by="Grupo",
                    quorum_required=30, attendees=60 if held else None, votes_for=50 if held else None,
                    votes_against=5 if held else None, abstentions=5 if held else None))
            if A.START_REVIEW in path:
                final = A.MARK_FEASIBLE in path
                reviews.append(TechnicalReview(
                    proposal_id=pk, reviewer=coordinator, status="submitted" if final else "draft",
                    adjusted_cost=(amount * Decimal("0.95")).quantize(Decimal("0.01")) if final else None,
                    result="feasible" if final else "", submitted_at=timezone.now() if final else None))
        ProposalEvent.objects.bulk_create(events, batch_size=5000)
        Assembly.objects.bulk_create(assemblies, batch_size=5000)
        TechnicalReview.objects.bulk_create(reviews, batch_size=5000)
        done += len(rows)
    if done and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return done


def drafts_closing_tomorrow(count: int, today) -> Call:
    """A published call whose registration closes tomorrow with `count` drafts, each of a group with one
    member: `registration_closing` has that many reminders due. Meant to be rolled back after measuring."""
    year = next_free_year()
    call = Call.objects.create(
        fiscal_year=year, title="Convocatoria de prueba de carga (recordatorios)", status=CallState.PUBLISHED,
        total_budget=Decimal("1e9"), eligible_project_types=["park"], registration_opens_on=today - timedelta(30),
        registration_closes_on=today + timedelta(days=1), assembly_window_starts_on=today,
        assembly_window_ends_on=today, technical_review_deadline=today, committee_date=today,
        results_date=today, execution_deadline=today)
    unit = Neighbourhood.objects.first()
    people = User.objects.bulk_create(
        [User(email=f"borrador-{year}-{n}@benchmark-reminders.nicp.invalid", full_name=f"Persona {n}",
              password="!")  # noqa: S106 (an unusable password: nobody logs in)
         for n in range(count)], batch_size=5000)
    groups = CommunityGroup.objects.bulk_create(
        [CommunityGroup(name=f"Grupo de carga (borradores) {n}", kind="residents", neighbourhood=unit)
         for n in range(count)],
        batch_size=5000)
    Membership.objects.bulk_create([Membership(group=g, user=u, role="representative")
                                    for g, u in zip(groups, people, strict=True)], batch_size=5000)
    Proposal.objects.bulk_create([Proposal(call=call, group=g, title=f"Borrador {n}")
                                  for n, g in enumerate(groups)], batch_size=5000)
    return call
