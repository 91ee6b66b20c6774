import factory
from allauth.account.models import EmailAddress

from accounts.models import CommunityGroup, GroupKind, MemberRole, Membership, User
from neighbourhoods.models import Borough, Neighbourhood, Stratum

PASSWORD = "Una-clave-de-prueba-2026"


class BoroughFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Borough
        django_get_or_create = ("inegi_code",)

    inegi_code = "007"
    iecm_number = "07"
    name = "Iztapalapa"
    official_name = "IZTAPALAPA"


class NeighbourhoodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Neighbourhood

    borough = factory.SubFactory(BoroughFactory)
    key = factory.Sequence(lambda n: f"07-{n % 1000:03d}")
    official_name = factory.Sequence(lambda n: f"COLONIA PRUEBA {n}")
    name = factory.Sequence(lambda n: f"Colonia Prueba {n}")
    population = 1000
    stratum = Stratum.LOW


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persona{n}@ejemplo.mx")
    full_name = factory.Sequence(lambda n: f"Persona {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        obj.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        from accounts.services import role_grant

        for role in extracted or []:
            role_grant(user=obj, role=role)


class CommunityGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommunityGroup
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Grupo vecinal {n}")
    kind = GroupKind.RESIDENTS
    neighbourhood = factory.SubFactory(NeighbourhoodFactory)

    @factory.post_generation
    def representative(obj, create, extracted, **kwargs):
        if create and extracted:
            Membership.objects.create(group=obj, user=extracted, role=MemberRole.REPRESENTATIVE)

    @factory.post_generation
    def members(obj, create, extracted, **kwargs):
        for user in extracted or []:
            Membership.objects.create(group=obj, user=user, role=MemberRole.MEMBER)


def make_open_call(*, year=2027, closes_on=None, **overrides):
    """A published call whose registration is open today (Mexico City), through the real services."""
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from accounts.roles import StaffRole
    from proposals import services
    from proposals.models import Call
    from proposals.models.calls import MEXICO_CITY

    today = timezone.now().astimezone(MEXICO_CITY).date()
    closes_on = closes_on or today + timedelta(days=30)
    coordinator = UserFactory(roles=[StaffRole.COORDINATOR])
    values = dict(
        fiscal_year=year, title=f"Convocatoria {year}", total_budget=Decimal("50000000"),
        eligible_project_types=["park", "community_centre", "lighting"], excluded_works="Pavimentación\nBacheo",
        registration_opens_on=today - timedelta(days=5), registration_closes_on=closes_on,
        assembly_window_starts_on=today - timedelta(days=5), assembly_window_ends_on=closes_on + timedelta(days=20),
        technical_review_deadline=closes_on + timedelta(days=30), committee_date=closes_on + timedelta(days=40),
        results_date=closes_on + timedelta(days=50), execution_deadline=closes_on + timedelta(days=300),
        required_attachment_kinds=["site_photo", "public_land_proof"], max_file_size_mb=2,
        max_files_per_proposal=4, max_total_size_mb=5,
    )
    values.update(overrides)
    call = services.call_save(
        actor=coordinator, call=Call(**values),
        modalities=[{"modality": "new", "min_amount": Decimal("800000"), "max_amount": Decimal("1450000")},
                    {"modality": "continuation", "min_amount": Decimal("300000"), "max_amount": Decimal("900000")}],
        tranches=[{"number": 1, "share_percent": Decimal("100"), "progress_required_percent": 0,
                   "previous_spending_verified": False}],
        rubric=[{"name": "Calidad", "weight": Decimal("100"), "computed": ""}],
    )
    return services.call_transition(actor=coordinator, call_id=call.pk, action="publish")


def jpeg_bytes(size=(64, 48), exif=None) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(out, format="JPEG", **({"exif": exif} if exif else {}))
    return out.getvalue()


PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def upload(name, content, content_type="application/octet-stream"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type)


def complete_proposal(proposal, actor, *, amount="1000000.00", project_type="park", attachments=True):
    """Fill every part a submission needs, through the services."""
    from decimal import Decimal

    from proposals import services

    services.proposal_update(actor=actor, proposal_id=proposal.pk, data={
        "address": "Calle 5 de Mayo s/n", "project_type": project_type, "modality": "new",
        "diagnosis": "Predio abandonado.", "objectives": "Recuperarlo.", "description": "Parque vecinal.",
        "population_benefited": 2500, "schedule": "Mes 1-3: obra",
    })
    services.budget_lines_save(actor=actor, proposal_id=proposal.pk, lines=[
        {"chapter": "works", "concept": "Obra", "unit": "lote", "quantity": Decimal("1"),
         "unit_price": Decimal(amount)},
    ])
    if attachments:
        services.attachment_add(actor=actor, proposal_id=proposal.pk, kind="site_photo",
                                upload=upload("foto.jpg", jpeg_bytes(), "image/jpeg"))
        services.attachment_add(actor=actor, proposal_id=proposal.pk, kind="public_land_proof",
                                upload=upload("constancia.pdf", PDF_BYTES, "application/pdf"))
    proposal.refresh_from_db()
    return proposal
