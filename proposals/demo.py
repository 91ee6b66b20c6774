"""Demo data for calls and proposals: an open call and proposals in several states. Idempotent."""

import io
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import CommunityGroup, User
from proposals import services
from proposals.models import Call, Proposal
from proposals.models.calls import MEXICO_CITY
from proposals.workflow import ProposalAction

DEMO_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def demo_photo() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 400), (120, 150, 90)).save(out, format="JPEG")
    return out.getvalue()


def seed_open_call(coordinator: User) -> Call:
    today = timezone.now().astimezone(MEXICO_CITY).date()
    year = today.year + 1
    existing = Call.objects.filter(fiscal_year=year).first()
    if existing:
        return existing
    call = Call(
        fiscal_year=year, title=f"Convocatoria de Mejoramiento Barrial {year}",
        summary="Convocatoria de demostración: fechas calculadas a partir del día en que se cargó la demo.",
        total_budget=Decimal("120000000"), eligible_project_types=[
            "community_centre", "cultural_centre", "park", "sports", "site_museum", "lighting", "stairs_walkways"],
        excluded_works="Pavimentación\nBacheo\nBanquetas\nGuarniciones", priority_strata=["muy_bajo", "bajo"],
        registration_opens_on=today - timedelta(days=20), registration_closes_on=today + timedelta(days=40),
        assembly_window_starts_on=today - timedelta(days=10), assembly_window_ends_on=today + timedelta(days=75),
        technical_review_deadline=today + timedelta(days=90), committee_date=today + timedelta(days=100),
        results_date=today + timedelta(days=110), execution_deadline=today + timedelta(days=330),
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


def _complete(proposal: Proposal, actor: User, *, amount: Decimal) -> None:
    services.proposal_update(actor=actor, proposal_id=proposal.pk, data={
        "address": "Calle Principal s/n, frente a la plaza", "project_type": "park", "modality": "new",
        "diagnosis": "El predio está abandonado y sin iluminación; se usa como tiradero.",
        "objectives": "Recuperar el espacio como parque vecinal seguro.",
        "description": "Limpieza, juegos infantiles, bancas, luminarias y áreas verdes.",
        "population_benefited": 3200, "schedule": "Mes 1: limpieza\nMes 2-4: obra\nMes 5: entrega",
    })
    services.budget_lines_save(actor=actor, proposal_id=proposal.pk, lines=[
        {"chapter": "works", "concept": "Juegos infantiles", "unit": "lote", "quantity": Decimal("1"),
         "unit_price": (amount * Decimal("0.6")).quantize(Decimal("0.01"))},
        {"chapter": "works", "concept": "Luminarias solares", "unit": "pieza", "quantity": Decimal("10"),
         "unit_price": (amount * Decimal("0.025")).quantize(Decimal("0.01"))},
        {"chapter": "technical_assistance", "concept": "Asesoría técnica", "unit": "servicio",
         "quantity": Decimal("1"), "unit_price": (amount * Decimal("0.15")).quantize(Decimal("0.01"))},
    ])
    services.attachment_add(actor=actor, proposal_id=proposal.pk, kind="site_photo",
                            upload=SimpleUploadedFile("predio.jpg", demo_photo(), "image/jpeg"))
    services.attachment_add(actor=actor, proposal_id=proposal.pk, kind="public_land_proof",
                            upload=SimpleUploadedFile("constancia.pdf", DEMO_PDF, "application/pdf"))


def seed_proposals(call: Call) -> int:
    """For each demo group: a draft and a submitted proposal; one more withdrawn."""
    created = 0
    plans = [
        ("solicitante@demo.nicp.mx", "Vecinas y Vecinos Unidos de Aculco",
         [("Parque de bolsillo La Ermita", "submitted"), ("Alumbrado del andador Aculco", "draft")]),
        ("solicitante2@demo.nicp.mx", "Asociación Vecinal Buenos Aires",
         [("Centro comunitario Buenos Aires", "submitted"), ("Escaleras de la calle Dr. Lucio", "draft"),
          ("Mural colectivo (retirada)", "withdrawn")]),
    ]
    for email, group_name, proposals in plans:
        actor = User.objects.get(email=email)
        group = CommunityGroup.objects.get(name=group_name)
        for title, state in proposals:
            if Proposal.objects.filter(call=call, group=group, title=title).exists():
                continue
            proposal = services.proposal_create(actor=actor, call=call, group=group, title=title)
            created += 1
            if state == "draft":
                services.proposal_update(actor=actor, proposal_id=proposal.pk,
                                         data={"diagnosis": "Borrador en preparación."})
                continue
            _complete(proposal, actor, amount=Decimal("1000000"))
            action = ProposalAction.SUBMIT if state == "submitted" else ProposalAction.WITHDRAW
            services.proposal_transition(actor=actor, proposal_id=proposal.pk, action=action,
                                         note="" if state == "submitted" else "El grupo decidió esperar.")
    return created


def seed_review_pipeline(call: Call) -> int:
    """Proposals waiting at each review step; the demo reviewer has some of them, not all."""
    from datetime import timedelta

    coordinator = User.objects.get(email="coordinacion@demo.nicp.mx")
    reviewer = User.objects.get(email="revision@demo.nicp.mx")
    actor = User.objects.get(email="solicitante@demo.nicp.mx")
    group = CommunityGroup.objects.get(name="Vecinas y Vecinos Unidos de Aculco")
    today = timezone.now().astimezone(MEXICO_CITY).date()
    steps = [
        ("Cancha de usos múltiples", ["return"]),
        ("Jardín de la Ermita", ["accept"]),
        ("Centro cultural El Molino", ["accept", "schedule"]),
        ("Andador iluminado Las Flores", ["accept", "schedule", "approve"]),
        ("Parque lineal del canal", ["accept", "schedule", "approve", "assign"]),
        ("Museo de sitio del pueblo", ["accept", "schedule", "approve", "assign_other"]),
    ]
    created = 0
    for title, path in steps:
        if Proposal.objects.filter(call=call, group=group, title=title).exists():
            continue
        proposal = services.proposal_create(actor=actor, call=call, group=group, title=title)
        _complete(proposal, actor, amount=Decimal("1100000"))
        services.proposal_transition(actor=actor, proposal_id=proposal.pk, action=ProposalAction.SUBMIT)
        created += 1
        for step in path:
            if step == "return":
                services.proposal_transition(actor=coordinator, proposal_id=proposal.pk, action="return",
                                             note="Falta la firma de la constancia del predio.",
                                             correction_deadline=today + timedelta(days=10))
            elif step == "accept":
                services.proposal_transition(actor=coordinator, proposal_id=proposal.pk, action="accept")
            elif step == "schedule":
                services.assembly_schedule(actor=coordinator, proposal_id=proposal.pk,
                                           scheduled_at=timezone.now() + timedelta(days=0 if "approve" in path else 12),
                                           place="Explanada de la parroquia", convened_by="Comité vecinal")
            elif step == "approve":
                assembly = proposal.assemblies.last()
                services.assembly_record(actor=coordinator, assembly_id=assembly.pk, attendees=48, votes_for=40,
                                         votes_against=5, abstentions=3,
                                         minutes=SimpleUploadedFile("acta.pdf", DEMO_PDF, "application/pdf"))
            elif step == "assign":
                services.reviewers_assign(actor=coordinator, proposal_ids=[proposal.pk], reviewer=reviewer)
            elif step == "assign_other":
                other = User.objects.get(email="revision2@demo.nicp.mx")
                services.reviewers_assign(actor=coordinator, proposal_ids=[proposal.pk], reviewer=other)
    return created
