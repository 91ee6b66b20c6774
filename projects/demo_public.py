"""Demo data for the public side: where each proposal's site is, and what staff made public (photos,
logbook entries, the closed project's handover record and accountability minutes, one invoice, the
names of last year's committees). Idempotent: points are set only where empty, and what is published
is published once (once anything of the call is public, a second run changes nothing)."""

from decimal import Decimal

from django.db.models import Exists, OuterRef

from accounts.models import User
from projects import services
from projects.models import Expense, LogbookEntry, Project, ProjectPhoto
from projects.workflow import ExpenseState, ProjectState
from proposals.models import Call, Proposal

# An illustrative point in each demo unit (the demo territory has no coordinates): a street corner or
# a plaza inside the colonia, in its borough. 12-004 is where PCMB-2025-0003's court is built.
SITES = {
    "03-130": ("19.323400", "-99.163900"),  # Coyoacán
    "03-131": ("19.317300", "-99.111800"),
    "03-132": ("19.315600", "-99.116300"),
    "03-148": ("19.314700", "-99.108200"),
    "05-001": ("19.509800", "-99.137100"),  # Gustavo A. Madero
    "05-002": ("19.512400", "-99.132800"),
    "05-003": ("19.519200", "-99.140600"),
    "05-004": ("19.484900", "-99.090300"),
    "07-001": ("19.374600", "-99.100900"),  # Iztapalapa
    "07-002": ("19.360200", "-99.065100"),
    "07-003": ("19.340100", "-99.056200"),
    "07-257": ("19.358500", "-99.039000"),
    "10-001": ("19.372100", "-99.225300"),  # Álvaro Obregón
    "10-002": ("19.358300", "-99.218100"),
    "10-003": ("19.369200", "-99.230400"),
    "10-245": ("19.365100", "-99.245200"),
    "12-004": ("19.279800", "-99.186200"),  # Tlalpan
    "12-005": ("19.298100", "-99.147300"),
    "12-007": ("19.277300", "-99.140100"),
    "12-008": ("19.288200", "-99.131000"),
    "15-006": ("19.418500", "-99.144100"),  # Cuauhtémoc
    "15-036": ("19.446000", "-99.153200"),
    "15-037": ("19.433100", "-99.133200"),
    "15-038": ("19.429300", "-99.140100"),
}
# Sites in the same unit sit a block or two apart (about 130 m per step), so the map shows each marker.
STEP = Decimal("0.001200")


def seed_sites() -> int:
    """A point for every proposal that names a site (an address) and has none yet, in its unit. Returns
    how many proposals got one."""
    placed = 0
    # A funded project's site is its unit's point; other proposals sit around it.
    funded = Exists(Project.objects.filter(proposal=OuterRef("pk")))
    rows = (Proposal.objects.exclude(address="").annotate(funded=funded).select_related("neighbourhood")
            .order_by("neighbourhood__key", "-funded", "pk"))
    taken: dict[str, int] = {}
    for proposal in rows:
        key = proposal.neighbourhood.key
        n = taken[key] = taken.get(key, -1) + 1
        if proposal.latitude is not None or key not in SITES:
            continue
        lat, lon = (Decimal(value) for value in SITES[key])
        # The first site is the table's point; the next ones step north-east, then south-west.
        sign = 1 if n % 2 else -1
        offset = STEP * ((n + 1) // 2) * sign
        Proposal.objects.filter(pk=proposal.pk, latitude__isnull=True).update(latitude=lat + offset,
                                                                             longitude=lon + offset)
        placed += 1
    return placed


def seed_publication(call: Call | None) -> int:
    """What staff made public of last year's projects. Returns how many records were made public."""
    if call is None or ProjectPhoto.objects.filter(project__call=call, is_public=True).exists():
        return 0
    coordinator = User.objects.get(email="coordinacion@demo.nicp.mx")
    # The call's rules say its committees' members are named on the public pages (this year's do not).
    Call.objects.filter(pk=call.pk).update(committee_names_public=True)
    # Photographs of the works from the progress reports, but the one taken far from the site.
    photos = (ProjectPhoto.objects.filter(project__call=call, report__isnull=False,
                                          project__status__in=(ProjectState.IN_EXECUTION, ProjectState.CLOSED))
              .exclude(far_from_site=True).order_by("pk"))
    published = 0
    for photo in photos:
        services.photo_publish(actor=coordinator, photo_id=photo.pk, public=True)
        published += 1
    return published + _publish_records(call, coordinator)


def _publish_records(call: Call, coordinator) -> int:
    """Two logbook entries and one invoice of the first project in execution, and the closed project's
    handover record and accountability minutes, published by the coordination as staff would."""
    from projects.services.publication import document_publish, expense_receipt_publish, logbook_entry_publish

    published = 0
    works = call.projects.filter(status=ProjectState.IN_EXECUTION, logbook__isnull=False).order_by("code").first()
    if works is not None:
        # The first two entries that were not corrected (a corrected entry alone would mislead).
        entries = (LogbookEntry.objects.filter(project=works, corrects__isnull=True, corrections__isnull=True)
                   .order_by("happened_on", "pk").values_list("pk", flat=True)[:2])
        for entry_id in entries:
            logbook_entry_publish(actor=coordinator, entry_id=entry_id, public=True)
            published += 1
        invoice = (Expense.objects.filter(project=works, kind=Expense.Kind.CFDI, status=ExpenseState.VERIFIED)
                   .order_by("spent_on", "pk").first())
        if invoice is not None:
            expense_receipt_publish(actor=coordinator, expense_id=invoice.pk, public=True)
            published += 1
    for project in call.projects.filter(status=ProjectState.CLOSED):
        for kind in ("handover", "accountability"):
            if document_publish(actor=coordinator, project_id=project.pk, kind=kind, public=True) is not None:
                published += 1
    return published
