"""Demo data for the embedded default: a small real territory, one account per role, two groups.

Idempotent: a second run creates nothing new and changes nothing a person edited since.
"""

from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import services as account_services
from accounts.models import CommunityGroup, GroupKind, Membership, User
from accounts.roles import StaffRole
from committees.demo import seed_committees
from neighbourhoods.models import Neighbourhood
from neighbourhoods.services import social_index_import, territory_import
from proposals.demo import seed_open_call, seed_proposals, seed_review_pipeline

DEMO_DIR = Path(settings.BASE_DIR) / "neighbourhoods" / "demo"

# (e-mail, full name, staff roles)
DEMO_ACCOUNTS = [
    ("solicitante@demo.nicp.mx", "Rosa Martínez (solicitante)", []),
    ("solicitante2@demo.nicp.mx", "Juan Pérez (solicitante)", []),
    ("coordinacion@demo.nicp.mx", "Laura Gómez (coordinación)", [StaffRole.COORDINATOR]),
    ("revision@demo.nicp.mx", "Arq. Miguel Torres (revisión técnica)", [StaffRole.TECHNICAL_REVIEWER]),
    ("revision2@demo.nicp.mx", "Ing. Sofía Reyes (revisión técnica)", [StaffRole.TECHNICAL_REVIEWER]),
    ("secretaria@demo.nicp.mx", "Patricia Ruiz (secretaría del comité)", [StaffRole.COMMITTEE_SECRETARY]),
    *[(f"comite{i}@demo.nicp.mx", f"Integrante {i} del Comité Técnico Mixto", [StaffRole.COMMITTEE_MEMBER])
      for i in range(1, 6)],
    ("finanzas@demo.nicp.mx", "Carlos Díaz (finanzas)", [StaffRole.FINANCE_OFFICER]),
    ("auditoria@demo.nicp.mx", "Elena Castro (auditoría)", [StaffRole.AUDITOR]),
]

# (group name, kind, unit key, representative, other members)
DEMO_GROUPS = [
    ("Vecinas y Vecinos Unidos de Aculco", GroupKind.RESIDENTS, "07-001", "solicitante@demo.nicp.mx", []),
    ("Asociación Vecinal Buenos Aires", GroupKind.NEIGHBOURHOOD_ASSOCIATION, "15-006",
     "solicitante2@demo.nicp.mx", []),
]


class Command(BaseCommand):
    help = "Load the demo territory, demo accounts (one per role) and demo community groups. Idempotent."

    def handle(self, *args, **options):
        with transaction.atomic():
            territory = territory_import(DEMO_DIR / "territory.csv")
            index = social_index_import(DEMO_DIR / "social_index.csv")
            created_users = self._accounts()
            created_groups = self._groups()
            call = seed_open_call(User.objects.get(email="coordinacion@demo.nicp.mx"))
            created_proposals = seed_proposals(call) + seed_review_pipeline(call)
            seed_committees()
        self.stdout.write(f"territory: {territory.created} units created, {index.created} index measures created")
        self.stdout.write(f"accounts created: {created_users}; groups created: {created_groups}; "
                          f"proposals created: {created_proposals} (open call: {call.title})")
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password: {settings.NICP_DEMO_PASSWORD}):")
        for email, name, _roles in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<28} {name}")

    def _accounts(self) -> int:
        created = 0
        for email, name, roles in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email=email, password=settings.NICP_DEMO_PASSWORD, full_name=name)
                created += 1
            EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
            for role in roles:
                account_services.role_grant(user=user, role=role)
        return created

    def _groups(self) -> int:
        created = 0
        for name, kind, key, representative, others in DEMO_GROUPS:
            if CommunityGroup.objects.filter(name=name).exists():
                continue
            group = account_services.group_create(
                creator=User.objects.get(email=representative), name=name, kind=kind,
                neighbourhood=Neighbourhood.objects.get(key=key),
                description="Grupo de demostración.",
            )
            for email in others:
                Membership.objects.get_or_create(group=group, user=User.objects.get(email=email))
            created += 1
        return created
