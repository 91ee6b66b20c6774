"""Projects in their works stage for tests, built through the real services: committees elected, agreement
signed, first tranche released; budget lines to spend against; invoices and photos made here."""

import io
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from PIL import Image

from projects import services
from projects.cfdi_samples import cfdi_xml
from projects.models import CommitteeKind, Project
from projects.workflow import ExpenseAction, TrancheAction
from proposals.models import BudgetLine
from tests.factories import upload
from tests.projects.helpers import elect, seat_user, selected_project, start_execution

LINES = [("works", "Materiales de construcción", Decimal("600000")),
         ("works", "Mano de obra", Decimal("300000")),
         ("technical_assistance", "Herramienta y equipo", Decimal("100000"))]


@dataclass
class WorksProject:
    project: Project
    admin: object
    supervision: object
    development: object
    lines: list

    def refresh(self) -> Project:
        self.project.refresh_from_db()
        return self.project


def add_budget_lines(project: Project, lines=LINES) -> list[BudgetLine]:
    return [BudgetLine.objects.create(proposal=project.proposal, chapter=chapter, concept=concept, unit="lote",
                                      quantity=1, unit_price=amount, position=number)
            for number, (chapter, concept, amount) in enumerate(lines)]


def release_tranche(project: Project, number: int, people) -> None:
    tranche = project.tranches.get(number=number)
    admin = seat_user(project)
    services.tranche_transition(actor=admin, tranche_id=tranche.pk, action=TrancheAction.REQUEST)
    services.tranche_transition(actor=people["coordinator"], tranche_id=tranche.pk, action=TrancheAction.APPROVE)
    services.tranche_transition(actor=people["finance"], tranche_id=tranche.pk, action=TrancheAction.RELEASE,
                                transfer_reference=f"SPEI-{project.pk}-{number}",
                                transfer_date=timezone.localdate())


def in_execution_project(call, people, *, amount=Decimal("1000000.00"), released=True) -> WorksProject:
    """A project in execution with its budget lines and (by default) its first tranche released."""
    project = selected_project(call, amount=amount)
    lines = add_budget_lines(project)
    elect(project, people["coordinator"])
    start_execution(project, people["coordinator"], people["finance"])
    if released:
        release_tranche(project, 1, people)
    project.refresh_from_db()
    return WorksProject(project=project, admin=seat_user(project),
                        supervision=seat_user(project, CommitteeKind.SUPERVISION),
                        development=seat_user(project, CommitteeKind.DEVELOPMENT), lines=lines)


def issued_a_moment_ago(minutes: int = 5):
    """A little earlier today in Mexico City, never yesterday: in the first minutes after midnight, «now minus five
    minutes» falls before an execution period that starts today, and the invoice would be refused."""
    now = timezone.localtime()
    return max(now - timedelta(minutes=minutes), now.replace(hour=0, minute=0, second=0, microsecond=0))


def invoice(*, subtotal=Decimal("10000.00"), issued_at=None, **options) -> bytes:
    return cfdi_xml(subtotal=subtotal, issued_at=issued_at or issued_a_moment_ago(), **options)


def record_invoice(works: WorksProject, *, line=0, subtotal=Decimal("10000.00"), concept="Cemento", **options):
    return services.expense_record_invoice(
        actor=works.admin, project_id=works.project.pk, xml=upload("factura.xml", invoice(subtotal=subtotal,
                                                                                          **options)),
        budget_line_id=works.lines[line].pk, concept=concept)


def endorse(works: WorksProject, expense):
    return services.expense_transition(actor=works.supervision, expense_id=expense.pk, action=ExpenseAction.ENDORSE)


def verify(works: WorksProject, expense, finance):
    endorse(works, expense)
    return services.expense_transition(actor=finance, expense_id=expense.pk, action=ExpenseAction.VERIFY)


def jpeg(size=(64, 48), color=(120, 160, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def photo(name="obra.jpg"):
    return upload(name, jpeg(), "image/jpeg")


def jpeg_at(latitude: float, longitude: float) -> bytes:
    """A phone photo whose EXIF says where it was taken (degrees, minutes, seconds as the camera writes)."""
    from PIL import ExifTags
    from PIL.TiffImagePlugin import IFDRational

    def dms(value: float):
        value = abs(value)
        degrees = int(value)
        minutes = int((value - degrees) * 60)
        seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
        return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 100)

    exif = Image.Exif()
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N" if latitude >= 0 else "S", ExifTags.GPS.GPSLatitude: dms(latitude),
        ExifTags.GPS.GPSLongitudeRef: "E" if longitude >= 0 else "W", ExifTags.GPS.GPSLongitude: dms(longitude)}
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (90, 140, 60)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()
