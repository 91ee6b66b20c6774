"""The works stage of the benchmark's projects (generate_benchmark_projects): budget lines, expenses in
every state with their invoices, progress reports and logbook entries, built in memory and inserted in
bulk a slice of projects at a time, with the figures the services keep (verified ≤ released, verified
total = Σ verified expenses, each tranche's proof spread first in, first proved)."""

import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from projects.cfdi_samples import DEMO_RECEIVER_RFC, cfdi_xml
from projects.models import Cfdi, Expense, LogbookEntry, ProgressReport, Project
from projects.progress import allocate_proof
from projects.workflow import ExpenseState as E
from projects.workflow import ProjectState as P
from projects.workflow import ReportState
from proposals.models import BudgetLine

CENT = Decimal("0.01")
XML_PATH = "benchmark/factura.xml"  # one small stored invoice every generated Cfdi row points to
LINES = [("works", "Materiales de construcción", Decimal("0.6")), ("works", "Mano de obra", Decimal("0.3")),
         ("technical_assistance", "Herramienta y equipo", Decimal("0.1"))]
EXPENSES_PER_PROJECT = (20, 38)  # ~29 on average: about 200,000 for 10,000 projects (two thirds got money)
BIG_EVERY, BIG_SIZE = 997, 400  # now and then a project with a long expense tab
# How a project's expenses spread over the states while its works run; once in accountability or closed
# every expense is verified or rejected.
RUNNING_WEIGHTS = {E.VERIFIED: 50, E.ENDORSED: 14, E.RECORDED: 16, E.OBSERVED: 8, E.REJECTED: 5}
SETTLED_WEIGHTS = {E.VERIFIED: 92, E.REJECTED: 8}
SUPPLIERS = [("MAT010101AB1", "MATERIALES EL BARRIO SA DE CV"), ("FER990101AA1", "FERRETERÍA LA ESQUINA SA DE CV"),
             ("ELE850505KL3", "ELÉCTRICA DEL VALLE SA DE CV"), ("PIN770707MN4", "PINTURAS Y ACABADOS SA DE CV")]


def stored_invoice() -> str:
    if not default_storage.exists(XML_PATH):
        default_storage.save(XML_PATH, ContentFile(cfdi_xml(uuid=str(uuid.UUID(int=0)))))
    return XML_PATH


def budget_lines(proposal, amount: Decimal) -> list[BudgetLine]:
    rows, left = [], amount
    for position, (chapter, concept, share) in enumerate(LINES):
        price = left if position == len(LINES) - 1 else (amount * share).quantize(CENT)
        left -= price
        rows.append(BudgetLine(proposal=proposal, chapter=chapter, concept=concept, unit="lote", quantity=1,
                               unit_price=price, position=position))
    return rows


def split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """`total` in `parts` positive amounts to the cent that add up to it exactly."""
    cents = int(total / CENT)
    parts = max(1, min(parts, cents))
    cuts = sorted(rng.sample(range(1, cents), parts - 1)) if parts > 1 else []
    return [Decimal(b - a) * CENT for a, b in zip([0, *cuts], [*cuts, cents], strict=True)]


class WorksGenerator:
    """Adds the works stage to projects already inserted (with their tranches built, not yet saved)."""

    def __init__(self, rng: random.Random, now, lines: dict[int, list[BudgetLine]], authors: dict[int, object]):
        self.rng, self.now, self.lines, self.authors = rng, now, lines, authors
        self.xml = stored_invoice()
        self.expenses: list[Expense] = []
        self.invoices: list[tuple[Expense, Cfdi]] = []
        self.reports: list[ProgressReport] = []
        self.entries: list[LogbookEntry] = []

    def project(self, project: Project, tranches: list, n: int) -> None:
        """Expenses within what was released; the verified total and each tranche's proof from them."""
        if project.released_total > 0:
            settled = project.status in (P.ACCOUNTABILITY, P.CLOSED)
            spent_share = Decimal(self.rng.randrange(85 if settled else 40, 100)) / 100
            count = BIG_SIZE if n % BIG_EVERY == 0 else self.rng.randint(*EXPENSES_PER_PROJECT)
            weights = SETTLED_WEIGHTS if settled else RUNNING_WEIGHTS
            for amount in split((project.released_total * spent_share).quantize(CENT), count, self.rng):
                status = self.rng.choices(list(weights), list(weights.values()))[0]
                self.expense(project, amount, status)
                if status == E.VERIFIED:
                    project.verified_total += amount
        for tranche, proved in zip(tranches, allocate_proof(project.verified_total, tranches), strict=True):
            tranche.proved_amount = proved
        if project.physical_progress > 0:
            self.progress(project)

    def expense(self, project: Project, amount: Decimal, status: str) -> None:
        rng = self.rng
        lines = self.lines[project.proposal_id]
        spent_on = project.execution_starts_on + timedelta(days=rng.randrange(0, 200))
        simple = rng.random() < 0.15
        rfc, name = rng.choice(SUPPLIERS)
        expense = Expense(project=project, budget_line=rng.choice(lines), spent_on=spent_on, concept="Material de obra",
                          kind=Expense.Kind.SIMPLE if simple else Expense.Kind.CFDI,
                          supplier="Persona que cobró" if simple else name, supplier_rfc="" if simple else rfc,
                          amount=amount, status=status, receipt_file="benchmark/recibo.pdf" if simple else "",
                          last_note="Revisa el comprobante." if status in (E.OBSERVED, E.REJECTED) else "",
                          version={E.RECORDED: 1, E.ENDORSED: 2, E.OBSERVED: 2}.get(status, 3))
        self.expenses.append(expense)
        if not simple:
            self.invoices.append((expense, Cfdi(
                uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper(), issuer_rfc=rfc, issuer_name=name,
                receiver_rfc=DEMO_RECEIVER_RFC, issued_at=self.now - timedelta(days=rng.randrange(1, 200)),
                subtotal=(amount / Decimal("1.16")).quantize(CENT), total=amount, currency="MXN", kind="I",
                xml_file=self.xml, sat_status="valid" if status == E.VERIFIED else "unchecked")))

    def progress(self, project: Project) -> None:
        """A few reports up to the endorsed progress, and the logbook's entries along the way."""
        author = self.authors[project.pk]
        steps = self.rng.randint(1, 3)
        for step in range(1, steps + 1):
            percent = (project.physical_progress * step / steps).quantize(CENT)
            self.reports.append(ProgressReport(
                project=project, due_on=project.execution_starts_on + timedelta(days=30 * step),
                physical_percent=percent, summary="Avance de la obra en el periodo.", status=ReportState.ENDORSED,
                submitted_by=author, endorsed_at=self.now, version=2))
        for day in sorted(self.rng.sample(range(0, 200), self.rng.randint(2, 5))):
            self.entries.append(LogbookEntry(project=project, happened_on=project.execution_starts_on + timedelta(day),
                                             text="Se recibió material y se avanzó en la obra.", author=author,
                                             author_role="Comité de Administración"))

    def flush(self) -> int:
        """Insert what was built so far; returns how many expenses went in."""
        made = len(self.expenses)
        Expense.objects.bulk_create(self.expenses, batch_size=5000)
        for expense, invoice in self.invoices:
            invoice.expense = expense
        Cfdi.objects.bulk_create([invoice for _expense, invoice in self.invoices], batch_size=5000)
        ProgressReport.objects.bulk_create(self.reports, batch_size=5000)
        LogbookEntry.objects.bulk_create(self.entries, batch_size=5000)
        self.expenses, self.invoices, self.reports, self.entries = [], [], [], []
        return made
