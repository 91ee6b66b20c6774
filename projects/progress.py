"""The figures the guards and pages read, each from one place: physical progress from the latest endorsed
report (stored on the project by the endorsement), proof from verified expenses."""

from decimal import Decimal

from projects.models import Project, Tranche

CENT = Decimal("0.01")


def physical_progress(project: Project) -> Decimal:
    """The works' physical progress in percent, as last endorsed by supervision."""
    return project.physical_progress


def financial_progress(project: Project) -> Decimal:
    """Verified expenses ÷ approved amount, in percent: computed, never typed."""
    if not project.approved_amount:
        return Decimal("0")
    return (project.verified_total / project.approved_amount * 100).quantize(CENT)


def proved_share(tranche: Tranche) -> Decimal:
    """The share (percent) of a released tranche proved with verified expenses."""
    if not tranche.amount:
        return Decimal("0")
    return (tranche.proved_amount / tranche.amount * 100).quantize(CENT)


def allocate_proof(verified_total: Decimal, tranches: list[Tranche]) -> list[Decimal]:
    """What each released tranche has proved: verified money covers the tranches in order (first in,
    first proved), never more than each tranche's amount."""
    left = verified_total
    proved = []
    for tranche in tranches:
        share = min(left, tranche.amount) if tranche.status == "released" else Decimal("0")
        proved.append(share)
        left -= share
    return proved


def refund_due(project: Project) -> Decimal:
    """What goes back: released − verified, to the cent."""
    return (project.released_total - project.verified_total).quantize(CENT)
