"""Demo data for this year's open call: one proposal per group, in the group's own territorial unit,
at every step of the review, with dates inside the call's windows. Idempotent.

The open call is live: what has not happened yet (future assemblies) goes through the services and
their date rules; what already happened (assemblies held before today) is written as history.
"""

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import CommunityGroup, User
from proposals import services
from proposals.demo_content import TYPES, budget_for, texts_for, title_for
from proposals.models import Assembly, Call, Proposal, ProposalEvent
from proposals.models.calls import MEXICO_CITY
from proposals.models.review import AssemblyStatus
from proposals.workflow import ProposalAction, ProposalState

DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
# Neighbourhood assemblies are held on weekends, in daytime.
ASSEMBLY_HOURS = [10, 11, 12, 16, 17, 18]
PLACES = ["Explanada de la parroquia", "Patio de la escuela primaria", "Deportivo del barrio", "Casa ejidal",
          "Plaza cívica", "Salón de la unidad habitacional"]

# The demo applicants' own proposals (their start pages show a draft, a returned one and an assembly).
NAMED = {
    "Vecinas y Vecinos Unidos de Aculco": [
        ("Parque de bolsillo La Ermita", "park", "submitted"),
        ("Alumbrado del andador Aculco", "lighting", "draft"),
        ("Cancha de usos múltiples de Aculco", "sports", "returned"),
        ("Centro cultural El Molino", "cultural_centre", "assembly_scheduled"),
    ],
    "Asociación Vecinal Buenos Aires": [
        ("Centro comunitario Buenos Aires", "community_centre", "submitted"),
        ("Escaleras de la calle Dr. Lucio", "stairs_walkways", "draft"),
        ("Jardín de la calle Dr. Lavista", "park", "withdrawn"),
    ],
}
# Every other demo group: one proposal each, in these states (cycled).
OTHER_STATES = ["submitted", "in_review", "eligible", "submitted", "assembly_scheduled", "in_review", "draft",
                "submitted", "returned_late", "in_review", "eligible", "assembly_scheduled", "submitted", "in_review",
                "submitted", "assembly_approved", "draft", "submitted"]


def today_mx() -> date:
    return timezone.now().astimezone(MEXICO_CITY).date()


def demo_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 400), (120, 150, 90)).save(out, format="JPEG")
    return out.getvalue()


def weekend_days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)
            if (start + timedelta(days=i)).weekday() >= 5]


def at(day: date, n: int) -> datetime:
    return datetime.combine(day, time(ASSEMBLY_HOURS[n % len(ASSEMBLY_HOURS)], 0), MEXICO_CITY)


def seed_open_call(coordinator: User) -> Call:
    today = today_mx()
    year = today.year + 1
    existing = Call.objects.filter(fiscal_year=year).first()
    if existing:
        return existing
    # Registration is in its last weeks; proposals sent early already had their assembly.
    call = Call(
        fiscal_year=year, title=f"Convocatoria de Mejoramiento Barrial {year}",
        summary="Convocatoria de demostración: fechas calculadas a partir del día en que se cargó la demo.",
        total_budget=Decimal("120000000"), eligible_project_types=TYPES,
        excluded_works="Pavimentación\nBacheo\nBanquetas\nGuarniciones", priority_strata=["muy_bajo", "bajo"],
        registration_opens_on=today - timedelta(days=45), registration_closes_on=today + timedelta(days=20),
        assembly_window_starts_on=today - timedelta(days=30), assembly_window_ends_on=today + timedelta(days=45),
        technical_review_deadline=today + timedelta(days=60), committee_date=today + timedelta(days=70),
        results_date=today + timedelta(days=80), execution_deadline=today + timedelta(days=330),
        assembly_quorum=30, required_attachment_kinds=["site_photo", "public_land_proof"],
    )
    call = services.call_save(
        actor=coordinator, call=call,
        modalities=[{"modality": "new", "min_amount": Decimal("800000"), "max_amount": Decimal("1450000")},
                    {"modality": "continuation", "min_amount": Decimal("300000"), "max_amount": Decimal("900000")}],
        tranches=[{"number": 1, "share_percent": Decimal("70"), "progress_required_percent": 0,
                   "previous_spending_verified": False},
                  {"number": 2, "share_percent": Decimal("30"), "progress_required_percent": 70,
                   "previous_spending_verified": True}],
        rubric=[{"name": "Prioridad por estrato de desarrollo social", "weight": Decimal("30"), "computed": "stratum"},
                {"name": "Población beneficiada por peso", "weight": Decimal("20"), "computed": "population_per_peso"},
                {"name": "Calidad técnica del proyecto", "weight": Decimal("30"), "computed": ""},
                {"name": "Participación comunitaria", "weight": Decimal("20"), "computed": ""}],
    )
    return services.call_transition(actor=coordinator, call_id=call.pk, action="publish")


def complete(proposal: Proposal, actor: User, *, project_type: str, amount: Decimal, photo: bytes) -> None:
    services.proposal_update(actor=actor, proposal_id=proposal.pk, data={
        "address": "Calle Principal s/n, frente a la plaza", "project_type": project_type, "modality": "new",
        **texts_for(project_type), "population_benefited": 1800 + int(amount) % 2700,
        "schedule": "Mes 1: trabajos preliminares\nMes 2-4: obra\nMes 5: entrega y asamblea de cierre",
    })
    services.budget_lines_save(actor=actor, proposal_id=proposal.pk, lines=budget_for(project_type, amount))
    services.attachment_add(actor=actor, proposal_id=proposal.pk, kind="site_photo",
                            upload=SimpleUploadedFile("predio.jpg", photo, "image/jpeg"))
    services.attachment_add(actor=actor, proposal_id=proposal.pk, kind="public_land_proof",
                            upload=SimpleUploadedFile("constancia.pdf", DEMO_PDF, "application/pdf"))


def held_assembly(proposal: Proposal, coordinator: User, when: datetime, n: int) -> Assembly:
    """An assembly already held and its outcome recorded (history: the scheduling rules look forward)."""
    assembly = Assembly.objects.create(
        proposal=proposal, status=AssemblyStatus.APPROVED, scheduled_at=when, place=PLACES[n % len(PLACES)],
        convened_by="Comité vecinal", quorum_required=proposal.call.assembly_quorum, attendees=52 + n,
        votes_for=44 + n, votes_against=5, abstentions=3, scheduled_by=coordinator, recorded_by=coordinator,
        recorded_at=when + timedelta(hours=3))
    for action, target in ((ProposalAction.SCHEDULE_ASSEMBLY, ProposalState.ASSEMBLY_SCHEDULED),
                           (ProposalAction.APPROVE_IN_ASSEMBLY, ProposalState.ASSEMBLY_APPROVED)):
        ProposalEvent.objects.create(proposal=proposal, actor=coordinator, action=action, from_state=proposal.status,
                                     to_state=target)
        proposal.status = target
    proposal.version += 1
    proposal.submitted_at = when - timedelta(days=12)  # sent before its assembly was called
    proposal.save(update_fields=["status", "version", "submitted_at"])
    return assembly


class OpenCallSeeder:
    """Walks each demo proposal to its state, numbering assemblies so dates and hours spread out."""

    def __init__(self, call: Call):
        self.call = call
        self.today = today_mx()
        self.coordinator = User.objects.get(email="coordinacion@demo.nicp.mx")
        self.reviewers = [User.objects.get(email="revision@demo.nicp.mx"),
                          User.objects.get(email="revision2@demo.nicp.mx")]
        self.photo = demo_photo()
        window_start = max(call.assembly_window_starts_on, self.today - timedelta(days=30))
        self.past_days = weekend_days(window_start, self.today - timedelta(days=1))[::-1]
        self.future_days = weekend_days(self.today + timedelta(days=2), call.assembly_window_ends_on)
        self.held = self.scheduled = self.assigned = 0

    def create(self, group: CommunityGroup, title: str, project_type: str, state: str, n: int) -> bool:
        if Proposal.objects.filter(call=self.call, group=group, title=title).exists():
            return False
        actor = group.memberships.order_by("pk").first().user
        proposal = services.proposal_create(actor=actor, call=self.call, group=group, title=title)
        if state == "draft":
            services.proposal_update(actor=actor, proposal_id=proposal.pk, data={
                "project_type": project_type, "diagnosis": texts_for(project_type)["diagnosis"]})
            return True
        complete(proposal, actor, project_type=project_type, amount=Decimal(900000 + 25000 * (n % 20)),
                 photo=self.photo)
        if state == "withdrawn":
            services.proposal_transition(actor=actor, proposal_id=proposal.pk, action=ProposalAction.WITHDRAW,
                                         note="El grupo decidió presentarla el próximo año.")
            return True
        services.proposal_transition(actor=actor, proposal_id=proposal.pk, action=ProposalAction.SUBMIT)
        if state in ("returned", "returned_late"):
            services.proposal_transition(actor=self.coordinator, proposal_id=proposal.pk, action="return",
                                         note="Falta la firma del comisariado en la constancia del predio.",
                                         correction_deadline=self.today + timedelta(days=7))
        if state == "returned_late":
            # History: returned weeks ago, its deadline passed without a correction; coordination decides.
            Proposal.objects.filter(pk=proposal.pk).update(correction_deadline=self.today - timedelta(days=3),
                                                           submitted_at=timezone.now() - timedelta(days=30))
        if state in ("submitted", "returned", "returned_late"):
            return True
        services.proposal_transition(actor=self.coordinator, proposal_id=proposal.pk, action="accept")
        if state == "assembly_scheduled":
            day = self.future_days[self.scheduled % len(self.future_days)]
            services.assembly_schedule(actor=self.coordinator, proposal_id=proposal.pk, scheduled_at=at(day, n),
                                       place=PLACES[n % len(PLACES)], convened_by="Comité vecinal")
            self.scheduled += 1
        elif state in ("assembly_approved", "in_review"):
            day = self.past_days[self.held % len(self.past_days)]
            held_assembly(Proposal.objects.get(pk=proposal.pk), self.coordinator, at(day, n), n)
            self.held += 1
            if state == "in_review":
                # The demo reviewer has most of the reviews; the other reviewer some.
                reviewer = self.reviewers[1] if self.assigned % 4 == 3 else self.reviewers[0]
                services.reviewers_assign(actor=self.coordinator, proposal_ids=[proposal.pk], reviewer=reviewer)
                self.assigned += 1
        return True


def seed_proposals(call: Call) -> int:
    """The demo applicants' proposals, then one for each other demo group."""
    seeder = OpenCallSeeder(call)
    created = 0
    for group_name, plans in NAMED.items():
        group = CommunityGroup.objects.get(name=group_name)
        for n, (title, project_type, state) in enumerate(plans):
            created += seeder.create(group, title, project_type, state, n)
    others = CommunityGroup.objects.exclude(name__in=NAMED).select_related("neighbourhood").order_by("pk")
    for n, group in enumerate(others[:len(OTHER_STATES)]):
        project_type = TYPES[n % len(TYPES)]
        created += seeder.create(group, title_for(project_type, group.neighbourhood.name, n), project_type,
                                 OTHER_STATES[n], n)
    return created
