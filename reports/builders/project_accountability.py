"""A project's accountability report (PDF): what its committees present at the accountability assembly —
the project and its call, the agreement, the tranches, every expense by budget line with its CFDI folio,
the money totals, the progress reports with their photographs, the logbook in summary, the site visits
and their observations, and the closure. A section with nothing yet says so.

Read in a fixed number of queries whatever the number of expenses, reports or photos (select_related,
prefetch, aggregates); the figures come from the same places the project's pages read them
(projects.progress, projects.services.expenses.budget_lines_spending)."""

from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db.models import Count, Max, Min, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import StaffRole, roles_of
from projects import permissions, progress
from projects.agreement import signing_committees
from projects.models import Expense, Project, ProjectPhoto
from projects.money import amount_in_words
from projects.services.expenses import budget_lines_spending
from projects.workflow import EXPENSE_COUNTING_STATES
from reports.printing import photo_data_uri, write_pdf
from reports.registry import ReportKind, register

# Staff who read every project and may take its report (the committees take their own project's).
STAFF_READERS = frozenset({StaffRole.COORDINATOR, StaffRole.AUDITOR, StaffRole.FINANCE_OFFICER})
# Enough to show each period's works; the rest stay on the platform (the report says how many).
PHOTOS_PER_REPORT = 6
LAST_LOGBOOK_ENTRIES = 5


def clean_params(params: dict) -> dict:
    raw = str(params.get("project", "")).strip()
    if not raw.isdigit():
        raise ValidationError({"project": _("Elige el proyecto del que quieres el informe.")})
    if not Project.objects.filter(pk=int(raw)).exists():
        raise ValidationError({"project": _("Ese proyecto no existe.")})
    return {"project": int(raw)}


def may_request(user, params: dict) -> bool:
    """Whoever reads the project and is on one of its committees (an accepted seat), or coordination,
    audit and finance. The proposing group's other members read the project but do not take the report."""
    project = Project.objects.visible_to(user).filter(pk=params["project"]).first()
    if project is None:
        return False
    return bool(roles_of(user) & STAFF_READERS) or bool(permissions.is_committee_member(user, project))


def title(params: dict) -> str:
    project = Project.objects.filter(pk=params["project"]).only("code").first()
    return str(_("Informe de rendición de cuentas — %(code)s") % {"code": project.code if project else "—"})


def _one(project: Project, name: str):
    """A reverse one-to-one read through select_related: the row, or None when there is none yet."""
    try:
        return getattr(project, name)
    except ObjectDoesNotExist:
        return None


def _project(pk: int) -> Project | None:
    return (Project.objects.select_related("call", "proposal", "group", "neighbourhood__borough", "agreement",
                                           "handover", "accountability", "refund")
            .filter(pk=pk).first())


@dataclass
class LineExpenses:
    line: object
    budget: object
    spent: object
    verified: object
    over: bool
    expenses: list = field(default_factory=list)


def expenses_by_line(project: Project) -> tuple[list[LineExpenses], list[Expense]]:
    """Each budget line with its figures and the expenses that count against it (with their CFDI); the
    rejected expenses apart, since they prove nothing."""
    expenses = list(project.expenses.select_related("cfdi").order_by("spent_on", "id"))
    lines = [LineExpenses(**figures) for figures in budget_lines_spending(project)]
    by_line = {entry.line.pk: entry for entry in lines}
    for expense in expenses:
        expense.invoice = _one(expense, "cfdi")  # a simple receipt has none
        if expense.status in EXPENSE_COUNTING_STATES and expense.budget_line_id in by_line:
            by_line[expense.budget_line_id].expenses.append(expense)
    rejected = [e for e in expenses if e.status not in EXPENSE_COUNTING_STATES]
    return lines, rejected


def progress_reports(project: Project) -> list:
    photos = Prefetch("photos", queryset=ProjectPhoto.objects.order_by("uploaded_at", "id"))
    return list(project.progress_reports.prefetch_related(photos).order_by("due_on", "id"))


def logbook_summary(project: Project) -> dict:
    figures = project.logbook.aggregate(count=Count("pk"), first=Min("happened_on"), last=Max("happened_on"))
    latest = list(project.logbook.select_related("corrects").order_by("-written_at", "-id")[:LAST_LOGBOOK_ENTRIES])
    return {**figures, "latest": latest}


def build(report, out, progress_to) -> int:
    project = _project(report.params["project"])
    if project is None:
        raise ValidationError(_("Ese proyecto ya no existe."))
    reports = progress_reports(project)
    shown = [(r, list(r.photos.all())[:PHOTOS_PER_REPORT]) for r in reports]
    steps = 6 + sum(len(photos) for _r, photos in shown)
    done = 1
    progress_to(done, steps)
    lines, rejected = expenses_by_line(project)
    done += 1
    progress_to(done, steps)
    periods = []
    for progress_report, photos in shown:
        embedded = []
        for photo in photos:
            embedded.append({"photo": photo, "src": photo_data_uri(photo.file)})
            done += 1
            progress_to(done, steps)
        periods.append({"report": progress_report, "photos": embedded,
                        "more": len(progress_report.photos.all()) - len(photos)})
    context = {
        "project": project, "call": project.call, "running_head": project,
        "agreement": _one(project, "agreement"), "amount_in_words": amount_in_words(project.approved_amount),
        "committees": signing_committees(project),
        "tranches": list(project.tranches.order_by("number")),
        "lines": lines, "rejected": rejected, "expense_count": sum(len(line.expenses) for line in lines),
        "totals": {"approved": project.approved_amount, "released": project.released_total,
                   "verified": project.verified_total, "refund_due": progress.refund_due(project),
                   "financial": progress.financial_progress(project),
                   "physical": progress.physical_progress(project)},
        "periods": periods, "logbook": logbook_summary(project),
        "visits": list(project.visits.prefetch_related("observations").order_by("visited_on", "id")),
        "handover": _one(project, "handover"), "assembly": _one(project, "accountability"),
        "refund": _one(project, "refund"), "printed_at": timezone.localtime(),
    }
    done += 2
    progress_to(done, steps)
    write_pdf("reports/pdf/project_accountability.html", context, out)
    progress_to(steps, steps)
    return context["expense_count"]


register(ReportKind(code="project_accountability", label=_("Informe de rendición de cuentas (PDF)"),
                    extension="pdf", clean_params=clean_params, may_request=may_request, title=title, build=build))
