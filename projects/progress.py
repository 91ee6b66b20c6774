"""The two inputs the tranche guards read, each from one place. The execution stage (progress reports and
verified expenses) keeps the stored figures; until then they are what the records hold."""

from decimal import Decimal

from projects.models import Project, Tranche


def physical_progress(project: Project) -> Decimal:
    """The works' physical progress in percent, as last endorsed."""
    return project.physical_progress


def proved_share(tranche: Tranche) -> Decimal:
    """The share (percent) of a released tranche proved with verified expenses."""
    if not tranche.amount:
        return Decimal("0")
    return (tranche.proved_amount / tranche.amount * 100).quantize(Decimal("0.01"))
