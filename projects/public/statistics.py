"""The programme's public statistics: by year (call) and by borough, proposals received and selected and the
money approved, released, proved and refunded; projects by state; money per inhabitant and by social
development stratum.

Only totals, never a row of anyone's data. Every figure comes from a fixed set of GROUP BY queries (the
years, the proposals, the projects with their refunds, the boroughs' and the strata's population): the
count is the same for one project or ten thousand. The page, its charts and its CSV downloads all read
the `Table`s built here, so a download always matches the table on the page.

Definitions (the same as the printed annual report's): a proposal is received once sent (it has a folio;
drafts never count); selected while its state is «Seleccionada»; money refunded counts once finance
recorded the transfer. Population is the units' census figure (Neighbourhood.population); units without
one add nothing, and a borough or stratum without any has no per-inhabitant figure.
"""

import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django import forms
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import Borough, Neighbourhood, Stratum
from projects.models import Project
from projects.workflow import ProjectState
from proposals.models import Call, Proposal
from proposals.workflow import CallState, ProposalState

ZERO = Decimal("0.00")
CENTS = Decimal("0.01")
MONEY = ("approved", "released", "verified", "refunded")
TABLE_SLUGS = ("alcaldias", "anios", "estados", "estratos")


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: str  # "name" (the row's header) | "code" | "count" | "money" | "people"


NOT_FUNDED_YET = _("Aún no hay proyectos")
NO_POPULATION = _("Sin dato de población")
NO_DATA = _("Sin dato")


@dataclass(frozen=True)
class Cell:
    column: Column
    value: object  # None: the figure does not exist yet (no project funded, no population known)
    missing: str = ""  # what the page says instead of a figure that does not exist

    @classmethod
    def of(cls, column: Column, row: dict) -> "Cell":
        value = row.get(column.key)
        if value is not None:
            return cls(column, value)
        if column.kind == "people":
            return cls(column, None, str(NO_DATA))
        if column.key == "per_person" and row.get("approved") is not None:
            return cls(column, None, str(NO_POPULATION))
        return cls(column, None, str(NOT_FUNDED_YET))


@dataclass
class Table:
    slug: str
    title: str
    columns: list[Column]
    rows: list[dict] = field(default_factory=list)
    total: dict | None = None

    def lines(self) -> list[dict]:
        """Each row's cells, and the listing's query for its projects ("" when it has none)."""
        return [{"cells": [Cell.of(c, row) for c in self.columns], "projects_query": row.get("projects_query", "")}
                for row in self.rows]

    def total_line(self) -> list[Cell] | None:
        # A single row is its own total.
        return [Cell.of(c, self.total) for c in self.columns] if self.total and len(self.rows) > 1 else None

    def csv_header(self) -> list[str]:
        return [str(c.label) for c in self.columns]

    def csv_rows(self) -> list[list]:
        return [[row[c.key] for c in self.columns] for row in self.rows]

    def column(self, key: str) -> list:
        return [row[key] for row in self.rows]


@dataclass
class Statistics:
    year: int | None
    years: list[int]
    tables: dict[str, Table]
    has_proposals: bool
    has_projects: bool


# --- The year selector ----------------------------------------------------------------------------------------

def public_years() -> list[int]:
    """The fiscal years of every published call (a draft call is nobody's business yet), oldest first."""
    return list(Call.objects.exclude(status=CallState.DRAFT).order_by("fiscal_year")
                .values_list("fiscal_year", flat=True))


class YearForm(forms.Form):
    """GET ?year=2027; empty means every year. A year without a published call is a clear error."""

    year = forms.TypedChoiceField(label=_("Año de la convocatoria"), required=False, coerce=int, empty_value=None,
                                  error_messages={"invalid_choice": _(
                                      "No hay una convocatoria publicada del año «%(value)s». Elige un año de "
                                      "la lista.")})

    def __init__(self, data, *, years: list[int]):
        super().__init__(data)
        self.fields["year"].choices = [("", _("Todos los años")), *((y, str(y)) for y in reversed(years))]


# --- The figures ----------------------------------------------------------------------------------------------

def _folded(name: str) -> str:
    """«Álvaro Obregón» sorts with the A's, not after «Xochimilco»."""
    return "".join(c for c in unicodedata.normalize("NFD", name.casefold()) if not unicodedata.combining(c))


def _cents(value) -> Decimal:
    # SQLite sums decimals with stray places (11975002.93000000).
    return (value or ZERO).quantize(CENTS)


def _per_person(amount, population) -> Decimal | None:
    if amount is None or not population:
        return None
    return (Decimal(amount) / population).quantize(CENTS)


def _proposal_counts(year):
    rows = Proposal.objects.exclude(folio="")
    if year:
        rows = rows.filter(call__fiscal_year=year)
    return (rows.order_by().values("call__fiscal_year", "neighbourhood__borough_id")
            .annotate(received=Count("pk"), selected=Count("pk", filter=Q(status=ProposalState.SELECTED))))


def _project_sums(year):
    rows = Project.objects.all()
    if year:
        rows = rows.filter(call__fiscal_year=year)
    # A project has at most one refund (one-to-one): the join never counts a project twice.
    return (rows.order_by().values("call__fiscal_year", "neighbourhood__borough_id", "neighbourhood__stratum",
                                   "status")
            .annotate(projects=Count("pk"), approved=Sum("approved_amount"), released=Sum("released_total"),
                      verified=Sum("verified_total"),
                      refunded=Sum("refund__amount", filter=Q(refund__recorded_at__isnull=False))))


def _add(target: dict, source: dict, keys) -> None:
    for key in keys:
        target[key] = target.get(key, 0) + (source[key] or 0)


def _money_or_none(row: dict, funded: bool) -> None:
    """Money figures are «not yet» (None), not $0, where no project was funded yet."""
    for key in MONEY:
        row[key] = _cents(row.get(key)) if funded else None


def _sum_rows(rows: list[dict], keys) -> dict:
    total = {}
    for key in keys:
        values = [row[key] for row in rows if row[key] is not None]
        total[key] = sum(values, start=type(values[0])(0)) if values else None
    return total


COUNT = ("received", "selected")


def _year_row(year: int) -> dict:
    return {"year": year, "received": 0, "selected": 0, "projects": 0}


def _columns(*spec) -> list[Column]:
    labels = {
        "received": (_("Propuestas recibidas"), "count"), "selected": (_("Propuestas seleccionadas"), "count"),
        "projects": (_("Proyectos"), "count"), "approved": (_("Aprobado"), "money"),
        "released": (_("Ministrado"), "money"), "verified": (_("Comprobado"), "money"),
        "refunded": (_("Reintegrado"), "money"), "population": (_("Población"), "people"),
        "per_person": (_("Aprobado por habitante"), "money"),
    }
    return [Column(key, *labels[key]) if isinstance(key, str) else Column(*key) for key in spec]


# Each table's rows open the public listing filtered the same way (its filter names: projects/public/filters.py).
LISTING_FILTERS = {"anios": ("year", "year"), "alcaldias": ("borough", "code"), "estados": ("status", "code"),
                   "estratos": ("stratum", "code")}


def _link_to_listing(tables: dict, year: int | None) -> None:
    for slug, (param, key) in LISTING_FILTERS.items():
        for row in tables[slug].rows:
            if row.get("projects") and row[key] != "":
                query = {param: row[key], **({"year": year} if year and param != "year" else {})}
                row["projects_query"] = urlencode(query)


def _by_year(proposals, projects, shown_years) -> list[dict]:
    by_year = {y: _year_row(y) for y in shown_years}
    for row in proposals:
        _add(by_year.setdefault(row["call__fiscal_year"], _year_row(row["call__fiscal_year"])), row, COUNT)
    for row in projects:
        _add(by_year.setdefault(row["call__fiscal_year"], _year_row(row["call__fiscal_year"])), row,
             ("projects", *MONEY))
    for row in by_year.values():
        _money_or_none(row, row["projects"] > 0)
    return sorted(by_year.values(), key=lambda r: r["year"])


def _by_borough(proposals, projects, funded: bool) -> list[dict]:
    """Every borough, those that received nothing too (that is a figure as well), by name."""
    boroughs = (Borough.objects.order_by().values("id", "name", "inegi_code")
                .annotate(population=Sum("neighbourhoods__population")))
    by_borough = {b["id"]: {"name": b["name"], "code": b["inegi_code"], "received": 0, "selected": 0, "projects": 0,
                            "population": b["population"]} for b in boroughs}
    for row in proposals:
        if row["neighbourhood__borough_id"] in by_borough:
            _add(by_borough[row["neighbourhood__borough_id"]], row, COUNT)
    for row in projects:
        _add(by_borough[row["neighbourhood__borough_id"]], row, ("projects", *MONEY))
    for row in by_borough.values():
        _money_or_none(row, funded)
        row["per_person"] = _per_person(row["approved"], row["population"])
    return sorted(by_borough.values(), key=lambda r: _folded(r["name"]))


def _by_state(projects) -> list[dict]:
    """Every state, in the order a project goes through them."""
    by_state = {s.value: {"code": s.value, "name": s.label, "projects": 0, "approved": ZERO} for s in ProjectState}
    for row in projects:
        _add(by_state[row["status"]], row, ("projects", "approved"))
    return [{**row, "approved": _cents(row["approved"])} for row in by_state.values()]


def _by_stratum(projects, funded: bool) -> list[dict]:
    """From the lowest stratum (the programme's priority); units without a stratum last, if any."""
    population = dict(Neighbourhood.objects.order_by().values_list("stratum").annotate(Sum("population")))
    by_stratum = {code: {"code": code, "name": Stratum(code).label if code else _("Sin estrato"), "projects": 0,
                         "population": population.get(code)} for code in [*Stratum.values, ""]}
    for row in projects:
        _add(by_stratum[row["neighbourhood__stratum"] or ""], row, ("projects", *MONEY[:3]))
    for row in by_stratum.values():
        _money_or_none(row, funded)
        row["per_person"] = _per_person(row["approved"], row["population"])
    return [row for code, row in by_stratum.items() if code or row["projects"] or row["population"]]


def _total(table: Table) -> dict:
    """Each column's sum; the per-inhabitant figure of the whole (not a sum of ratios)."""
    keys = [c.key for c in table.columns]
    total = _sum_rows(table.rows, [c.key for c in table.columns
                                   if c.kind in ("count", "money") and c.key != "per_person"])
    if "population" in keys:
        known = [row["population"] for row in table.rows if row.get("population")]
        total["population"] = sum(known) if known else None
        total["per_person"] = _per_person(total.get("approved"), total["population"])
    return total


def statistics(year: int | None, years: list[int]) -> Statistics:
    """The four tables for `year` (None: every year of `years`), from five GROUP BY queries in all (the
    caller's `public_years()` is the first)."""
    proposals = list(_proposal_counts(year))
    projects = list(_project_sums(year))
    funded = bool(projects)
    tables = {
        "anios": Table("anios", _("Por año"), _columns(("year", _("Año"), "name"), "received", "selected",
                                                        "projects", *MONEY), _by_year(proposals, projects,
                                                                                      [year] if year else years)),
        "alcaldias": Table("alcaldias", _("Por alcaldía"),
                           _columns(("name", _("Alcaldía"), "name"), ("code", _("Clave INEGI"), "code"),
                                    "received", "selected", *MONEY, "population", "per_person"),
                           _by_borough(proposals, projects, funded)),
        "estados": Table("estados", _("Proyectos por estado"),
                         _columns(("name", _("Estado"), "name"), ("code", _("Clave"), "code"), "projects",
                                  "approved"), _by_state(projects)),
        "estratos": Table("estratos", _("Por estrato de desarrollo social"),
                          _columns(("name", _("Estrato"), "name"), ("code", _("Clave"), "code"), "projects",
                                   *MONEY[:3], "population", "per_person"), _by_stratum(projects, funded)),
    }
    for table in tables.values():
        table.total = _total(table)
    _link_to_listing(tables, year)
    return Statistics(year=year, years=years, tables=tables, has_proposals=bool(proposals), has_projects=funded)
