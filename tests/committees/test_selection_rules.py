"""The proposed selection's rules, checked on generated cases (hypothesis)."""

from datetime import datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from committees.selection import STRATUM_ORDER, Candidate, propose, rank

T0 = datetime(2027, 1, 1)

candidates = st.lists(
    st.builds(
        Candidate,
        proposal_id=st.integers(1, 10_000),
        score=st.decimals(min_value=1, max_value=5, places=1),
        stratum=st.sampled_from(["muy_bajo", "bajo", "medio", "alto"]),
        submitted_at=st.integers(0, 100_000).map(lambda s: T0 + timedelta(seconds=s)),
        amount=st.integers(300_000, 1_450_000).map(Decimal),
        borough_id=st.integers(1, 5),
    ),
    max_size=40, unique_by=lambda c: c.proposal_id,
)


@settings(max_examples=200, deadline=None)
@given(candidates, st.integers(0, 20_000_000).map(Decimal), st.none() | st.integers(1, 4), st.integers(0, 5))
def test_budget_cap_and_greedy_fill(cands, budget, cap, waitlist):
    placements = propose(cands, budget=budget, per_borough_cap=cap, waitlist_size=waitlist)
    selected = [p.candidate for p in placements if p.outcome == "selected"]
    assert sum((c.amount for c in selected), Decimal(0)) <= budget
    if cap is not None:
        for borough in {c.borough_id for c in selected}:
            assert sum(1 for c in selected if c.borough_id == borough) <= cap
    # Greedy in rank order: anything left out did not fit the money left, or its borough was full, at its turn.
    remaining, per_borough = budget, {}
    for placement in placements:
        c = placement.candidate
        fits = c.amount <= remaining and (cap is None or per_borough.get(c.borough_id, 0) < cap)
        assert (placement.outcome == "selected") == fits
        if fits:
            remaining -= c.amount
            per_borough[c.borough_id] = per_borough.get(c.borough_id, 0) + 1
    waitlisted = [p for p in placements if p.outcome == "waitlisted"]
    assert len(waitlisted) == min(waitlist, len(placements) - len(selected))
    # The waitlist is the best ranked of those left out.
    left_out = [p for p in placements if p.outcome != "selected"]
    assert waitlisted == left_out[:len(waitlisted)]


@given(candidates)
def test_ranking_order_and_ties(cands):
    ranked = rank(cands)
    for better, worse in zip(ranked, ranked[1:], strict=False):
        key = lambda c: (-c.score, STRATUM_ORDER[c.stratum], c.submitted_at, c.proposal_id)  # noqa: E731
        assert key(better) <= key(worse)


def test_ties_go_to_the_lower_stratum_then_the_earlier_submission():
    a = Candidate(1, Decimal("4.0"), "alto", T0, Decimal(1), 1)
    b = Candidate(2, Decimal("4.0"), "muy_bajo", T0 + timedelta(hours=1), Decimal(1), 1)
    c = Candidate(3, Decimal("4.0"), "muy_bajo", T0, Decimal(1), 1)
    d = Candidate(4, Decimal("4.5"), "alto", T0 + timedelta(days=9), Decimal(1), 1)
    assert [x.proposal_id for x in rank([a, b, c, d])] == [4, 3, 2, 1]


def test_a_proposal_that_no_longer_fits_is_skipped_for_a_cheaper_one():
    big = Candidate(1, Decimal("5"), "bajo", T0, Decimal("900"), 1)
    bigger = Candidate(2, Decimal("4"), "bajo", T0, Decimal("500"), 1)
    small = Candidate(3, Decimal("3"), "bajo", T0, Decimal("100"), 1)
    outcomes = {p.candidate.proposal_id: p.outcome
                for p in propose([big, bigger, small], budget=Decimal("1000"), per_borough_cap=None, waitlist_size=1)}
    assert outcomes == {1: "selected", 2: "waitlisted", 3: "selected"}
