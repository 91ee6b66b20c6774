"""Demo data for the Committee: last year's call with published results, this year's call mid-scoring.

Both calls are history by the time the demo loads: their proposals are written in the state they
reached, each in its group's territorial unit, with the records that state implies (budget, an
assembly held on a weekend inside the call's window, a submitted technical review); the workflow that
leads there is exercised by the open call's demo and by the tests. The Committee's own steps (scores,
session, votes, publication) run through its services.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from accounts.models import CommunityGroup, User
from committees import services
from committees.models import Committee, ScoreSheet
from committees.scoring import computed_value, weighted_mean
from notifications.services import muted
from proposals import services as proposal_services
from proposals.demo import ASSEMBLY_HOURS, PLACES, today_mx, weekend_days
from proposals.demo_content import TYPES, budget_for, texts_for, title_for
from proposals.models import (
    Assembly,
    BudgetLine,
    Call,
    Proposal,
    ReviewAssignment,
    TechnicalReview,
)
from proposals.models.calls import MEXICO_CITY
from proposals.models.review import CHECKLIST, AssemblyStatus, ChecklistAnswer, ReviewResult
from proposals.workflow import ProposalState

S = ProposalState
# Last year's call: most reached the Committee; the rest stopped at each earlier step.
LAST_YEAR = [S.SHORTLISTED] * 16 + [S.INELIGIBLE, S.INELIGIBLE, S.ASSEMBLY_REJECTED, S.NOT_FEASIBLE,
                                    S.NOT_FEASIBLE, S.WITHDRAWN, S.INELIGIBLE, S.NOT_FEASIBLE]
# This year's call, scoring now: seven before the Committee, three that stopped earlier.
THIS_YEAR = [S.SHORTLISTED] * 7 + [S.NOT_FEASIBLE, S.INELIGIBLE, S.ASSEMBLY_REJECTED]
PASSED_ASSEMBLY = {S.SHORTLISTED, S.NOT_FEASIBLE}
REVIEWED = {S.SHORTLISTED: ReviewResult.FEASIBLE, S.NOT_FEASIBLE: ReviewResult.NOT_FEASIBLE}


def _call(coordinator: User, year: int, dates: dict, title_suffix: str = "") -> Call:
    existing = Call.objects.filter(fiscal_year=year).first()
    if existing:
        return existing
    call = Call(fiscal_year=year, title=f"Convocatoria de Mejoramiento Barrial {year}{title_suffix}",
                summary="Convocatoria de demostración de un ejercicio anterior.", total_budget=Decimal("12000000"),
                eligible_project_types=TYPES, excluded_works="Pavimentación\nBacheo",
                priority_strata=["muy_bajo", "bajo"], committee_quorum=3, waitlist_size=3, **dates)
    call = proposal_services.call_save(
        actor=coordinator, call=call,
        modalities=[{"modality": "new", "min_amount": Decimal("800000"), "max_amount": Decimal("1450000")}],
        tranches=[{"number": 1, "share_percent": Decimal("70"), "progress_required_percent": 0,
                   "previous_spending_verified": False},
                  {"number": 2, "share_percent": Decimal("30"), "progress_required_percent": 70,
                   "previous_spending_verified": True}],
        rubric=[{"name": "Prioridad por estrato de desarrollo social", "weight": Decimal("30"),
                 "computed": "stratum"},
                {"name": "Calidad técnica", "weight": Decimal("40"), "computed": ""},
                {"name": "Participación comunitaria", "weight": Decimal("30"), "computed": ""}])
    proposal_services.call_transition(actor=coordinator, call_id=call.pk, action="publish")
    return proposal_services.call_transition(actor=coordinator, call_id=call.pk, action="close")


def last_year_dates(year: int) -> dict:
    start = date(year, 2, 2)
    return {"registration_opens_on": start, "registration_closes_on": start + timedelta(days=45),
            "assembly_window_starts_on": start + timedelta(days=50),
            "assembly_window_ends_on": start + timedelta(days=80),
            "technical_review_deadline": start + timedelta(days=100), "committee_date": start + timedelta(days=110),
            "results_date": start + timedelta(days=120), "execution_deadline": start + timedelta(days=320)}


def this_year_dates(today: date) -> dict:
    """Reviews done, the Committee meets in two weeks."""
    return {"registration_opens_on": today - timedelta(days=150), "registration_closes_on": today - timedelta(days=105),
            "assembly_window_starts_on": today - timedelta(days=100),
            "assembly_window_ends_on": today - timedelta(days=60),
            "technical_review_deadline": today - timedelta(days=20), "committee_date": today + timedelta(days=14),
            "results_date": today + timedelta(days=28), "execution_deadline": today + timedelta(days=300)}


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), MEXICO_CITY)


def _history(call: Call, states: list[str], coordinator: User, reviewer: User) -> list[Proposal]:
    """Write the call's proposals as they ended, one per group, with the records their state implies."""
    if call.proposals.exists():
        return list(call.proposals.filter(status=S.SHORTLISTED).order_by("folio"))
    groups = list(CommunityGroup.objects.select_related("neighbourhood").order_by("pk"))
    weekends = weekend_days(call.assembly_window_starts_on, call.assembly_window_ends_on)
    made = []
    for i, state in enumerate(states):
        group = groups[(i * 7 + call.fiscal_year) % len(groups)]  # 7 is prime to the 24 groups: each once
        project_type = TYPES[(i + call.fiscal_year) % len(TYPES)]
        amount = Decimal(850000 + 35000 * (i % 16))
        assembly_day = weekends[i % len(weekends)]
        proposal = Proposal.objects.create(
            call=call, group=group, status=state, folio=f"MB-{call.fiscal_year}-{i + 1:05d}",
            title=title_for(project_type, group.neighbourhood.name, i), neighbourhood=group.neighbourhood,
            address="Calle principal s/n", project_type=project_type, modality="new", **texts_for(project_type),
            population_benefited=1500 + 230 * i, schedule="Mes 1-4: obra\nMes 5: entrega", budget_total=amount,
            created_by=group.memberships.order_by("pk").first().user,
            submitted_at=_at(call.registration_opens_on + timedelta(days=3 + i), 12))
        BudgetLine.objects.bulk_create([BudgetLine(proposal=proposal, position=n, **line)
                                        for n, line in enumerate(budget_for(project_type, amount))])
        total = sum((line.amount for line in proposal.budget_lines.all()), Decimal("0"))
        Proposal.objects.filter(pk=proposal.pk).update(budget_total=total)
        if state in PASSED_ASSEMBLY or state == S.ASSEMBLY_REJECTED:
            held = _at(assembly_day, ASSEMBLY_HOURS[i % len(ASSEMBLY_HOURS)])
            approved = state != S.ASSEMBLY_REJECTED
            Assembly.objects.create(
                proposal=proposal, status=AssemblyStatus.APPROVED if approved else AssemblyStatus.REJECTED,
                scheduled_at=held, place=PLACES[i % len(PLACES)], convened_by="Comité vecinal",
                quorum_required=call.assembly_quorum, attendees=48 + i, votes_for=(40 + i) if approved else 12,
                votes_against=5 if approved else 30 + i, abstentions=3, scheduled_by=coordinator,
                recorded_by=coordinator, recorded_at=held + timedelta(hours=3))
        if state in REVIEWED:
            # bulk_create: history, so nobody is told of an assignment made months ago
            ReviewAssignment.objects.bulk_create([ReviewAssignment(proposal=proposal, reviewer=reviewer,
                                                                   assigned_by=coordinator)])
            feasible = REVIEWED[state] == ReviewResult.FEASIBLE
            answer = ChecklistAnswer.YES if feasible else ChecklistAnswer.NO
            TechnicalReview.objects.create(
                proposal=proposal, reviewer=reviewer, status=TechnicalReview.Status.SUBMITTED,
                checklist={item: {"answer": answer if item == "technically_sound" else ChecklistAnswer.YES,
                                  "note": ""} for item in CHECKLIST},
                adjusted_cost=total, site_visit_on=assembly_day + timedelta(days=9), result=REVIEWED[state],
                observations="Ajustar el cronograma a la temporada de lluvias." if feasible else "",
                reasons="" if feasible else "El terreno está en zona de riesgo por hundimientos.",
                submitted_at=_at(assembly_day + timedelta(days=14), 13))
        if state == S.INELIGIBLE:
            Proposal.objects.filter(pk=proposal.pk).update(ineligibility_reason="not_public_land")
        if state == S.SHORTLISTED:
            made.append(Proposal.objects.get(pk=proposal.pk))
    return made


def _committee(call: Call, coordinator: User) -> Committee:
    committee = Committee.objects.filter(call=call).first()
    if committee:
        return committee
    committee = services.committee_set(actor=coordinator, call=call,
                                       secretary=User.objects.get(email="secretaria@demo.nicp.mx"))
    sectors = ["government", "government", "academia", "civil_society", "academia"]
    for i in range(1, 6):
        user = User.objects.get(email=f"comite{i}@demo.nicp.mx")
        services.member_add(actor=coordinator, committee=committee, email=user.email, full_name=user.full_name,
                            sector=sectors[i - 1], institution="SEDUVI" if i < 3 else "UNAM")
    return committee


def _score(committee: Committee, proposals: list[Proposal], *, members: int) -> None:
    """Members score through the service (this year's call, scoring now)."""
    rubric = [c for c in committee.call.rubric.all() if not c.computed]
    for n, member in enumerate(committee.members.select_related("user").order_by("pk")[:members]):
        for i, proposal in enumerate(proposals):
            if member.score_sheets.filter(proposal=proposal).exists():
                continue
            services.score_save(actor=member.user, proposal_id=proposal.pk, values=_values(rubric, i, n),
                                submit=True)


def _values(rubric, i: int, n: int) -> dict:
    return {str(c.pk): {"value": 1 + (i * 2 + n + j) % 5, "comment": ""} for j, c in enumerate(rubric)}


def _scored_history(committee: Committee, proposals: list[Proposal]) -> None:
    """Last year's score sheets, every member on every proposal, written as they were submitted."""
    rubric = list(committee.call.rubric.all())
    ratios = services.population_ratios(committee.call)
    submitted = _at(committee.call.committee_date - timedelta(days=3), 18)
    sheets = []
    for n, member in enumerate(committee.members.order_by("pk")):
        for i, proposal in enumerate(proposals):
            scores = _values([c for c in rubric if not c.computed], i, n)
            for criterion in rubric:
                if criterion.computed:
                    scores[str(criterion.pk)] = {"value": computed_value(criterion, proposal, ratios), "comment": "",
                                                 "computed": True}
            sheets.append(ScoreSheet(member=member, proposal=proposal, scores=scores, version=2,
                                     status=ScoreSheet.Status.SUBMITTED, submitted_at=submitted,
                                     weighted_score=weighted_mean(rubric, scores)))
    ScoreSheet.objects.bulk_create(sheets)


def seed_committees() -> None:
    """Past calls are history: nobody is told about them today."""
    with muted():
        _seed_past_calls()


def _seed_past_calls() -> None:
    coordinator = User.objects.get(email="coordinacion@demo.nicp.mx")
    reviewer = User.objects.get(email="revision@demo.nicp.mx")
    today = today_mx()
    published = _call(coordinator, today.year - 1, last_year_dates(today.year - 1))
    if published.status == "closed":
        proposals = _history(published, LAST_YEAR, coordinator, reviewer)
        committee = _committee(published, coordinator)
        if not ScoreSheet.objects.filter(member__committee=committee).exists():
            _scored_history(committee, proposals)  # every member scored every proposal before the session
        session = services.session_open(actor=committee.secretary, committee=committee,
                                        held_on=published.committee_date,
                                        now=datetime.combine(published.committee_date, time(12), MEXICO_CITY),
                                        present_member_ids=list(committee.members.values_list("pk", flat=True)))
        for member in committee.members.select_related("user"):
            services.vote_cast(actor=member.user, session_id=session.pk, choice="for")
        services.session_close(actor=committee.secretary, session_id=session.pk)
        services.results_publish(actor=coordinator, call=published)
    scoring = _call(coordinator, today.year, this_year_dates(today))
    if not Committee.objects.filter(call=scoring).exists():
        proposals = _history(scoring, THIS_YEAR, coordinator, reviewer)
        committee = _committee(scoring, coordinator)
        _score(committee, proposals[:4], members=3)  # mid-scoring: some members, some proposals

