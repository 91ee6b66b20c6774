"""The session's proposed selection, built from the submitted (never voided) score sheets. Only
proposals with enough sheets are candidates: one short of them is listed apart, never ranked as 0."""

from decimal import Decimal

from django.db.models import Avg

from committees.coverage import coverage
from committees.models import ScoreSheet, SelectionEntry, Session
from committees.selection import Candidate, propose
from proposals.models import Call, Proposal, TechnicalReview
from proposals.workflow import ProposalState


def candidates(call: Call) -> list[Candidate]:
    ranked = coverage(call.committee).ranked_ids
    shortlisted = Proposal.objects.filter(call=call, status=ProposalState.SHORTLISTED, pk__in=ranked) \
        .select_related("neighbourhood")
    scores = dict(ScoreSheet.objects.filter(proposal__in=shortlisted, status=ScoreSheet.Status.SUBMITTED)
                  .values_list("proposal").annotate(avg=Avg("weighted_score")))
    adjusted = dict(TechnicalReview.objects.filter(proposal__in=shortlisted, status="submitted",
                                                   adjusted_cost__isnull=False)
                    .values_list("proposal").annotate(avg=Avg("adjusted_cost")))
    return [Candidate(proposal_id=p.pk, score=Decimal(scores[p.pk]).quantize(Decimal("0.001")),
                      stratum=p.neighbourhood.stratum if p.neighbourhood else "",
                      submitted_at=p.submitted_at, amount=Decimal(adjusted.get(p.pk) or p.budget_total)
                      .quantize(Decimal("0.01")), borough_id=p.neighbourhood.borough_id if p.neighbourhood else 0)
            for p in shortlisted]


def selection_build(session: Session) -> list[SelectionEntry]:
    """(Re)write the session's proposed selection; any earlier list, its changes and its votes go."""
    call = session.committee.call
    session.entries.all().delete()
    session.votes.all().delete()
    placements = propose(candidates(call), budget=call.total_budget, per_borough_cap=call.max_selected_per_borough,
                         waitlist_size=call.waitlist_size)
    return SelectionEntry.objects.bulk_create([
        SelectionEntry(session=session, proposal_id=p.candidate.proposal_id, rank=p.rank,
                       weighted_score=p.candidate.score, assigned_amount=p.candidate.amount,
                       proposed_outcome=p.outcome, outcome=p.outcome)
        for p in placements])
