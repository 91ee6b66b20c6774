"""Scores: criteria the system computes, and the weighted mean of a score sheet."""

from decimal import ROUND_HALF_UP, Decimal

from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

# What each level of the 1–5 scale means: shown beside each choice on the scoring form and on the
# public results page, so every member reads a 3 the same way.
SCORE_LEVELS = {
    1: _("Muy bajo: la propuesta no atiende el criterio"),
    2: _("Bajo: lo atiende poco o con dudas importantes"),
    3: _("Medio: lo atiende en parte"),
    4: _("Alto: lo atiende bien"),
    5: _("Excelente: lo atiende por completo y de forma ejemplar"),
}


def level_choices() -> list[tuple[int, str]]:
    return [(value, f"{value} — {meaning}") for value, meaning in SCORE_LEVELS.items()]


def weight_percent(weight) -> str:
    """The one way a criterion's weight is written: "30 %", "12,5 %"."""
    return f"{floatformat(weight, -2)} %"


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
