"""Scores: criteria the system computes, and the weighted mean of a score sheet."""

from decimal import ROUND_HALF_UP, Decimal

STRATUM_POINTS = {"muy_bajo": 5, "bajo": 4, "medio": 2, "alto": 1}


def computed_value(criterion, proposal, call_population_per_peso: list[Decimal]) -> int | None:
    """1–5 for criteria the system fills in, None for those the members score."""
    if criterion.computed == "stratum":
        return STRATUM_POINTS.get(proposal.neighbourhood.stratum if proposal.neighbourhood else "", 1)
    if criterion.computed == "population_per_peso":
        amount = proposal.budget_total or Decimal("0")
        if not amount or not proposal.population_benefited:
            return 1
        ratio = Decimal(proposal.population_benefited) / amount
        # Quintile of this proposal's ratio among the call's shortlisted proposals: 1 (lowest) to 5.
        ordered = sorted(call_population_per_peso)
        below = sum(1 for value in ordered if value < ratio)
        return 1 + min(4, (below * 5) // max(1, len(ordered)))
    return None


def weighted_mean(rubric, scores: dict) -> Decimal:
    """Σ value × weight / Σ weight, over the criteria that have a value (1–5 scale)."""
    total = Decimal("0")
    weights = Decimal("0")
    for criterion in rubric:
        entry = scores.get(str(criterion.pk)) or {}
        if entry.get("value") is None:
            continue
        total += Decimal(entry["value"]) * criterion.weight
        weights += criterion.weight
    if not weights:
        return Decimal("0")
    return (total / weights).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
