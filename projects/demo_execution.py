"""Demo data of the works stage: spending proved with CFDI invoices and receipts, progress reports with
photos, the logbook, site visits, the ways a project ends (suspended, closed with its refund, cancelled
with its refund open) and the steps between the end of the works and the closure. Everything goes
through the real services, as in projects/demo.py.

- 0003 is in execution: invoices at every step of their path, a labour receipt, two progress reports,
  a logbook with a correction, and a visit with one observation overdue and one answered;
- 0004 proved its first tranche and reported 72.5 %: its second tranche is requested;
- 0005 was suspended before its first tranche left (withheld);
- 0006 is closed: everything verified, handover signed, accountability assembly held, refund recorded;
- 0007 was cancelled with part of its money proved: its refund waits for finance;
- 0008 finished its works: the handover record waits for the coordination;
- 0009 handed its works over: the accountability assembly is still to be held, the refund waits.
"""

import io
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_UP, Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Sum
from PIL import ExifTags, Image, ImageDraw, ImageFont
from PIL.TiffImagePlugin import IFDRational

from accounts.models import User
from notifications.services import muted
from projects import services
from projects.cfdi_samples import cfdi_xml
from projects.demo_timeline import backdate_expense, backdate_milestones, backdate_records, backdate_report
from projects.models import (
    CommitteeKind,
    Expense,
    LogbookEntry,
    ProgressReport,
    Project,
    ProjectPhoto,
    ProjectRules,
    SeatPosition,
    SiteVisit,
    VisitObservation,
)
from projects.workflow import (
    EXPENSE_COUNTING_STATES,
    ExpenseAction,
    ProjectAction,
    ProjectState,
    ReportAction,
    TrancheAction,
    TrancheState,
)
from proposals.demo import DEMO_PDF, today_mx
from proposals.models import Call, Proposal

CENT = Decimal("0.01")
IVA = Decimal("1.16")
# Where 0003's court is built: the demo territory has no coordinates, so its proposal gets an
# illustrative point in its unit (Tlalpan) for the photos' distance check. A photo "far" from it was
# taken at Ciudad Universitaria, some 6 km away.
SITE = (Decimal("19.279800"), Decimal("-99.186200"))
NEAR, FAR = (19.27995, -99.18640), (19.33220, -99.18700)

# (issuer RFC, issuer name, what the invoice says) by a word of the budget line's concept.
SUPPLIERS = {
    "piso": ("CAS050315K72", "CEMENTOS Y AGREGADOS DEL SUR SA DE CV", "Cemento gris CPC 30R, bulto de 50 kg"),
    "malla": ("MCV091120TP4", "MALLAS Y CERCAS DEL VALLE SA DE CV", "Malla ciclónica galvanizada y postes"),
    "asesor": ("ACA130604QJ8", "ARQUITECTURA COMUNITARIA AJUSCO SC", "Asesoría técnica de obra"),
    "supervis": ("ISO160212HB3", "INGENIERIA Y SUPERVISION DE OBRA SA DE CV", "Supervisión externa de obra"),
    "juegos": ("JIM100823LS6", "JUEGOS INFANTILES MODULARES DE MEXICO SA DE CV",
               "Juego infantil modular con resbaladilla y columpios"),
    "bancas": ("PCO081107RD2", "PREFABRICADOS DE CONCRETO ORIENTE SA DE CV", "Banca de concreto prefabricada"),
    "verdes": ("VIV120330NE9", "VIVERO Y RIEGO XOCHIMILCO SA DE CV", "Pasto en rollo, árboles y riego por goteo"),
    "luminaria": ("IEC110509GA1", "ILUMINACION Y ENERGIA DEL CENTRO SA DE CV", "Luminaria LED 60 W con poste"),
    "cable": ("CEM070918UT5", "CONDUCTORES ELECTRICOS METROPOLITANOS SA DE CV", "Cable THW calibre 8 y ducto"),
    "vitrinas": ("VMU150127KP3", "VITRINAS Y MUSEOGRAFIA SA DE CV", "Vitrina museográfica de cristal templado"),
    "inmueble": ("MBA040422MX7", "MATERIALES PARA CONSTRUCCION BARRIO ALTO SA DE CV", "Block, cemento y varilla"),
    "sal": ("MBA040422MX7", "MATERIALES PARA CONSTRUCCION BARRIO ALTO SA DE CV",
            "Varilla corrugada 3/8 y cemento gris"),
    "sanitarios": ("HSA180906BC2", "HIDRAULICA Y SANITARIOS DEL AJUSCO SA DE CV", "Muebles sanitarios y tubería"),
}
GENERIC = ("FMC060101AB5", "FERRETERIA Y MATERIALES LA CONSTRUCTORA SA DE CV", "Materiales de construcción")


def _supplier(concept: str) -> tuple[str, str, str]:
    concept = concept.lower()
    return next((found for word, found in SUPPLIERS.items() if word in concept), GENERIC)


@dataclass
class People:
    coordinator: User
    finance: User
    admin: User
    supervision: User


def _people(project: Project, coordinator: User, finance: User) -> People:
    def president(kind):
        return project.seats.filter(committee=kind, position=SeatPosition.PRESIDENT,
                                    ended_at__isnull=True).select_related("user").first().user

    return People(coordinator, finance, president(CommitteeKind.ADMINISTRATION),
                  president(CommitteeKind.SUPERVISION))


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, "application/pdf")


def _started(project: Project, days_ago: int) -> date:
    """When the works began. drive_to_execution set it weeks back already; a demo loaded before the works
    stage existed started them today, and the services refuse dates before the execution start, so it is
    moved back here, before anything is recorded."""
    start = min(project.execution_starts_on, today_mx() - timedelta(days=days_ago))
    Project.objects.filter(pk=project.pk).update(execution_starts_on=start)
    project.execution_starts_on = start
    return start


# --- Files the committees upload ------------------------------------------------------------------------

def photo(text: str, colours: tuple, *, at: tuple[float, float] | None = None, taken: datetime | None = None,
          name: str = "obra.jpg") -> SimpleUploadedFile:
    """A phone-like JPEG: a coloured gradient with a caption and, when given, the EXIF GPS position and
    time the server keeps before stripping the metadata."""
    width, height = 640, 480
    image = Image.new("RGB", (width, height))
    top, bottom = colours
    draw = ImageDraw.Draw(image)
    for y in range(height):
        mix = y / (height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * mix) for a, b in zip(top, bottom, strict=True)))
    font = ImageFont.load_default(size=30)
    draw.rectangle([(0, height - 70), (width, height)], fill=(0, 0, 0))
    draw.text((20, height - 55), text, fill=(255, 255, 255), font=font)
    exif = Image.Exif()
    if at is not None:
        exif[ExifTags.IFD.GPSInfo] = {
            ExifTags.GPS.GPSLatitudeRef: "N" if at[0] >= 0 else "S", ExifTags.GPS.GPSLatitude: _dms(at[0]),
            ExifTags.GPS.GPSLongitudeRef: "E" if at[1] >= 0 else "W", ExifTags.GPS.GPSLongitude: _dms(at[1])}
    if taken is not None:
        exif[ExifTags.IFD.Exif] = {ExifTags.Base.DateTimeOriginal: taken.strftime("%Y:%m:%d %H:%M:%S"),
                                   ExifTags.Base.OffsetTimeOriginal: "-06:00"}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=80, exif=exif.tobytes())
    upload = SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")
    upload.caption = text  # what the committee writes under it (see report)
    return upload


def _dms(value: float):
    """Decimal degrees as the degrees, minutes and seconds (EXIF rationals) a camera writes."""
    value = abs(value)
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    seconds = round(((value - degrees) * 60 - minutes) * 60 * 100)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), IFDRational(seconds, 100)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour, 30))


# --- Spending -------------------------------------------------------------------------------------------

def invoice(project: Project, people: People, line, *, total: Decimal, day: date, concept: str = "",
            supplier: tuple[str, str, str] | None = None, seed: str = "") -> Expense:
    """Record an expense proved by a CFDI 4.0 invoice of `total` (IVA included) made here, as the
    supplier's invoicing system would, addressed to the call's receiver RFC."""
    rfc, name, description = supplier or _supplier(line.concept)
    folio = str(uuid.uuid5(uuid.NAMESPACE_URL, f"nicp-demo/{project.code}/{seed or concept}/{total}")).upper()
    xml = cfdi_xml(uuid=folio, issuer_rfc=rfc, issuer_name=name,
                   receiver_rfc=ProjectRules.for_call(project.call).receiver_rfc, issued_at=_at(day),
                   subtotal=(total / IVA).quantize(CENT), total=total, concept=concept or description)
    return services.expense_record_invoice(
        actor=people.admin, project_id=project.pk, budget_line_id=line.pk, concept=concept or description,
        xml=SimpleUploadedFile(f"{folio}.xml", xml, "application/xml"), pdf=_pdf(f"{folio}.pdf"))


def endorse(people: People, expense: Expense) -> Expense:
    return services.expense_transition(actor=people.supervision, expense_id=expense.pk, action=ExpenseAction.ENDORSE)


def verify(people: People, expense: Expense) -> Expense:
    endorse(people, expense)
    verified = services.expense_transition(actor=people.finance, expense_id=expense.pk, action=ExpenseAction.VERIFY)
    backdate_expense(verified)
    return verified


def prove(project: Project, people: People, amount: Decimal, *, first_day: date, every_days: int = 6) -> None:
    """Verified invoices for `amount`, one per budget line, shared by what each line still has to spend
    (rounded up to the cent but the last, so no line goes over its budget)."""
    lines = list(project.proposal.budget_lines.all())
    spent = {row["budget_line"]: row["total"] for row in project.expenses.filter(
        status__in=EXPENSE_COUNTING_STATES).values("budget_line").annotate(total=Sum("amount"))}
    room = [line.amount - spent.get(line.pk, Decimal("0")) for line in lines]
    left, whole = amount, sum(room)
    for n, (line, free) in enumerate(zip(lines, room, strict=True)):
        share = left if n == len(lines) - 1 else (amount * free / whole).quantize(CENT, ROUND_UP)
        left -= share
        if share > 0:
            verify(people, invoice(project, people, line, total=share, day=first_day + timedelta(days=n * every_days),
                                   seed=f"{line.pk}/{first_day}"))


def report(project: Project, people: People, percent: str, summary: str, photos: list, *, on: date,
           endorsed: bool = True):
    """A progress report sent on day `on` and, unless told not to, endorsed by supervision three days later."""
    made = services.progress_report_submit(actor=people.admin, project_id=project.pk,
                                           physical_percent=Decimal(percent), summary=summary, photos=photos)
    if endorsed:
        services.progress_report_transition(actor=people.supervision, report_id=made.pk,
                                            action=ReportAction.ENDORSE)
    backdate_report(made, submitted_on=on, endorsed_on=on + timedelta(days=3) if endorsed else None)
    # The committee writes what each photo shows (the public page uses it as the photo's description).
    for made_photo, upload in zip(made.photos.order_by("id"), photos, strict=True):
        ProjectPhoto.objects.filter(pk=made_photo.pk).update(caption=upload.caption)
    return made


def _tranche(project: Project, people: People, number: int, *, release: bool = True, on: date | None = None):
    """Request, approve and (unless told not to) release a tranche, transferred on day `on` (today)."""
    tranche = project.tranches.get(number=number)
    services.tranche_transition(actor=people.admin, tranche_id=tranche.pk, action=TrancheAction.REQUEST)
    services.tranche_transition(actor=people.coordinator, tranche_id=tranche.pk, action=TrancheAction.APPROVE)
    if release:
        services.tranche_transition(actor=people.finance, tranche_id=tranche.pk, action=TrancheAction.RELEASE,
                                    transfer_reference=f"SPEI-{project.code}-{number}",
                                    transfer_date=on or today_mx())


# --- 0003: the works under way --------------------------------------------------------------------------

def _works_under_way(project: Project, people: People) -> None:
    Proposal.objects.filter(pk=project.proposal_id).update(latitude=SITE[0], longitude=SITE[1])
    start = _started(project, 63)
    floor, fence, advice, _supervision = list(project.proposal.budget_lines.all())[:4]

    def day(n):
        return start + timedelta(days=n)

    cement = invoice(project, people, floor, total=Decimal("56260.00"), day=day(3),
                     concept="Cemento gris CPC 30R, 200 bultos de 50 kg")
    rebar = invoice(project, people, floor, total=Decimal("42688.00"), day=day(8),
                    concept="Varilla corrugada de 3/8, 180 piezas de 12 m",
                    supplier=("AVT110221N85", "ACEROS Y VARILLAS TLALPAN SA DE CV", ""))
    mesh = invoice(project, people, fence, total=Decimal("106720.00"), day=day(15),
                   concept="Malla ciclónica galvanizada de 4 m, 120 m lineales con postes")
    design = invoice(project, people, advice, total=Decimal("52200.00"), day=day(22),
                     concept="Asesoría técnica: proyecto ejecutivo y trazo")
    for expense in (cement, rebar, mesh, design):
        verify(people, expense)
    labour = services.expense_record_simple(
        actor=people.admin, project_id=project.pk, budget_line_id=floor.pk, spent_on=day(29),
        supplier="Juan Carlos Hernández Ruiz", concept="Mano de obra: albañil y dos ayudantes, semanas 3 y 4",
        amount=Decimal("14500.00"), receipt=_pdf("recibo-mano-de-obra.pdf"))
    verify(people, labour)
    paint = invoice(project, people, floor, total=Decimal("21344.00"), day=day(44),
                    concept="Pintura de tráfico para la demarcación de la cancha, 12 cubetas de 19 l",
                    supplier=("PRC140811SW6", "PINTURAS Y RECUBRIMIENTOS COYOACAN SA DE CV", ""))
    endorse(people, paint)  # waits for finance
    lights = invoice(project, people, fence, total=Decimal("64960.00"), day=day(50),
                     concept="Luminarias LED de 150 W para la cancha, 8 piezas",
                     supplier=("IEC110509GA1", "ILUMINACION Y ENERGIA DEL CENTRO SA DE CV", ""))
    endorse(people, lights)
    services.expense_transition(
        actor=people.finance, expense_id=lights.pk, action=ExpenseAction.OBSERVE,
        note="Las luminarias están cargadas a «Malla perimetral». Cárgalas al concepto que corresponde o "
             "explica por qué van en ese concepto.")
    invoice(project, people, floor, total=Decimal("9860.00"), day=day(56),
            concept="Grava y arena para el firme, 6 m³",
            supplier=("CAS050315K72", "CEMENTOS Y AGREGADOS DEL SUR SA DE CV", ""))  # waits for supervision

    report(project, people, "35", "Trazo, nivelación y firme de concreto en la mitad norte de la cancha; se "
           "colocaron los postes de la malla perimetral.",
           [photo("Firme de concreto, mitad norte", ((90, 110, 130), (170, 160, 140)), at=NEAR,
                  taken=_at(day(27), 12))], on=day(28))
    report(project, people, "55", "Firme terminado en toda la cancha y malla perimetral colocada en tres "
           "lados. Falta la demarcación y el alumbrado.",
           [photo("Malla perimetral colocada", ((60, 120, 80), (200, 210, 170)), at=NEAR, taken=_at(day(57), 11)),
            photo("Entrega de material en bodega", ((150, 90, 60), (230, 200, 160)), at=FAR,
                  taken=_at(day(57), 16), name="bodega.jpg")],
           on=day(58), endorsed=False)  # waits for supervision

    services.logbook_write(actor=people.admin, project_id=project.pk, happened_on=day(1),
                           text="Inicio de obra: limpieza del terreno, trazo y nivelación. Asistieron ocho "
                                "vecinas y vecinos a la faena.")
    services.logbook_write(actor=people.supervision, project_id=project.pk, happened_on=day(12),
                           text="Se recibieron 200 bultos de cemento y 180 varillas; se revisaron contra la "
                                "factura y se guardaron en la bodega del salón ejidal.",
                           photos=[photo("Material recibido", ((120, 120, 120), (200, 190, 170)), at=NEAR)])
    pour = services.logbook_write(actor=people.admin, project_id=project.pk, happened_on=day(26),
                                  text="Colado del firme de la mitad norte: 120 m².")
    services.logbook_write(actor=people.admin, project_id=project.pk, happened_on=day(27), corrects_id=pour.pk,
                           text="Corrección: el colado del día fue de 210 m², no 120 m² (se midió con el "
                                "supervisor).")

    visit = services.site_visit_record(
        actor=people.coordinator, project_id=project.pk, visited_on=day(40),
        findings="Avance acorde al informe; el firme tiene buen acabado. La zona de obra no está señalizada y "
                 "faltan las notas de remisión de la grava.",
        observations=[("Señaliza y delimita la zona de obra con cinta y letreros.", today_mx() + timedelta(days=1)),
                      ("Entrega las notas de remisión de la grava y la arena.", today_mx() + timedelta(days=2))],
        photos=[photo("Visita de supervisión", ((70, 90, 140), (180, 190, 220)), at=NEAR)])
    unmarked, notes = visit.observations.order_by("answer_due_on")
    # The committee had ten days to answer and let the deadline pass: the demo is written in a single day
    # and the service only takes future deadlines, so the deadline is moved back here.
    VisitObservation.objects.filter(pk=unmarked.pk).update(answer_due_on=day(50))
    services.observation_answer(actor=people.admin, observation_id=notes.pk,
                                answer="Se entregaron las notas de remisión en la oficina de la coordinación "
                                       "y se subieron a la bitácora.")


# --- 0004: first tranche proved, second requested ----------------------------------------------------

def _second_requested(project: Project, people: People) -> None:
    start = _started(project, 95)
    prove(project, people, project.tranches.get(number=1).amount, first_day=start + timedelta(days=5))
    report(project, people, "40", "Demolición de las bancas viejas y preparación del terreno.",
           [photo("Preparación del terreno", ((110, 90, 60), (190, 170, 120)), taken=_at(start + timedelta(days=29)))],
           on=start + timedelta(days=30))
    report(project, people, "72.50", "Juegos infantiles instalados; bancas colocadas; falta el riego y el pasto.",
           [photo("Juegos infantiles instalados", ((40, 120, 160), (220, 200, 90)),
                  taken=_at(start + timedelta(days=84)))], on=start + timedelta(days=85))
    services.tranche_transition(actor=people.admin, tranche_id=project.tranches.get(number=2).pk,
                                action=TrancheAction.REQUEST)


# --- 0005: suspended -------------------------------------------------------------------------------------

def _suspended(project: Project, people: People) -> None:
    _tranche(project, people, 1, release=False)
    services.project_transition(
        actor=people.coordinator, project_id=project.pk, action=ProjectAction.SUSPEND,
        note="La alcaldía informó que la posesión del inmueble está en litigio. Se suspende el proyecto y se "
             "retiene la primera ministración hasta que presenten la constancia de posesión.")


# --- 0006: closed with its refund; 0008: works completed; 0009: in accountability -----------------------

@dataclass
class Works:
    """A project's works from start to finish: the report at about three quarters (day, text, photo), the
    second tranche a week later, the final report (day, text, photo), and what was left unspent."""
    midway: tuple[int, str, str, tuple]
    done: tuple[int, str, str, tuple]
    unspent: Decimal


def _works_done(project: Project, people: People, works: Works) -> None:
    """Both tranches proved but what was left unspent, progress reported up to 100 %, works declared
    complete."""
    start = project.execution_starts_on
    first, second = project.tranches.order_by("number")
    prove(project, people, first.amount, first_day=start + timedelta(days=4))
    day, summary, caption, colours = works.midway
    report(project, people, "75", summary, [photo(caption, colours, taken=_at(start + timedelta(days=day - 1)))],
           on=start + timedelta(days=day))
    _tranche(project, people, 2, on=start + timedelta(days=day + 7))
    prove(project, people, second.amount - works.unspent, first_day=start + timedelta(days=day + 17))
    day, summary, caption, colours = works.done
    report(project, people, "100", summary, [photo(caption, colours, taken=_at(start + timedelta(days=day - 1), 20))],
           on=start + timedelta(days=day))
    services.project_transition(actor=people.coordinator, project_id=project.pk, action=ProjectAction.COMPLETE_WORKS)


def _closed(project: Project, people: People) -> None:
    # Part of the second tranche was not spent: it goes back with the refund.
    _works_done(project, people, Works(
        (58, "Postes colocados y cableado subterráneo terminado en todo el andador.", "Postes del andador",
         ((30, 40, 80), (120, 140, 190))),
        (122, "Las 24 luminarias encienden; la alcaldía probó el circuito.", "Andador iluminado de noche",
         ((10, 10, 40), (240, 200, 80))), Decimal("28500.82")))
    services.handover_generate(actor=people.coordinator, project_id=project.pk,
                               delivered_on=today_mx() - timedelta(days=12),
                               works_delivered="24 luminarias LED de 60 W con sus postes y 480 m de cableado "
                                               "subterráneo en el andador principal.")
    services.handover_upload_signed(actor=people.admin, project_id=project.pk, upload=_pdf("acta-firmada.pdf"))
    services.project_transition(actor=people.coordinator, project_id=project.pk,
                                action=ProjectAction.OPEN_ACCOUNTABILITY)
    services.accountability_record(
        actor=people.admin, project_id=project.pk, held_on=today_mx() - timedelta(days=5), attendance=87,
        reported="Se informó la obra entregada, lo gastado por concepto con sus facturas y el reintegro de lo "
                 "no ejercido.", minutes=_pdf("acta-asamblea.pdf"))
    services.refund_record(actor=people.finance, project_id=project.pk, transfer_reference=f"REINT-{project.code}",
                           transfer_date=today_mx() - timedelta(days=2))
    services.project_close(actor=people.coordinator, project_id=project.pk, note="Obra entregada y cuentas rendidas.")


def _works_completed(project: Project, people: People) -> None:
    """Works finished ten days ago: the handover record waits for the coordination."""
    _works_done(project, people, Works(
        (48, "Estructura del escenario y techumbre colocadas; gradas coladas en dos de tres niveles.",
         "Techumbre del escenario", ((120, 70, 40), (220, 190, 150))),
        (100, "Foro terminado: escenario, gradas, camerino y bodega; se probó el sonido con el grupo de danza.",
         "Foro terminado con las gradas", ((60, 40, 90), (230, 180, 120))), Decimal("0")))


def _in_accountability(project: Project, people: People) -> None:
    """Works handed over a week ago: the accountability assembly is still to be held and the unspent money
    waits to be refunded."""
    _works_done(project, people, Works(
        (55, "Piso de concreto pulido colado en toda la cancha; postes de la malla colocados.",
         "Piso de la cancha colado", ((100, 100, 110), (190, 190, 180))),
        (118, "Cancha terminada con tableros, porterías, malla y alumbrado; el torneo del barrio ya la usa.",
         "Cancha terminada con tableros y porterías", ((40, 110, 70), (210, 220, 160))), Decimal("12400.50")))
    services.handover_generate(actor=people.coordinator, project_id=project.pk,
                               delivered_on=today_mx() - timedelta(days=7),
                               works_delivered="Cancha de usos múltiples de 600 m² con piso de concreto pulido, "
                                               "tableros, porterías, malla perimetral y alumbrado.")
    services.handover_upload_signed(actor=people.admin, project_id=project.pk, upload=_pdf("acta-firmada.pdf"))
    services.project_transition(actor=people.coordinator, project_id=project.pk,
                                action=ProjectAction.OPEN_ACCOUNTABILITY)


# --- 0007: cancelled, its refund open --------------------------------------------------------------------

def _cancelled(project: Project, people: People) -> None:
    start = project.execution_starts_on
    prove(project, people, Decimal("212345.60"), first_day=start + timedelta(days=6), every_days=9)
    services.logbook_write(actor=people.admin, project_id=project.pk, happened_on=start + timedelta(days=40),
                           text="Protección Civil revisó el predio y dictaminó riesgo por hundimiento; se "
                                "detiene la obra.")
    services.project_transition(
        actor=people.coordinator, project_id=project.pk, action=ProjectAction.CANCEL,
        note="El dictamen de Protección Civil declara el predio zona de riesgo: no se puede construir ahí. "
             "Lo ministrado que no se comprobó se reintegra.")


# The projects taken to their ends: code order → (how to end, when its works began in days, first tranche
# released).
ENDINGS = {4: (_suspended, 20, False), 5: (_closed, 150, True), 6: (_cancelled, 80, True),
           7: (_works_completed, 110, True), 8: (_in_accountability, 132, True)}


def seed_works(call: Call | None) -> int:
    """Record the works of the call's projects in execution and take five more further; once anyone
    recorded an expense, a report, a logbook entry or a visit in the call's projects, a second run changes
    nothing. Returns how many projects were driven."""
    from projects.demo import drive_to_execution

    if call is None:
        return 0
    rows = Project.objects.filter(call=call)
    if any(model.objects.filter(project__in=rows).exists()
           for model in (Expense, ProgressReport, LogbookEntry, SiteVisit)):
        return 0
    coordinator = User.objects.get(email="coordinacion@demo.nicp.mx")
    finance = User.objects.get(email="finanzas@demo.nicp.mx")
    driven = 0
    with muted():
        for n, project in enumerate(rows.order_by("code")[:max(ENDINGS) + 1]):
            if n == 2 and project.status == ProjectState.IN_EXECUTION:
                _works_under_way(project, _people(project, coordinator, finance))
            elif (n == 3 and project.status == ProjectState.IN_EXECUTION
                  and project.tranches.filter(number=2, status=TrancheState.PLANNED).exists()):
                _second_requested(project, _people(project, coordinator, finance))
            elif n in ENDINGS and project.status == ProjectState.COMMITTEES_PENDING and not project.elections.exists():
                end, began, release = ENDINGS[n]
                drive_to_execution(project, n, works_began_days_ago=began, release=release)
                project.refresh_from_db()
                end(project, _people(project, coordinator, finance))
            else:
                continue
            backdate_milestones(project)
            backdate_records(project)
            driven += 1
    return driven
