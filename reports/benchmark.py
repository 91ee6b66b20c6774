"""Generated calls for the call report's tests at size: submitted proposals in bulk, given the timeline,
assemblies and technical reviews their states imply, so that the call report reads related rows as it
would in a real year. Bulk inserts only; never used by the application (the large dataset the benchmark
measures is seed_scale's, nicp/scale/)."""

import random
from datetime import timedelta
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from accounts.models import CommunityGroup, Membership, User
from accounts.roles import StaffRole
from accounts.services import role_grant
from neighbourhoods.models import Neighbourhood, Stratum
from proposals.models import Assembly, AssemblyStatus, Call, Proposal, ProposalEvent, TechnicalReview
from proposals.workflow import ProposalAction, ProposalState

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


STATES = [S.SUBMITTED, S.RETURNED, S.ELIGIBLE, S.INELIGIBLE, S.ASSEMBLY_SCHEDULED, S.ASSEMBLY_APPROVED, S.IN_REVIEW,
          S.FEASIBLE]


def proposals_dataset(count: int, *, year: int, title: str) -> tuple[User, Call]:
    """A call of `year` with at least `count` submitted proposals (bulk inserts; a second run tops it up),
    and the benchmark coordinator."""
    coordinator, _ = User.objects.get_or_create(email="benchmark-coordinator@nicp.invalid")
    role_grant(user=coordinator, role=StaffRole.COORDINATOR)
    call = Call.objects.filter(fiscal_year=year).first()
    existing = Proposal.objects.filter(call=call).count() if call else 0
    if existing >= count:
        return coordinator, call
    units = list(Neighbourhood.objects.all())
    if not units:
        raise SystemExit("Import a territory first (--territory PATH or seed_demo).")
    strata = list(Stratum.values)
    for unit in units:
        if not unit.stratum:
            unit.stratum = random.choice(strata)  # noqa: S311
    Neighbourhood.objects.bulk_update(units, ["stratum"], batch_size=1000)
    today = timezone.localdate()
    call = call or Call.objects.create(
        fiscal_year=year, title=title, total_budget=Decimal("1e9"),
        eligible_project_types=["park"], registration_opens_on=today, registration_closes_on=today,
        assembly_window_starts_on=today, assembly_window_ends_on=today, technical_review_deadline=today,
        committee_date=today, results_date=today, execution_deadline=today)
    groups = []
    for i in range(0, 2000):
        groups.append(CommunityGroup(name=f"Grupo de carga {i}", kind="residents",
                                     neighbourhood=units[i % len(units)]))
    groups = CommunityGroup.objects.bulk_create(groups, batch_size=1000)
    Membership.objects.bulk_create([Membership(group=g, user=coordinator, role="member") for g in groups[:1]])
    rng = random.Random(7)
    now = timezone.now()
    batch = []
    for n in range(existing, count):
        group = groups[n % len(groups)]
        batch.append(Proposal(
            call=call, group=group, folio=f"MB-{year}-{n + 1:05d}", status=rng.choice(STATES),
            title=f"{rng.choice(['Parque', 'Centro comunitario', 'Alumbrado', 'Andador'])} {n}",
            neighbourhood=group.neighbourhood, address="Calle s/n", project_type="park", modality="new",
            budget_total=Decimal(rng.randrange(800_000, 1_450_000)), submitted_at=now,
            diagnosis="x", objectives="x", description="x", population_benefited=1000, schedule="x"))
        if len(batch) == 5000:
            Proposal.objects.bulk_create(batch)
            batch = []
    Proposal.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
    return coordinator, call
