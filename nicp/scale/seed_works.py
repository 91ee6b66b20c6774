"""The works stage of the projects that received money: exactly the asked number of expenses in every state
(CFDI rows for invoices), progress reports and logbook entries, and the closure's rows. The figures the
services keep hold on the rows: Σ verified expenses = verified total ≤ released total, each tranche's
proof spread first in, first proved. Inserted a slice of projects at a time."""

import random
import uuid
from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from nicp.scale.seed_tag import FILES
from projects.cfdi_samples import DEMO_RECEIVER_RFC, cfdi_xml
from projects.models import (
    AccountabilityAssembly,
    Cfdi,
    CommitteeKind,
    Expense,
    Handover,
    LogbookEntry,
    ProgressReport,
    Project,
    Refund,
)
from projects.progress import allocate_proof
from projects.workflow import ExpenseState as E
from projects.workflow import ProjectState as P
from projects.workflow import ReportState

CENT = Decimal("0.01")
XML_PATH = f"{FILES}/factura.xml"  # one small stored invoice every generated Cfdi row points to
BIG_EVERY, BIG_SIZE = 997, 400  # now and then a project with a long expense tab (the first one always)
SLICE = 500  # projects per insert
RUNNING_WEIGHTS = {E.VERIFIED: 50, E.ENDORSED: 14, E.RECORDED: 16, E.OBSERVED: 8, E.REJECTED: 5}
SETTLED_WEIGHTS = {E.VERIFIED: 92, E.REJECTED: 8}  # accountability and closed: nothing left open
SUPPLIERS = [("MAT010101AB1", "MATERIALES EL BARRIO SA DE CV"), ("FER990101AA1", "FERRETERÍA LA ESQUINA SA DE CV"),
             ("ELE850505KL3", "ELÉCTRICA DEL VALLE SA DE CV"), ("PIN770707MN4", "PINTURAS Y ACABADOS SA DE CV")]


def stored_invoice() -> str:
    if not default_storage.exists(XML_PATH):
        default_storage.save(XML_PATH, ContentFile(cfdi_xml(uuid=str(uuid.UUID(int=0)))))
    return XML_PATH


def split(total: Decimal, parts: int, rng: random.Random) -> list[Decimal]:
    """`total` in `parts` positive amounts to the cent that add up to it exactly."""
    cents = int(total / CENT)
    parts = max(1, min(parts, cents))
    cuts = sorted(rng.sample(range(1, cents), parts - 1)) if parts > 1 else []
    return [Decimal(b - a) * CENT for a, b in zip([0, *cuts], [*cuts, cents], strict=True)]


def allot(total: int, projects: int, rng: random.Random) -> list[int]:
    """How many expenses each of `projects` gets: exactly `total` in all; every 997th (the first too) gets a
    long tab of up to 400, the rest share what is left unevenly (±a third)."""
    if not projects:
        return []
    big = [i for i in range(projects) if i % BIG_EVERY == 0]
    big_size = min(BIG_SIZE, total // (4 * len(big))) if projects > len(big) else total // len(big)
    rest, others = total - big_size * len(big), projects - len(big)
    counts = [big_size if i % BIG_EVERY == 0 else 0 for i in range(projects)]
    share = [rest // others + (j < rest % others) for j in range(others)] if others else []
    for j in range(0, len(share) - 1, 2):
        moved = rng.randint(0, share[j] // 3)
        share[j], share[j + 1] = share[j] - moved, share[j + 1] + moved
    slots = iter(share)
    counts = [count if i % BIG_EVERY == 0 else next(slots) for i, count in enumerate(counts)]
    if not others:
        counts[0] += total - sum(counts)
    return counts


class WorksStage:
    def __init__(self, projects: list[Project], stage, lines: dict, rng: random.Random):
        """`stage` is the ProjectsStage (its tranches not yet inserted, its people); `lines`: proposal → lines."""
        self.projects, self.stage, self.lines, self.rng = projects, stage, lines, rng
        self.now = timezone.now()
        self.xml = stored_invoice()
        self.expenses: list[Expense] = []
        self.invoices: list[tuple[Expense, Cfdi]] = []
        self.other: dict[type, list] = {}

    def run(self, expenses: int) -> None:
        paid = [k for k, project in enumerate(self.projects) if project.released_total > 0]
        counts = dict(zip(paid, allot(expenses, len(paid), self.rng), strict=True))
        for k, project in enumerate(self.projects):
            self.project(project, k, counts.get(k, 0))
            if (k + 1) % SLICE == 0:
                self.flush()
        self.flush()
        Project.objects.bulk_update(self.projects, ["released_total", "physical_progress", "verified_total"],
                                    batch_size=2000)

    def project(self, project: Project, k: int, count: int) -> None:
        tranches = [tranche for tranche, _events in self.stage.tranches[k]]
        if count:
            settled = project.status in (P.ACCOUNTABILITY, P.CLOSED)
            spent_share = Decimal(self.rng.randrange(85 if settled else 40, 100)) / 100
            weights = SETTLED_WEIGHTS if settled else RUNNING_WEIGHTS
            for amount in split((project.released_total * spent_share).quantize(CENT), count, self.rng):
                status = self.rng.choices(list(weights), list(weights.values()))[0]
                self.expense(project, amount, status)
                if status == E.VERIFIED:
                    project.verified_total += amount
        for tranche, proved in zip(tranches, allocate_proof(project.verified_total, tranches), strict=True):
            tranche.proved_amount = proved
        author = self.stage.people_by_project[(k, CommitteeKind.ADMINISTRATION, 0)]
        if project.physical_progress > 0:
            self.progress(project, author)
        self.closure(project)

    def add(self, row):
        self.other.setdefault(type(row), []).append(row)

    def expense(self, project: Project, amount: Decimal, status: str) -> None:
        rng = self.rng
        spent_on = project.execution_starts_on + timedelta(days=rng.randrange(0, 200))
        simple = rng.random() < 0.15
        rfc, name = rng.choice(SUPPLIERS)
        expense = Expense(project=project, budget_line=rng.choice(self.lines[project.proposal_id]), spent_on=spent_on,
                          concept="Material de obra", kind=Expense.Kind.SIMPLE if simple else Expense.Kind.CFDI,
                          supplier="Persona que cobró" if simple else name, supplier_rfc="" if simple else rfc,
                          amount=amount, status=status, receipt_file=f"{FILES}/recibo.pdf" if simple else "",
                          receipt_public=simple and status == E.VERIFIED,
                          last_note="Revisa el comprobante." if status in (E.OBSERVED, E.REJECTED) else "",
                          version={E.RECORDED: 1, E.ENDORSED: 2, E.OBSERVED: 2}.get(status, 3))
        self.expenses.append(expense)
        if not simple:
            self.invoices.append((expense, Cfdi(
                uuid=str(uuid.UUID(int=rng.getrandbits(128), version=4)).upper(), issuer_rfc=rfc, issuer_name=name,
                receiver_rfc=DEMO_RECEIVER_RFC, issued_at=self.now - timedelta(days=rng.randrange(1, 200)),
                subtotal=(amount / Decimal("1.16")).quantize(CENT), total=amount, currency="MXN", kind="I",
                xml_file=self.xml, sat_status="valid" if status == E.VERIFIED else "unchecked")))

    def progress(self, project: Project, author) -> None:
        """A few endorsed reports up to the physical progress, and the logbook's entries (a third public)."""
        steps = self.rng.randint(1, 3)
        for step in range(1, steps + 1):
            percent = (project.physical_progress * step / steps).quantize(CENT)
            self.add(ProgressReport(
                project=project, due_on=project.execution_starts_on + timedelta(days=30 * step),
                physical_percent=percent, summary="Avance de la obra en el periodo.", status=ReportState.ENDORSED,
                submitted_by=author, endorsed_at=self.now, version=2))
        for index, day in enumerate(sorted(self.rng.sample(range(0, 200), self.rng.randint(2, 5)))):
            self.add(LogbookEntry(project=project, happened_on=project.execution_starts_on + timedelta(day),
                                  text="Se recibió material y se avanzó en la obra.", author=author,
                                  author_role="Comité de Administración", is_public=index % 3 == 0))

    def closure(self, project: Project) -> None:
        """Handover once the works are done (signed from accountability on), the accountability assembly of a
        closed project, and the refund of what was released and not proved (recorded once closed)."""
        if project.status not in (P.WORKS_COMPLETED, P.ACCOUNTABILITY, P.CLOSED, P.CANCELLED):
            return
        signed = project.status in (P.ACCOUNTABILITY, P.CLOSED)
        today = self.now.date()
        if project.status != P.CANCELLED:
            self.add(Handover(project=project, works_delivered="Las obras del proyecto.", delivered_on=today,
                              generated_file=f"{FILES}/entrega.pdf", generated_at=self.now,
                              signed_file=f"{FILES}/entrega-firmada.pdf" if signed else "",
                              signed_uploaded_at=self.now if signed else None, is_public=signed))
        if project.status == P.CLOSED:
            self.add(AccountabilityAssembly(project=project, held_on=today, attendance=70,
                                            reported="Se informó el gasto y el avance.",
                                            minutes_file=f"{FILES}/rendicion.pdf", is_public=True))
        due = project.released_total - project.verified_total
        if due > 0 and project.status in (P.ACCOUNTABILITY, P.CLOSED, P.CANCELLED):
            recorded = project.status == P.CLOSED
            self.add(Refund(project=project, amount=due, reason="cancellation" if project.status == P.CANCELLED
                            else "closure", transfer_reference=f"REINT{project.code}" if recorded else "",
                            transfer_date=today if recorded else None, recorded_at=self.now if recorded else None))

    def flush(self) -> None:
        Expense.objects.bulk_create(self.expenses, batch_size=5000)
        for expense, invoice in self.invoices:
            invoice.expense = expense
        Cfdi.objects.bulk_create([invoice for _expense, invoice in self.invoices], batch_size=5000)
        for model, rows in self.other.items():
            model.objects.bulk_create(rows, batch_size=5000)
        self.expenses, self.invoices, self.other = [], [], {}
