"""Score coverage before the session: who has not scored what, and which proposals have too few
submitted sheets to be ranked. A proposal short of sheets is never ranked (a missing score is not a 0):
it is listed apart as "sin calificaciones suficientes"."""

from dataclasses import dataclass, field

from committees.models import Committee, CommitteeMember, Recusal, ScoreSheet
from proposals.models import Proposal
from proposals.workflow import COMMITTEE_STATES, ProposalState


def sheets_required(committee: Committee, eligible: int) -> int:
    """The call's minimum when set; otherwise a majority of the members who may score it (never 0)."""
    if committee.min_score_sheets:
        return committee.min_score_sheets
    return max(1, eligible // 2 + 1)


@dataclass
class ProposalCoverage:
    proposal: Proposal
    submitted: int
    required: int
    missing: list[CommitteeMember] = field(default_factory=list)  # non-recused members without a sheet

    @property
    def enough(self) -> bool:
        return self.submitted >= self.required


@dataclass
class Coverage:
    proposals: list[ProposalCoverage]

    @property
    def complete(self) -> bool:
        return not any(p.missing for p in self.proposals)

    @property
    def insufficient(self) -> list[ProposalCoverage]:
        return [p for p in self.proposals if not p.enough]

    @property
    def ranked_ids(self) -> set[int]:
        return {p.proposal.pk for p in self.proposals if p.enough}

    def members_missing(self) -> list[CommitteeMember]:
        """Each member who still owes a sheet, once, in the Committee's order."""
        seen: dict[int, CommitteeMember] = {}
        for row in self.proposals:
            for member in row.missing:
                seen.setdefault(member.pk, member)
        return sorted(seen.values(), key=member_order)

    def summary(self) -> str:
        """One line per proposal that lacks sheets: what the record keeps with the decision."""
        return "\n".join(
            f"{row.proposal.folio}: {row.submitted}/{row.required} · "
            + ", ".join(m.user.get_full_name() for m in row.missing)
            for row in self.proposals if row.missing)


def member_order(member: CommitteeMember):
    """Members always appear by name, then seat: the same order on every page and in the minutes."""
    return ((member.user.full_name or member.user.email).casefold(), member.pk)


def coverage(committee: Committee) -> Coverage:
    proposals = list(Proposal.objects.filter(call=committee.call_id, status=ProposalState.SHORTLISTED)
                     .order_by("folio", "pk"))
    members = sorted(committee.members.select_related("user"), key=member_order)
    submitted = set(ScoreSheet.objects.filter(member__committee=committee, status=ScoreSheet.Status.SUBMITTED)
                    .values_list("member_id", "proposal_id"))
    recused = set(Recusal.objects.filter(member__committee=committee).values_list("member_id", "proposal_id"))
    rows = []
    for proposal in proposals:
        eligible = [m for m in members if (m.pk, proposal.pk) not in recused]
        done = [m for m in eligible if (m.pk, proposal.pk) in submitted]
        rows.append(ProposalCoverage(proposal=proposal, submitted=len(done),
                                     required=sheets_required(committee, len(eligible)),
                                     missing=[m for m in eligible if (m.pk, proposal.pk) not in submitted]))
    return Coverage(rows)


def unranked(session) -> list[Proposal]:
    """The proposals before this session's Committee that it could not rank for lack of score sheets."""
    ranked = session.entries.values("proposal_id")
    return list(Proposal.objects.filter(call=session.committee.call_id, status__in=COMMITTEE_STATES)
                .exclude(pk__in=ranked).order_by("folio", "pk"))
