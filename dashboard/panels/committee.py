"""The Committee's panels: a member's proposals still to score (the session date is the scoring
deadline), and the secretary's scoring progress (who has scored how much)."""

from django.db.models import Count, Exists, OuterRef, Q

from accounts.roles import StaffRole
from committees.models import Committee, CommitteeMember, ScoreSheet, Session
from dashboard.panels.base import Panel, first
from proposals.models import Proposal
from proposals.workflow import CallState, ProposalState

DECIDED = [CallState.RESULTS_PUBLISHED, CallState.ARCHIVED]


def member_applies(user, roles) -> bool:
    return StaffRole.COMMITTEE_MEMBER in roles


def member_build(user, today) -> dict:
    seats = list(CommitteeMember.objects.filter(user=user).exclude(committee__call__status__in=DECIDED)
                 .select_related("committee__call").order_by("committee__call__committee_date"))
    calls = [seat.committee.call_id for seat in seats]
    # Scoring closes when the session opens.
    in_session = set(Session.objects.filter(committee__call_id__in=calls).values_list("committee__call_id",
                                                                                       flat=True))
    scored = ScoreSheet.objects.filter(proposal=OuterRef("pk"), member__user=user,
                                       status=ScoreSheet.Status.SUBMITTED)
    # visible_to already leaves out the proposals this person is recused from.
    to_score = (Proposal.objects.visible_to(user)
                .filter(status=ProposalState.SHORTLISTED, call_id__in=set(calls) - in_session)
                .exclude(Exists(scored)))
    waiting = dict(to_score.values_list("call_id").annotate(n=Count("id")).order_by())
    done = dict(ScoreSheet.objects.filter(member__in=seats, status=ScoreSheet.Status.SUBMITTED,
                                          proposal__status=ProposalState.SHORTLISTED)
                .values_list("member__committee__call_id").annotate(n=Count("id")).order_by())
    return {
        "seats": [{"call": seat.committee.call, "to_score": waiting.get(seat.committee.call_id, 0),
                   "scored": done.get(seat.committee.call_id, 0),
                   "in_session": seat.committee.call_id in in_session} for seat in seats],
        "unscored": first(to_score.select_related("call", "neighbourhood").order_by("call__committee_date", "folio")),
    }


def secretary_applies(user, roles) -> bool:
    return StaffRole.COMMITTEE_SECRETARY in roles


def secretary_build(user, today) -> dict:
    committees = list(Committee.objects.filter(secretary=user).exclude(call__status__in=DECIDED)
                      .select_related("call").order_by("call__committee_date"))
    shortlisted = dict(Proposal.objects.filter(call__committee__in=committees, status=ProposalState.SHORTLISTED)
                       .values_list("call_id").annotate(n=Count("id")).order_by())
    counted = Q(score_sheets__proposal__status=ProposalState.SHORTLISTED)
    members = (CommitteeMember.objects.filter(committee__in=committees).select_related("user")
               .annotate(submitted=Count("score_sheets", distinct=True,
                                         filter=counted & Q(score_sheets__status=ScoreSheet.Status.SUBMITTED)),
                         recused=Count("recusals", distinct=True,
                                       filter=Q(recusals__proposal__status=ProposalState.SHORTLISTED)))
               .order_by("user__full_name", "id"))
    in_session = set(Session.objects.filter(committee__in=committees).values_list("committee_id", flat=True))
    rows = {c.pk: {"committee": c, "call": c.call, "proposals": shortlisted.get(c.call_id, 0), "members": [],
                   "in_session": c.pk in in_session} for c in committees}
    for member in members:
        row = rows[member.committee_id]
        member.expected = row["proposals"] - member.recused
        member.missing = max(member.expected - member.submitted, 0)
        row["members"].append(member)
    for row in rows.values():
        row["pending_members"] = sum(1 for m in row["members"] if m.missing)
    return {"committees": list(rows.values())}


MEMBER_PANEL = Panel(key="committee_member", template="dashboard/panels/committee_member.html",
                     applies=member_applies, build=member_build)
SECRETARY_PANEL = Panel(key="committee_secretary", template="dashboard/panels/committee_secretary.html",
                        applies=secretary_applies, build=secretary_build)
