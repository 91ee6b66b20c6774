"""The run itself: the catalogue, a check that nothing else sits where the dataset goes, then each stage
timed, all in one transaction (a failed run leaves nothing half made, so a second run never finds one)."""

import os
import random
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import transaction

from neighbourhoods.models import Neighbourhood
from neighbourhoods.services import territory_import
from nicp.scale import seed_accounts, seed_calls, seed_groups, seed_projects, seed_scores, seed_works
from nicp.scale.seed_plan import Plan
from nicp.scale.seed_proposals import ProposalsStage
from nicp.scale.seed_tag import scale_calls

CATALOGUE = "colonias_cdmx_iecm.csv"


def default_territory() -> Path:
    shared = Path(os.environ.get("NICP_SHARED_DIR", Path(settings.BASE_DIR).parent / "shared"))
    return shared / "data" / CATALOGUE


def territory_ensure(path: Path | None, say) -> None:
    """Import the catalogue when asked to, or when there are no units yet (from the shared data)."""
    if path is None and Neighbourhood.objects.exists():
        return
    path = path or default_territory()
    if not Path(path).is_file():
        raise CommandError(f"No territorial units and no catalogue at {path}: pass --territory PATH "
                           f"(the IECM catalogue, {CATALOGUE}).")
    summary = territory_import(Path(path))
    say(f"Territory imported from {Path(path).name}: {summary}")


def existing_plan() -> Plan | None:
    newest = scale_calls().order_by("-fiscal_year").first()
    if newest is None:
        return None
    return Plan.from_marker(newest.summary) or Plan(0, 0, 0)


def refuse_other_size(existing: Plan, wanted: Plan) -> None:
    """A dataset at least as large in every count serves (a small benchmark on the full data); a smaller one
    is not topped up: the states and money spread over the whole set, so it is made again."""
    if not (
            existing.proposals >= wanted.proposals and existing.projects >= wanted.projects
            and existing.expenses >= wanted.expenses):
        raise CommandError(f"A scale dataset of another size is there ({existing.describe()}); run with --reset "
                           f"to replace it with {wanted.describe()}.")


def build(plan: Plan, say) -> dict[str, float]:
    """Returns the seconds each stage took."""
    seed_calls.refuse_real_calls(plan)
    rng = random.Random(14)
    seconds: dict[str, float] = {}

    def stage(name: str, run):
        started = time.perf_counter()
        result = run()
        seconds[name] = time.perf_counter() - started
        say(f"  {name:<22} {seconds[name]:7.1f} s")
        return result

    say(f"Generating the scale dataset: {plan.describe()}.")
    with transaction.atomic():
        named = seed_accounts.accounts_by_role()
        units = list(Neighbourhood.objects.order_by("pk"))
        calls = stage("calls and committees", lambda: seed_calls.make_calls(plan))
        pool_size = max(20, (plan.proposals - plan.projects) // 4)
        pool, funded_groups = stage("groups and people", lambda: (
            seed_groups.make_groups(pool_size, "pool", units, named, rng),
            seed_groups.make_groups(plan.projects, "funded", units, named, rng)))
        proposals = ProposalsStage(calls, units, pool, funded_groups, seed_accounts.reviewers(), rng)
        built = stage("proposals", lambda: proposals.run(plan.in_review, plan.per_result_call()))
        stage("committee scores", lambda: seed_scores.score_sheets(calls, built.committee, rng))
        projects_stage = seed_projects.ProjectsStage(built.funded, named, rng)
        projects = stage("projects", projects_stage.run)
        lines = {item.proposal.pk: item.lines for item in built.funded}
        works = seed_works.WorksStage(projects, projects_stage, lines, rng)
        stage("works and expenses", lambda: (works.run(plan.expenses), projects_stage.insert_tranches()))
    seconds["total"] = sum(seconds.values())
    say(f"  {'total':<22} {seconds['total']:7.1f} s")
    return seconds
