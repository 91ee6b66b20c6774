"""The public's read path over funded projects: every project the programme funded, of every year.

A project exists only once its call's results were published, so every row is public; what is public of
each row is decided by `records.py`."""

from django.db.models import Exists, OuterRef

from projects.models import ProgressReport, Project
from projects.workflow import ReportState

# The columns a public list reads, and nothing else (`values()`, never instances).
LIST_FIELDS = (
    "id", "code", "title", "status", "approved_amount", "released_total", "verified_total", "physical_progress",
    "updated_at", "execution_starts_on", "execution_ends_on",
    "call__fiscal_year",
    "neighbourhood__key", "neighbourhood__name", "neighbourhood__stratum", "neighbourhood__population",
    "neighbourhood__latitude", "neighbourhood__longitude",
    "neighbourhood__borough__name", "neighbourhood__borough__inegi_code",
    "proposal__project_type", "proposal__latitude", "proposal__longitude",
)


def public_projects():
    """Every funded project, with whether an endorsed progress report exists (until one does, the physical
    progress is «not yet reported», not 0 %)."""
    endorsed = ProgressReport.objects.filter(project=OuterRef("pk"), status=ReportState.ENDORSED)
    return Project.objects.annotate(progress_reported=Exists(endorsed))


def public_rows(queryset):
    """Plain dicts with the public list fields of `queryset` (already filtered, ordered and sliced)."""
    from projects.public.records import list_row

    return [list_row(row) for row in queryset.values(*LIST_FIELDS, "progress_reported")]
