"""The Committee's work: score sheets of its five members on the proposals that reached it; for the calls with
results, the closed session that ranked them, its votes and one selection entry per proposal, outcome equal
to the proposal's state. In the call still in review three members of five have submitted, one has a
draft and one has not started."""

from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from committees.models import CommitteeMember, ScoreSheet, SelectionEntry, Session, Vote
from committees.scoring import weighted_mean
from proposals.models import RubricCriterion
from proposals.workflow import ProposalState as S

# The values a member gives, by the outcome: the selected ones score higher, so the ranking agrees.
VALUES = {S.SELECTED: (4, 5), S.WAITLISTED: (3, 4), S.NOT_SELECTED: (1, 3), S.SHORTLISTED: (1, 5)}
ORDER = {S.SELECTED: 0, S.WAITLISTED: 1, S.NOT_SELECTED: 2}


def score_sheets(calls, committee_rows: list[tuple], rng) -> int:
    """Returns the sheets written."""
    now = timezone.now()
    in_review = calls[0].pk
    members = defaultdict(list)
    for member in CommitteeMember.objects.filter(committee__call__in=calls).order_by("id"):
        members[member.committee_id].append(member)
    committee_of = {call.pk: call.committee.pk for call in calls}
    rubric = defaultdict(list)
    for criterion in RubricCriterion.objects.filter(call__in=calls):
        rubric[criterion.call_id].append(criterion)
    by_call = defaultdict(list)
    sheets = []
    for proposal_id, call_id, state, amount in committee_rows:
        low, high = VALUES[state]
        means = []
        for index, member in enumerate(members[committee_of[call_id]]):
            scores = {str(c.pk): {"value": rng.randint(low, high), "comment": ""} for c in rubric[call_id]}
            mean = weighted_mean(rubric[call_id], scores)
            sheet = ScoreSheet(member=member, proposal_id=proposal_id, scores=scores, status="submitted",
                               weighted_score=mean, submitted_at=now, version=2)
            if call_id == in_review:
                done = (proposal_id + index) % 5
                if done == 4:
                    continue  # not started
                if done == 3:
                    sheet.status, sheet.submitted_at, sheet.version = "draft", None, 1
            if sheet.status == "submitted":
                means.append(mean)
            sheets.append(sheet)
        if call_id != in_review:
            by_call[call_id].append((proposal_id, state, amount, sum(means) / len(means)))
        if len(sheets) >= 10_000:
            ScoreSheet.objects.bulk_create(sheets, batch_size=5000)
            sheets = []
    ScoreSheet.objects.bulk_create(sheets, batch_size=5000)
    sessions(calls[1:], committee_of, members, by_call, now)
    return ScoreSheet.objects.filter(member__committee__call__in=calls).count()


def sessions(calls, committee_of, members, by_call, now) -> None:
    """One closed session per call with results: everyone present, everyone for, the ranking."""
    for call in calls:
        committee = committee_of[call.pk]
        session = Session.objects.create(committee_id=committee, held_on=timezone.localdate() - timedelta(days=5),
                                         status=Session.Status.CLOSED, closed_at=now, minutes="scale/acta.pdf")
        session.present.set(members[committee])
        Vote.objects.bulk_create([Vote(session=session, member=member, choice=Vote.Choice.FOR)
                                  for member in members[committee]])
        ranked = sorted(by_call[call.pk], key=lambda row: (ORDER[row[1]], -row[3], row[0]))
        SelectionEntry.objects.bulk_create([
            SelectionEntry(session=session, proposal_id=proposal_id, rank=rank,
                           weighted_score=Decimal(score).quantize(Decimal("0.001")), assigned_amount=amount,
                           proposed_outcome=state, outcome=state)
            for rank, (proposal_id, state, amount, score) in enumerate(ranked, start=1)], batch_size=5000)
