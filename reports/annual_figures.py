"""The programme's figures for one fiscal year, as tables both annual files print: proposals (sent, eligible,
by state), the selection, and the money approved, released, proved and refunded by borough and by social
development stratum. Each table is one GROUP BY query: the count is the same for ten proposals or fifty
thousand.

The figures are totals, never a row of anyone's data, and they are read for the whole year: the people who
may ask for this report (reports/permissions.py) are checked when they ask and again when it is built."""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext as _

from neighbourhoods.models import Stratum
from projects.models import Project
from proposals.models import Call, Proposal, ProposalEvent
from proposals.workflow import ProposalAction, ProposalState
from reports.sorting import alphabetical

S = ProposalState
# Every state a proposal reaches only after being declared eligible.
ELIGIBLE_STATES = (S.ELIGIBLE, S.ASSEMBLY_SCHEDULED, S.ASSEMBLY_APPROVED, S.ASSEMBLY_REJECTED, S.IN_REVIEW,
                   S.FEASIBLE, S.NOT_FEASIBLE, S.SHORTLISTED, S.SELECTED, S.WAITLISTED, S.NOT_SELECTED)
ZERO = Decimal("0.00")


@dataclass
class Table:
    """A titled table: the first column names the row; numbers are int (a count) or Decimal (pesos)."""

    code: str
    title: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)
    total: list | None = None


@dataclass
class AnnualFigures:
    year: int
    call_title: str
    tables: dict[str, Table]


def _sent(year: int):
    return Proposal.objects.filter(call__fiscal_year=year, submitted_at__isnull=False)


def _eligible() -> Q:
    # A proposal withdrawn after it was declared eligible still counts as eligible: its step says so.
    accepted = Exists(ProposalEvent.objects.filter(proposal=OuterRef("pk"), action=ProposalAction.ACCEPT))
    return Q(status__in=ELIGIBLE_STATES) | (Q(status=S.WITHDRAWN) & Q(accepted))


def _total(rows: list[list], zeros: list) -> list:
    """The table's total row: each column's sum, and zeros (of the column's type) for an empty table."""
    return [_("Total"), *(sum((row[i + 1] for row in rows), start=zero) for i, zero in enumerate(zeros))]


def _stratum_order(code: str | None) -> int:
    return Stratum.values.index(code) if code in Stratum.values else len(Stratum.values)


def _stratum_label(code: str | None) -> str:
    return str(Stratum(code).label) if code in Stratum.values else _("Sin estrato")


def _grouped(queryset, by: str, measures: dict) -> list[tuple[str, dict]]:
    """(label, row) per borough or per stratum, boroughs by name and strata from the lowest."""
    if by == "borough":
        name = "neighbourhood__borough__name"
        rows = queryset.order_by().values("neighbourhood__borough_id", name).annotate(**measures)
        rows = sorted(rows, key=lambda row: (row[name] is None, alphabetical(row[name] or "")))
        return [(row[name] or _("Sin unidad territorial"), row) for row in rows]
    rows = sorted(queryset.order_by().values("neighbourhood__stratum").annotate(**measures),
                  key=lambda row: _stratum_order(row["neighbourhood__stratum"]))
    return [(_stratum_label(row["neighbourhood__stratum"]), row) for row in rows]


PROPOSAL_MEASURES = ("submitted", "eligible", "selected", "waitlisted", "not_selected")
MONEY_MEASURES = ("approved", "released", "verified", "refunded")


def _proposal_counts(year: int, by: str) -> list[list]:
    measures = {"submitted": Count("pk"), "eligible": Count("pk", filter=_eligible()),
                "selected": Count("pk", filter=Q(status=S.SELECTED)),
                "waitlisted": Count("pk", filter=Q(status=S.WAITLISTED)),
                "not_selected": Count("pk", filter=Q(status=S.NOT_SELECTED))}
    return [[label, *(row[m] for m in PROPOSAL_MEASURES)] for label, row in _grouped(_sent(year), by, measures)]


def _money(year: int, by: str) -> list[list]:
    measures = {"projects": Count("pk"), "approved": Sum("approved_amount"), "released": Sum("released_total"),
                "verified": Sum("verified_total"),
                # Only what finance recorded as transferred back; an open refund is still owed.
                "refunded": Sum("refund__amount", filter=Q(refund__recorded_at__isnull=False))}
    projects = Project.objects.filter(call__fiscal_year=year)
    # Quantized: SQLite sums decimals with stray places (11975002.93000000).
    return [[label, row["projects"], *((row[m] or ZERO).quantize(ZERO) for m in MONEY_MEASURES)]
            for label, row in _grouped(projects, by, measures)]


def _by_state(year: int) -> list[list]:
    counts = dict(_sent(year).order_by().values_list("status").annotate(n=Count("pk")))
    return [[str(state.label), counts.get(state.value, 0)] for state in S if state != S.DRAFT]


def _proposal_table(code, title, by_label, rows) -> Table:
    return Table(code, title, [by_label, _("Enviadas"), _("Elegibles"), _("Seleccionadas"),
                               _("En lista de espera"), _("No seleccionadas")], rows, _total(rows, [0] * 5))


def _money_table(code, title, by_label, rows) -> Table:
    return Table(code, title, [by_label, _("Proyectos"), _("Aprobado"), _("Ministrado"), _("Comprobado"),
                               _("Reintegrado")], rows, _total(rows, [0, ZERO, ZERO, ZERO, ZERO]))


def _summary(proposals: Table, money: Table) -> Table:
    sent, eligible, selected, waitlisted, not_selected = proposals.total[1:]
    projects, approved, released, verified, refunded = money.total[1:]
    return Table("summary", _("Resumen"), [_("Concepto"), _("Cifra")], [
        [_("Propuestas enviadas"), sent], [_("Propuestas elegibles"), eligible],
        [_("Propuestas seleccionadas"), selected], [_("En lista de espera"), waitlisted],
        [_("No seleccionadas"), not_selected], [_("Proyectos financiados"), projects],
        [_("Monto aprobado"), approved], [_("Monto ministrado"), released],
        [_("Monto comprobado (gastos verificados)"), verified], [_("Monto reintegrado"), refunded]])


SECTIONS = 5  # the GROUP BY queries below, one progress step each


def annual_figures(year: int, on_section: Callable[[], None] = lambda: None) -> AnnualFigures:
    call = Call.objects.only("title").get(fiscal_year=year)
    tables = {}
    tables["by_state"] = Table("by_state", _("Propuestas enviadas por estado"), [_("Estado"), _("Propuestas")],
                               rows := _by_state(year), _total(rows, [0]))
    on_section()
    borough, stratum = _("Alcaldía"), _("Estrato de desarrollo social")
    tables["proposals_borough"] = _proposal_table("proposals_borough", _("Propuestas y selección por alcaldía"),
                                                  borough, _proposal_counts(year, "borough"))
    on_section()
    tables["proposals_stratum"] = _proposal_table("proposals_stratum", _("Propuestas y selección por estrato"),
                                                  stratum, _proposal_counts(year, "stratum"))
    on_section()
    tables["money_borough"] = _money_table("money_borough", _("Dinero por alcaldía (MXN)"), borough,
                                           _money(year, "borough"))
    on_section()
    tables["money_stratum"] = _money_table("money_stratum", _("Dinero por estrato (MXN)"), stratum,
                                           _money(year, "stratum"))
    on_section()
    summary = _summary(tables["proposals_borough"], tables["money_borough"])
    return AnnualFigures(year=year, call_title=call.title, tables={"summary": summary, **tables})
