"""The proposed selection: rank the candidates and fill the budget in rank order. Pure functions."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

# Lower social development stratum first: it has priority by law.
STRATUM_ORDER = {"muy_bajo": 0, "bajo": 1, "medio": 2, "alto": 3, "": 4}


@dataclass(frozen=True)
class Candidate:
    proposal_id: int
    score: Decimal  # weighted mean of the members' scores
    stratum: str
    submitted_at: datetime
    amount: Decimal  # the amount to assign: the technical review's adjusted cost where there is one
    borough_id: int


@dataclass(frozen=True)
class Placement:
    candidate: Candidate
    rank: int
    outcome: str  # selected | waitlisted | not_selected


def rank(candidates: list[Candidate]) -> list[Candidate]:
    """Weighted mean score, highest first; ties to the lower stratum, then to the earlier submission."""
    return sorted(candidates, key=lambda c: (-c.score, STRATUM_ORDER.get(c.stratum, 4), c.submitted_at,
                                             c.proposal_id))


def propose(candidates: list[Candidate], *, budget: Decimal, per_borough_cap: int | None,
            waitlist_size: int) -> list[Placement]:
    """Fill the budget in rank order, skipping what no longer fits or would pass the borough cap;
    the best-ranked of the rest (up to waitlist_size) are waitlisted, the others not selected."""
    remaining = budget
    per_borough: dict[int, int] = {}
    placements = []
    waitlisted = 0
    for position, candidate in enumerate(rank(candidates), start=1):
        fits = candidate.amount <= remaining
        under_cap = per_borough_cap is None or per_borough.get(candidate.borough_id, 0) < per_borough_cap
        if fits and under_cap:
            remaining -= candidate.amount
            per_borough[candidate.borough_id] = per_borough.get(candidate.borough_id, 0) + 1
            outcome = "selected"
        elif waitlisted < waitlist_size:
            waitlisted += 1
            outcome = "waitlisted"
        else:
            outcome = "not_selected"
        placements.append(Placement(candidate, position, outcome))
    return placements
