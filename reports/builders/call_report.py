"""The call report (XLSX): every submitted proposal of a call with its place, money, dates, scores and
outcome; a summary per borough; the call's totals.

It is a staff report on what the programme received: proposals never sent (drafts, and drafts withdrawn
before sending) have no folio and are left out. Rows are read in folio order a chunk at a time (keyset on
the folio, the (call, folio) index), with one grouped query per related table and chunk, never one per
row, and written straight to disk, so memory and queries per chunk stay the same at 50,000 proposals."""

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Avg, Max, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import PROPOSAL_READER_ROLES, has_role
from committees.models import Outcome, ScoreSheet, SelectionEntry
from neighbourhoods.models import Stratum
from proposals.models import (
    Assembly,
    AssemblyStatus,
    Call,
    IneligibilityReason,
    Modality,
    ProjectType,
    Proposal,
    ProposalEvent,
    TechnicalReview,
)
from proposals.models.calls import MEXICO_CITY
from proposals.workflow import ProposalAction as A
from proposals.workflow import ProposalState
from reports.registry import ReportKind, register
from reports.sorting import alphabetical
from reports.xlsx import Sheet, workbook

CHUNK = 2000
PK_MAX = 2**31 - 1  # larger is not a call, and would overflow the query on some databases
OUTCOMES = {ProposalState.SELECTED: Outcome.SELECTED, ProposalState.WAITLISTED: Outcome.WAITLISTED,
            ProposalState.NOT_SELECTED: Outcome.NOT_SELECTED}
# The step dates read from the proposal's timeline: column key -> (aggregate, actions).
STEP_EVENTS = {
    "first_submitted": (Min, [A.SUBMIT]),
    "returned": (Max, [A.RETURN]),
    "resubmitted": (Max, [A.RESUBMIT]),
    "eligibility": (Max, [A.ACCEPT, A.REJECT_INELIGIBLE]),
    "shortlisted": (Max, [A.SHORTLIST]),
    "decided": (Max, [A.SELECT, A.WAITLIST, A.NOT_SELECT, A.PROMOTE]),
    "withdrawn": (Max, [A.WITHDRAW]),
}
ROW_FIELDS = ("pk", "folio", "title", "status", "group__name", "neighbourhood__key", "neighbourhood__name",
              "neighbourhood__borough__name", "neighbourhood__stratum", "project_type", "modality",
              "ineligibility_reason", "budget_total", "assigned_amount", "submitted_at", "project__code",
              "project__approved_amount", "project__created_at")


def clean_params(params: dict) -> dict:
    value = params.get("call")
    text = str(value).strip() if value is not None and not isinstance(value, bool) else ""
    if not (text.isascii() and text.isdigit()) or not 0 < int(text) <= PK_MAX:
        raise ValidationError({"call": _("Indica la convocatoria del reporte.")})
    if not Call.objects.filter(pk=int(text)).exists():
        raise ValidationError({"call": _("Esa convocatoria no existe. Revisa el enlace o elige otra.")})
    return {"call": int(text)}


def may_request(user, params: dict) -> bool:
    """Those who read every submitted proposal: coordination, audit, the Committee's secretariat, finance."""
    return (has_role(user, *PROPOSAL_READER_ROLES)
            and Call.objects.visible_to(user).filter(pk=params["call"]).exists())


def title(params: dict) -> str:
    year = Call.objects.filter(pk=params["call"]).values_list("fiscal_year", flat=True).first()
    return _("Reporte de la convocatoria %(year)s") % {"year": year}


def _day(value):
    """A stored instant as the Mexico City date it happened on."""
    return timezone.localtime(value, MEXICO_CITY).date() if value else None


def _labels(choices) -> dict[str, str]:
    """A choice's labels in the report's language, looked up once rather than per row."""
    return {value: str(label) for value, label in choices.choices}


def _money(value) -> Decimal | None:
    return Decimal(value).quantize(Decimal("0.01")) if value is not None else None


class CallReport:
    """Writes the three sheets of one call's report for the person who asked for it."""

    def __init__(self, report, out, progress):
        self.call = Call.objects.get(pk=report.params["call"])
        self.proposals = (Proposal.objects.submitted_visible_to(report.requested_by)
                          .filter(call_id=self.call.pk).exclude(folio=""))
        self.rubric = list(self.call.rubric.values_list("pk", "name"))
        self.out, self.progress = out, progress
        self.strata, self.types, self.modalities = _labels(Stratum), _labels(ProjectType), _labels(Modality)
        self.state_labels, self.reasons = _labels(ProposalState), _labels(IneligibilityReason)
        self.outcomes = {state: str(outcome.label) for state, outcome in OUTCOMES.items()}
        # borough -> state -> [proposals, requested, adjusted, approved]
        self.by_borough = defaultdict(lambda: defaultdict(_zero))

    def columns(self) -> list[tuple[str, int, str]]:
        return [
            (_("Folio"), 15, "text"), (_("Nombre del proyecto"), 40, "text"), (_("Grupo promovente"), 30, "text"),
            (_("Clave de la unidad territorial"), 12, "text"), (_("Unidad territorial"), 30, "text"),
            (_("Alcaldía"), 20, "text"), (_("Estrato (índice de desarrollo social)"), 14, "text"),
            (_("Tipo de proyecto"), 22, "text"), (_("Modalidad"), 22, "text"),
            (_("Monto solicitado"), 16, "money"), (_("Monto ajustado (dictamen técnico)"), 16, "money"),
            (_("Monto aprobado"), 16, "money"), (_("Estado"), 22, "text"),
            (_("Motivo de no elegibilidad"), 24, "text"),
            (_("Enviada"), 12, "date"), (_("Devuelta para correcciones"), 12, "date"), (_("Reenviada"), 12, "date"),
            (_("Decisión de elegibilidad"), 12, "date"), (_("Asamblea vecinal"), 12, "date"),
            (_("Dictamen técnico entregado"), 12, "date"), (_("Pasó al Comité"), 12, "date"),
            (_("Decisión del Comité"), 12, "date"), (_("Retirada"), 12, "date"),
            (_("Clave del proyecto"), 16, "text"), (_("Proyecto creado"), 12, "date"),
            (_("Hojas de calificación"), 10, "int"), (_("Calificación promedio del Comité"), 12, "decimal"),
            *[(_("Calificación: %(criterion)s") % {"criterion": name}, 14, "decimal") for _pk, name in self.rubric],
            (_("Lugar en la prelación"), 10, "int"), (_("Resultado"), 16, "text"),
        ]

    def write(self) -> int:
        book = workbook(self.out)
        # Sheets in reading order; the summaries are filled once every row has been counted.
        rows, boroughs, totals = (Sheet(book, _("Propuestas")), Sheet(book, _("Por alcaldía")),
                                  Sheet(book, _("Totales")))
        rows.header(self.columns())
        total, done = self.proposals.count(), 0
        for chunk, keys in self.chunks():
            for row in self.rows(chunk, keys):
                rows.write_row(row)
            done += len(chunk)
            self.progress(done, total)
        rows.finish()
        self.write_boroughs(boroughs)
        self.write_totals(totals)
        book.close()
        return done

    def chunks(self):
        """The proposals' own columns, CHUNK rows at a time after the last folio read, with the chunk's
        keys as a subquery (its folio range) for the related reads: no list of 2,000 ids sent back."""
        last = ""
        while True:
            chunk = list(self.proposals.filter(folio__gt=last).order_by("folio").values(*ROW_FIELDS)[:CHUNK])
            if chunk:
                yield chunk, self.proposals.filter(folio__gt=last, folio__lte=chunk[-1]["folio"]).values("pk")
            if len(chunk) < CHUNK:
                return
            last = chunk[-1]["folio"]

    def related(self, keys) -> dict[str, dict]:
        """Everything a chunk's rows need from other tables: one grouped query per table."""
        events = (ProposalEvent.objects.filter(proposal_id__in=keys).values("proposal_id")
                  .annotate(**{key: aggregate("created_at", filter=Q(action__in=actions))
                               for key, (aggregate, actions) in STEP_EVENTS.items()}))
        assemblies = (Assembly.objects.filter(proposal_id__in=keys, purpose=Assembly.Purpose.APPROVAL)
                      .exclude(status=AssemblyStatus.CANCELLED)
                      .values("proposal_id").annotate(on=Max("scheduled_at")))
        reviews = (TechnicalReview.objects.filter(proposal_id__in=keys, status=TechnicalReview.Status.SUBMITTED)
                   .values("proposal_id").annotate(adjusted=Avg("adjusted_cost"), on=Max("submitted_at")))
        sheets = defaultdict(list)  # proposal -> [(criterion scores, weighted mean)] of its submitted sheets
        for proposal_id, scores, weighted in (ScoreSheet.objects.filter(
                proposal_id__in=keys, status=ScoreSheet.Status.SUBMITTED)
                .values_list("proposal_id", "scores", "weighted_score")):
            sheets[proposal_id].append((scores if isinstance(scores, dict) else {}, weighted))
        ranks = dict(SelectionEntry.objects.filter(proposal_id__in=keys, session__committee__call_id=self.call.pk)
                     .values_list("proposal_id", "rank"))
        return {"events": {e["proposal_id"]: e for e in events},
                "assemblies": {a["proposal_id"]: a["on"] for a in assemblies},
                "reviews": {r["proposal_id"]: r for r in reviews}, "sheets": sheets, "ranks": ranks}

    def rows(self, chunk: list[dict], keys):
        related = self.related(keys)
        for p in chunk:
            events = related["events"].get(p["pk"], {})
            review = related["reviews"].get(p["pk"], {})
            sheets = related["sheets"].get(p["pk"], [])
            adjusted = _money(review.get("adjusted"))
            approved = _money(p["project__approved_amount"] or p["assigned_amount"])
            self.count(p, adjusted, approved)
            yield [
                p["folio"], p["title"], p["group__name"], p["neighbourhood__key"], p["neighbourhood__name"],
                p["neighbourhood__borough__name"], self.strata.get(p["neighbourhood__stratum"]),
                self.types.get(p["project_type"]), self.modalities.get(p["modality"]),
                p["budget_total"], adjusted, approved, self.state_labels.get(p["status"], p["status"]),
                self.reasons.get(p["ineligibility_reason"], p["ineligibility_reason"]),
                _day(events.get("first_submitted") or p["submitted_at"]), _day(events.get("returned")),
                _day(events.get("resubmitted")), _day(events.get("eligibility")),
                _day(related["assemblies"].get(p["pk"])), _day(review.get("on")), _day(events.get("shortlisted")),
                _day(events.get("decided")), _day(events.get("withdrawn")),
                p["project__code"], _day(p["project__created_at"]),
                len(sheets) or None, self.average([weighted for _scores, weighted in sheets]),
                *[self.average([(scores.get(str(pk)) or {}).get("value") for scores, _w in sheets])
                  for pk, _name in self.rubric],
                related["ranks"].get(p["pk"]),
                self.outcomes.get(p["status"]),
            ]

    @staticmethod
    def average(values) -> Decimal | None:
        numbers = [Decimal(v) for v in values if isinstance(v, int | float | Decimal) and not isinstance(v, bool)]
        return (sum(numbers) / len(numbers)).quantize(Decimal("0.001")) if numbers else None

    def count(self, p: dict, adjusted, approved) -> None:
        borough = p["neighbourhood__borough__name"] or _("Sin unidad territorial")
        figures = self.by_borough[borough][p["status"]]
        figures[0] += 1
        figures[1] += p["budget_total"] or 0
        figures[2] += adjusted or 0
        figures[3] += approved or 0

    def states_present(self) -> list[str]:
        """The states the call's proposals are in, in the workflow's order."""
        present = {state for states in self.by_borough.values() for state in states}
        return [state for state in ProposalState.values if state in present]

    def write_boroughs(self, sheet: Sheet) -> None:
        """One row per borough: its proposals and money, then the count and amount requested per state."""
        states = self.states_present()
        columns = [(_("Alcaldía"), 22, "text"), (_("Propuestas"), 11, "int"), (_("Monto solicitado"), 16, "money"),
                   (_("Monto ajustado (dictamen técnico)"), 16, "money"), (_("Monto aprobado"), 16, "money")]
        for state in states:
            label = self.state_labels[state]
            columns += [(_("%(state)s: propuestas") % {"state": label}, 12, "int"),
                        (_("%(state)s: monto solicitado") % {"state": label}, 16, "money")]
        sheet.header(columns)
        nowhere = _("Sin unidad territorial")
        for name in sorted(self.by_borough, key=lambda name: (name == nowhere, alphabetical(name))):
            by_state = self.by_borough[name]
            sheet.write_row([name, *_sum(by_state.values()), *self.per_state(by_state, states)])
        sheet.finish()
        grand = self.by_state()
        sheet.write_row([_("Total"), *_sum(grand.values()), *self.per_state(grand, states)], bold=True)

    @staticmethod
    def per_state(by_state: dict, states: list[str]) -> list:
        cells = []
        for state in states:
            figures = by_state.get(state) or _zero()
            cells += [figures[0], figures[1]]
        return cells

    def by_state(self) -> dict[str, list]:
        """The call's figures per state, over every borough."""
        grand = defaultdict(_zero)
        for states in self.by_borough.values():
            for state, figures in states.items():
                grand[state] = _sum([grand[state], figures])
        return grand

    def write_totals(self, sheet: Sheet) -> None:
        """The call's key figures, then every state (the empty ones too, so years compare line by line)."""
        sheet.widths([44, 16, 16, 16, 16])
        grand = self.by_state()
        everything = _sum(grand.values())
        facts = [
            (_("Convocatoria"), self.call.title, "text"), (_("Ejercicio fiscal"), self.call.fiscal_year, "int"),
            (_("Presupuesto de la convocatoria"), self.call.total_budget, "money"),
            (_("Propuestas enviadas"), everything[0], "int"), (_("Monto solicitado"), everything[1], "money"),
            (_("Monto ajustado (dictamen técnico)"), everything[2], "money"),
            (_("Seleccionadas"), grand[ProposalState.SELECTED][0], "int"),
            (_("Monto aprobado"), everything[3], "money"),
            (_("En lista de espera"), grand[ProposalState.WAITLISTED][0], "int"),
            (_("No seleccionadas"), grand[ProposalState.NOT_SELECTED][0], "int"),
            (_("Generado el"), timezone.localtime(timezone.now(), MEXICO_CITY).date(), "date"),
        ]
        sheet.line([_("Concepto"), _("Valor")], ["text", "text"], "header")
        for label, value, kind in facts:
            sheet.line([label, value], ["text", kind])
        sheet.row += 1
        kinds = ["text", "int", "money", "money", "money"]
        sheet.line([_("Estado"), _("Propuestas"), _("Monto solicitado"), _("Monto ajustado (dictamen técnico)"),
                    _("Monto aprobado")], ["text"] * 5, "header")
        for state in ProposalState.values:
            if state != ProposalState.DRAFT:
                sheet.line([self.state_labels[state], *grand[state]], kinds)
        sheet.line([_("Total"), *everything], kinds, "bold")


def _zero() -> list:
    """[proposals, requested, adjusted, approved]"""
    return [0, Decimal(0), Decimal(0), Decimal(0)]


def _sum(figures) -> list:
    total = _zero()
    for row in figures:
        for i, value in enumerate(row):
            total[i] += value
    return total


def build(report, out, progress) -> int:
    return CallReport(report, out, progress).write()


register(ReportKind(code="call_report", label=gettext_lazy("Reporte de la convocatoria"), extension="xlsx",
                    clean_params=clean_params, may_request=may_request, title=title, build=build))
