"""A funded project with something in every section of its public page, built through the real services:
verified invoice from a company, a simple receipt paid to a person, an endorsed progress report with its
photo, logbook entries; and the one-liners that publish what the coordination chooses."""

from decimal import Decimal

from django.utils import timezone

from projects import services
from projects.models import CommitteeSeat
from projects.workflow import ReportAction
from tests.factories import PDF_BYTES, upload
from tests.projects.conftest import two_tranche_call
from tests.projects.execution_helpers import in_execution_project, photo, record_invoice, verify
from tests.projects.helpers import staff_people

PERSON = "Juana Pérez Distintiva"  # paid by simple receipt: the public never sees her name
COMMITTEE_PERSON = "Rosa Comitiva Ejemplo"


def works_project(*, released=True, year=2029):
    people = staff_people()
    works = in_execution_project(two_tranche_call(year=year), people, released=released)
    # One recognisable name on a committee seat, to see when the call's rule shows it.
    CommitteeSeat.objects.filter(pk=works.project.seats.order_by("id").first().pk).update(full_name=COMMITTEE_PERSON)
    return works, people


def simple_receipt(works, *, amount=Decimal("2500.00")):
    return services.expense_record_simple(
        actor=works.admin, project_id=works.project.pk, budget_line_id=works.lines[1].pk,
        spent_on=timezone.localdate(), supplier=PERSON, concept="Pago de jornales", amount=amount,
        receipt=upload("recibo.pdf", PDF_BYTES, "application/pdf"))


def endorsed_report(works, percent=40, photos=1):
    report = services.progress_report_submit(actor=works.admin, project_id=works.project.pk,
                                             physical_percent=percent, summary="Avance de la obra.",
                                             photos=[photo(f"obra{i}.jpg") for i in range(photos)])
    services.progress_report_transition(actor=works.supervision, report_id=report.pk, action=ReportAction.ENDORSE)
    return report


def full_project(*, year=2029):
    """Everything the page can show, nothing published yet."""
    works, people = works_project(year=year)
    invoice = record_invoice(works, subtotal=Decimal("10000.00"))
    verify(works, invoice, people["finance"])
    receipt = simple_receipt(works)
    report = endorsed_report(works)
    entry = services.logbook_write(actor=works.admin, project_id=works.project.pk,
                                   happened_on=timezone.localdate(),
                                   text="Llegó el cemento a la obra.")
    hidden = services.logbook_write(actor=works.admin, project_id=works.project.pk, happened_on=timezone.localdate(),
                                    text="Nota interna que no se publica.")
    return {"works": works, "people": people, "project": works.refresh(), "invoice": invoice, "receipt": receipt,
            "report": report, "photo": report.photos.get(), "entry": entry, "hidden_entry": hidden}
