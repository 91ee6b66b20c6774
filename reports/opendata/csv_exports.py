"""proyectos.csv, ministraciones.csv and gastos.csv: the funded projects, their tranches and their public
expenses as spreadsheets.

UTF-8 with a BOM (so spreadsheet programs read accents), every cell through `nicp.csv.SafeWriter` (a cell
starting with = + - @ cannot run as a formula). Rows are read with `.values()` and `.iterator()` in one
query per file, never one per row, and written in blocks of `BLOCK` lines, so memory stays flat however
many rows there are. Labels are always the Spanish ones: the same file whoever downloads it (the nightly
snapshot is one file for everybody); the dictionary documents each column."""

import io
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Stratum
from nicp.csv import BOM, SafeWriter
from projects.models import Expense, Project, ProjectEvent, Tranche
from projects.public.querysets import LIST_FIELDS
from projects.public.records import EXPENSE_FIELDS, PRIVATE_SUPPLIER, expense_row, list_row, public_expenses
from projects.workflow import ExpenseState, ProjectState, TrancheState
from proposals.models import BudgetChapter
from proposals.models.calls import ProjectType
from reports.opendata import dictionary
from reports.opendata.datasets import Dataset, register

BLOCK = 2000  # rows per chunk read from the database and per chunk written out
CSV_TYPE = "text/csv; charset=utf-8"


def _spanish(*choices) -> dict[str, str]:
    """{value: Spanish label} for the choices, worked out once per file rather than once per row."""
    with translation.override(settings.LANGUAGE_CODE):
        return {value: str(label) for options in choices for value, label in options.choices}


def _moment(value):
    """A timestamp as Mexico City time to the second, so the file does not depend on the server's zone."""
    return timezone.localtime(value).replace(microsecond=0) if value else None


def _write(header: tuple[str, ...], rows: Iterable[list]) -> Iterable[str]:
    """The BOM and header, then the rows, in text chunks of `BLOCK` lines."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    buffer.write(BOM)
    writer.writerow(header)
    for count, row in enumerate(rows, 1):
        writer.writerow(row)
        if count % BLOCK == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _header(columns) -> tuple[str, ...]:
    return tuple(column.name for column in columns)


# proyectos.csv ------------------------------------------------------------------------------------------

PROJECT_HEADER = _header(dictionary.PROJECT_COLUMNS)


def _project_cells(row: dict, labels: dict, page: str) -> list:
    return [
        row["code"], row["title"], row["year"],
        row["status"], labels[row["status"]],
        row["project_type"], labels.get(row["project_type"], ""),
        row["unit_key"], row["unit_name"], row["borough_code"], row["borough_name"],
        row["stratum"], labels.get(row["stratum"], ""),
        row["approved_amount"], row["released_amount"], row["verified_amount"],
        row["physical_progress"], row["financial_progress"],
        row["starts_on"], row["ends_on"], _moment(row["updated_at"]),
        row["latitude"], row["longitude"], row["location_precision"],
        page.replace("__code__", row["code"]),
    ]


def project_page_pattern() -> str:
    """The absolute address of a project page with `__code__` where the code goes (one reverse per file)."""
    return settings.NICP_SITE_URL + reverse("public:project", args=["__code__"])


def write_projects(projects) -> Iterable[str]:
    labels = _spanish(ProjectState, ProjectType, Stratum)
    page = project_page_pattern()
    rows = projects.values(*LIST_FIELDS, "progress_reported").iterator(chunk_size=BLOCK)
    return _write(PROJECT_HEADER, (_project_cells(list_row(raw), labels, page) for raw in rows))


def projects_last_modified():
    # Releasing a tranche moves the released total without touching updated_at: its date counts too.
    found = Project.objects.aggregate(updated=Max("updated_at"), released=Max("tranches__released_at"))
    return max((value for value in found.values() if value), default=None)


# ministraciones.csv -------------------------------------------------------------------------------------

TRANCHE_HEADER = _header(dictionary.TRANCHE_COLUMNS)
# The tranche fields the public sees (the same as `records.tranches`: never the transfer reference).
TRANCHE_FIELDS = ("project__code", "number", "share_percent", "amount", "status", "released_at", "transfer_date")
TRANCHE_EVENTS = ("create", "tranche_request", "tranche_approve", "tranche_release", "tranche_withhold")


def _released_on(row: dict):
    """As `records.tranches` says it: the transfer's date, else the day it was marked released."""
    if row["status"] != TrancheState.RELEASED:
        return None
    return row["transfer_date"] or (timezone.localdate(row["released_at"]) if row["released_at"] else None)


def write_tranches(projects) -> Iterable[str]:
    labels = _spanish(TrancheState)
    rows = (Tranche.objects.filter(project_id__in=projects.values("id"))
            .order_by("project_id", "number").values(*TRANCHE_FIELDS).iterator(chunk_size=BLOCK))
    return _write(TRANCHE_HEADER, ([
        row["project__code"], row["number"], row["share_percent"], row["amount"], row["status"],
        labels[row["status"]], _released_on(row)] for row in rows))


def tranches_last_modified():
    # Every change of a tranche (created with its project, then requested, approved, released, withheld) is
    # written as an event of its project.
    return ProjectEvent.objects.filter(action__in=TRANCHE_EVENTS).aggregate(last=Max("created_at"))["last"]


# gastos.csv ---------------------------------------------------------------------------------------------

EXPENSE_HEADER = _header(dictionary.EXPENSE_COLUMNS)


def _expense_cells(row: dict, code: str, labels: dict) -> list:
    return [
        row["id"], code, row["spent_on"], row["chapter"], labels[row["chapter"]], row["concept"],
        row["supplier"], row["supplier_rfc"], row["amount"], row["status"], labels[row["status"]],
        row["kind"], labels[row["kind"]], row["cfdi_uuid"],
    ]


def write_expenses(projects) -> Iterable[str]:
    labels = _spanish(BudgetChapter, ExpenseState, Expense.Kind)
    with translation.override(settings.LANGUAGE_CODE):
        private = str(PRIVATE_SUPPLIER)
    rows = (public_expenses().filter(project_id__in=projects.values("id"))
            .order_by("project_id", "-spent_on", "-id").values(*EXPENSE_FIELDS, "project__code")
            .iterator(chunk_size=BLOCK))
    return _write(EXPENSE_HEADER, (_expense_cells(expense_row(raw, private), raw["project__code"], labels)
                                   for raw in rows))


def expenses_last_modified():
    # Over every expense, rejected ones too: a rejection removes a row from the file.
    return Expense.objects.aggregate(last=Max("updated_at"))["last"]


register(Dataset(
    filename="proyectos.csv", label=_("Proyectos (CSV)"),
    description=_("Un renglón por proyecto financiado: dónde está, su estado, su dinero y su avance. Acepta los "
                  "filtros del listado de proyectos."),
    content_type=CSV_TYPE, write=write_projects, last_modified=projects_last_modified, filterable=True,
    dictionary="proyectos-csv"))
register(Dataset(
    filename="ministraciones.csv", label=_("Ministraciones (CSV)"),
    description=_("Un renglón por ministración: cuánto dinero se programó entregar a cada proyecto y cuándo "
                  "se depositó."),
    content_type=CSV_TYPE, write=write_tranches, last_modified=tranches_last_modified,
    dictionary="ministraciones-csv"))
register(Dataset(
    filename="gastos.csv", label=_("Gastos (CSV)"),
    description=_("Un renglón por gasto registrado (salvo los rechazados): fecha, concepto, proveedor, importe, "
                  "estado y folio fiscal."),
    content_type=CSV_TYPE, write=write_expenses, last_modified=expenses_last_modified,
    dictionary="gastos-csv"))
