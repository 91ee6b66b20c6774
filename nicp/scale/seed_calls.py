"""The dataset's calls: one still in review (the newest) and the older ones with published results, each with
its tranche plan, rubric and Committee of five. A real call in one of those years stops the run."""

from datetime import timedelta
from decimal import Decimal

from django.core.management.base import CommandError
from django.utils import timezone

from committees.models import Committee, CommitteeMember, Sector
from nicp.scale import seed_accounts
from nicp.scale.seed_plan import Plan
from nicp.scale.seed_tag import SCALE_TITLE
from proposals.models import Call, CallModality, RubricCriterion, TranchePlanItem
from proposals.models.calls import ProjectType
from proposals.workflow import CallState

SHARES = [Decimal("70"), Decimal("30")]
RUBRIC = [("Beneficio comunitario", Decimal("40")), ("Viabilidad técnica", Decimal("35")),
          ("Participación vecinal", Decimal("25"))]
SECTORS = [Sector.GOVERNMENT, Sector.GOVERNMENT, Sector.ACADEMIA, Sector.CIVIL_SOCIETY, Sector.CIVIL_SOCIETY]


def refuse_real_calls(plan: Plan) -> None:
    taken = Call.objects.filter(fiscal_year__in=plan.years).exclude(title=SCALE_TITLE)
    if taken.exists():
        years = ", ".join(str(year) for year in taken.values_list("fiscal_year", flat=True))
        raise CommandError(f"The {years} call is not a scale call: refusing to mix data (seed_scale uses "
                           f"the years {plan.years[-1]}–{plan.years[0]}).")


def make_calls(plan: Plan) -> list[Call]:
    """Newest first. The newest call's summary carries the plan's marker."""
    today = timezone.localdate()
    calls = []
    for index, year in enumerate(plan.years):
        in_review = index == 0
        calls.append(Call.objects.create(
            fiscal_year=year, title=SCALE_TITLE, summary=plan.marker() if in_review else "",
            status=CallState.CLOSED if in_review else CallState.RESULTS_PUBLISHED, total_budget=Decimal("1e10"),
            eligible_project_types=ProjectType.values, registration_opens_on=today - timedelta(days=90),
            registration_closes_on=today - timedelta(days=30), assembly_window_starts_on=today - timedelta(days=25),
            assembly_window_ends_on=today + timedelta(days=20), technical_review_deadline=today + timedelta(days=30),
            committee_date=today + timedelta(days=40), results_date=today + timedelta(days=50),
            execution_deadline=today + timedelta(days=290), max_selected_per_borough=None,
            published_at=timezone.now()))
    secretary = seed_accounts.accounts_by_role()["committee_secretary"]
    for call in calls:
        CallModality.objects.create(call=call, modality="new", min_amount=Decimal("500000"),
                                    max_amount=Decimal("1500000"))
        TranchePlanItem.objects.bulk_create([
            TranchePlanItem(call=call, number=1, share_percent=SHARES[0], progress_required_percent=0),
            TranchePlanItem(call=call, number=2, share_percent=SHARES[1], progress_required_percent=70,
                            previous_spending_verified=True, previous_proved_percent=100)])
        RubricCriterion.objects.bulk_create([RubricCriterion(call=call, name=name, weight=weight, position=i)
                                             for i, (name, weight) in enumerate(RUBRIC)])
        committee = Committee.objects.create(call=call, secretary=secretary)
        CommitteeMember.objects.bulk_create([
            CommitteeMember(committee=committee, user=user, sector=sector, institution="Institución de escala")
            for user, sector in zip(seed_accounts.committee_members(), SECTORS, strict=True)])
    return calls
