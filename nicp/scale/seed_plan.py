"""How many rows of each kind a run makes, and how they spread over the calls.

The newest call (2099) is still in review: it holds every state before the Committee's results. The older
calls have published results: each holds its funded projects' selected proposals and the other final states.
"""

import math
from dataclasses import dataclass

from django.core.management.base import CommandError

from nicp.scale.seed_tag import LAST_YEAR

MAX_PROJECTS_PER_CALL = 9_000  # project codes carry four digits per year
MAX_PROPOSALS_PER_CALL = 99_000  # folios carry five
IN_REVIEW_SHARE = 0.4  # of the proposals, in the call still in review


@dataclass(frozen=True)
class Plan:
    proposals: int
    projects: int
    expenses: int

    def describe(self) -> str:
        return f"{self.proposals:,} proposals, {self.projects:,} projects, {self.expenses:,} expenses"

    def marker(self) -> str:
        """Written in the newest call's summary, so a later run knows which size is there."""
        return f"seed_scale proposals={self.proposals} projects={self.projects} expenses={self.expenses}"

    @classmethod
    def from_marker(cls, text: str) -> "Plan | None":
        fields = dict(part.split("=", 1) for part in text.split()[1:] if "=" in part)
        try:
            return cls(int(fields["proposals"]), int(fields["projects"]), int(fields["expenses"]))
        except (KeyError, ValueError):
            return None

    @property
    def result_calls(self) -> int:
        """Calls with published results: enough for the projects' codes, at least two."""
        return max(2, math.ceil(self.projects / MAX_PROJECTS_PER_CALL))

    @property
    def years(self) -> list[int]:
        """Newest first: the call in review, then the calls with results."""
        return [LAST_YEAR - i for i in range(1 + self.result_calls)]

    @property
    def in_review(self) -> int:
        """Proposals of the call still in review; the rest go to the calls with results."""
        return min(int(self.proposals * IN_REVIEW_SHARE), self.proposals - self.projects - 2 * self.result_calls)

    def per_result_call(self) -> list[tuple[int, int]]:
        """(proposals, projects) of each call with results, as even as the counts allow."""
        left = self.proposals - self.in_review
        calls = self.result_calls
        return [(left // calls + (i < left % calls), self.projects // calls + (i < self.projects % calls))
                for i in range(calls)]


SIZES = {
    "small": Plan(proposals=600, projects=120, expenses=2_400),
    "full": Plan(proposals=50_000, projects=10_000, expenses=200_000),
}


def plan_for(size: str, *, proposals: int | None = None, projects: int | None = None,
             expenses: int | None = None) -> Plan:
    if size not in SIZES:
        raise CommandError(f"Unknown size {size!r}: choose {' or '.join(SIZES)}.")
    base = SIZES[size]
    plan = Plan(base.proposals if proposals is None else proposals, base.projects if projects is None else projects,
                base.expenses if expenses is None else expenses)
    if plan.projects < 1 or plan.proposals < 1 or plan.expenses < 0:
        raise CommandError("--proposals and --projects must be at least 1, --expenses at least 0.")
    # Every state needs a few rows: at least 20 proposals besides the funded ones, per call.
    if plan.proposals < plan.projects + 20 * len(plan.years):
        raise CommandError(f"--proposals must be at least --projects + {20 * len(plan.years)} "
                           "(the funded proposals, and a few in every other state).")
    if plan.proposals > MAX_PROPOSALS_PER_CALL * len(plan.years):
        raise CommandError(f"--proposals goes up to {MAX_PROPOSALS_PER_CALL * len(plan.years):,} for this many calls.")
    return plan
