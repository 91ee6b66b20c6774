"""The large generated dataset's entry point: `seed_scale()` builds it (or finds it), `scale_data()` reads
what is there, `scale_reset()` removes it. The benchmark and the load test import these; the management
command `seed_scale` is a thin wrapper.

Everything generated hangs from calls titled `SCALE_TITLE` (fiscal years counting down from 2099) and from
people at `@scale.nicp.mx`: it never mixes with the demo's data (years of today) nor with a real call.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction

from nicp.scale.seed_plan import SIZES, Plan, plan_for
from nicp.scale.seed_tag import SCALE_TITLE, scale_calls

__all__ = ["SCALE_TITLE", "SIZES", "ScaleData", "scale_data", "scale_reset", "seed_scale"]


@dataclass
class ScaleData:
    """What a caller needs to measure every role: the accounts by role (see seed_accounts.ROLES), the calls'
    ids (newest first: the first is still in review, the rest have published results), a few sample ids
    (see seed_samples.SAMPLES) and the rows per table after the run."""

    accounts: dict = field(default_factory=dict)
    call_ids: list[int] = field(default_factory=list)
    samples: dict[str, int | None] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    created: bool = False  # False when the data was already there
    seconds: dict[str, float] = field(default_factory=dict)  # time per stage of this run


def seed_scale(*, size: str = "small", proposals: int | None = None, projects: int | None = None,
               expenses: int | None = None, territory: Path | None = None, password: str | None = None,
               stdout=None) -> ScaleData:
    """Generate the tagged dataset of `size` (or the explicit counts), unless one at least that large is
    already there: then it writes nothing and returns that one. Raises CommandError on a bad request (a
    smaller dataset already there: --reset first; a real call in the years it needs; no territory)."""
    from nicp.scale import seed_accounts, seed_build

    plan = plan_for(size, proposals=proposals, projects=projects, expenses=expenses)
    say = stdout.write if stdout is not None else (lambda _text: None)
    seed_build.territory_ensure(territory, say)
    seed_accounts.accounts_ensure(password)
    existing = seed_build.existing_plan()
    if existing is not None:
        seed_build.refuse_other_size(existing, plan)
        say(f"The scale dataset is already there ({existing.describe()}): nothing to do.")
        return scale_data()
    seconds = seed_build.build(plan, say)
    if connection.vendor == "postgresql":
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        seconds["analyze"] = time.perf_counter() - started
    data = scale_data()
    data.created, data.seconds = True, seconds
    return data


def scale_data() -> ScaleData:
    """The accounts, calls and samples of the dataset in the database (empty lists when there is none)."""
    from nicp.scale import seed_accounts, seed_samples

    calls = list(scale_calls().order_by("-fiscal_year").values_list("pk", flat=True))
    return ScaleData(accounts=seed_accounts.accounts_by_role(), call_ids=calls,
                     samples=seed_samples.samples(calls), counts=seed_samples.counts(calls))


def scale_reset(stdout=None) -> dict[str, int]:
    """Delete every tagged row (and only those); returns the rows deleted per table."""
    from nicp.scale import seed_reset

    with transaction.atomic():
        return seed_reset.reset(stdout.write if stdout is not None else (lambda _text: None))


Plan = Plan  # re-exported for callers that size a run themselves
