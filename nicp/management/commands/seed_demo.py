"""Demo data for the embedded default: a small real territory, one account per role, two groups.

Idempotent: a second run creates nothing new and changes nothing a person edited since.
"""

from pathlib import Path

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts import services as account_services
from accounts.models import CommunityGroup, GroupKind, Membership, User
from accounts.roles import StaffRole
from committees.demo import seed_committees
from neighbourhoods.models import Neighbourhood
from neighbourhoods.services import social_index_import, territory_import
from notifications.reminders import reminders_sweep
from projects.demo import COMMITTEE_LOGINS, seed_projects
from proposals.demo import seed_open_call, seed_proposals, today_mx
from proposals.models import Call, Proposal
from proposals.workflow import CallState

DEMO_DIR = Path(settings.BASE_DIR) / "neighbourhoods" / "demo"

# (e-mail, full name, staff roles)
DEMO_ACCOUNTS = [
    ("solicitante@demo.nicp.mx", "Rosa Martínez (solicitante)", []),
    ("solicitante2@demo.nicp.mx", "Juan Pérez (solicitante)", []),
    ("coordinacion@demo.nicp.mx", "Laura Gómez (coordinación)", [StaffRole.COORDINATOR]),
    ("revision@demo.nicp.mx", "Arq. Miguel Torres (revisión técnica)", [StaffRole.TECHNICAL_REVIEWER]),
    ("revision2@demo.nicp.mx", "Ing. Sofía Reyes (revisión técnica)", [StaffRole.TECHNICAL_REVIEWER]),
    ("secretaria@demo.nicp.mx", "Patricia Ruiz (secretaría del comité)", [StaffRole.COMMITTEE_SECRETARY]),
    *[(f"comite{i}@demo.nicp.mx", name, [StaffRole.COMMITTEE_MEMBER]) for i, name in enumerate([
        "Dra. Ana López (comité)", "Ing. Roberto Sánchez (comité)", "Mtra. Claudia Herrera (comité)",
        "Arq. Jorge Navarro (comité)", "Lic. Mónica Vargas (comité)"], start=1)],
    ("finanzas@demo.nicp.mx", "Carlos Díaz (finanzas)", [StaffRole.FINANCE_OFFICER]),
    ("auditoria@demo.nicp.mx", "Elena Castro (auditoría)", [StaffRole.AUDITOR]),
    # Community committees of a funded project (no staff role: their seats give them that project only).
    *[(email, name, []) for email, name in COMMITTEE_LOGINS],
]

# (group name, kind, unit key, representative, other members). Every other unit of the demo territory
# gets a group of its own (see _unit_groups): proposals are always in their group's unit.
DEMO_GROUPS = [
    ("Vecinas y Vecinos Unidos de Aculco", GroupKind.RESIDENTS, "07-001", "solicitante@demo.nicp.mx", []),
    ("Asociación Vecinal Buenos Aires", GroupKind.NEIGHBOURHOOD_ASSOCIATION, "15-006",
     "solicitante2@demo.nicp.mx", []),
]


REPRESENTATIVES = ["María Hernández", "José Luis García", "Guadalupe López", "Antonio Sánchez", "Verónica Ramírez",
                   "Francisco Cruz", "Adriana Flores", "Jorge Morales", "Leticia Jiménez", "Ricardo Vázquez",
                   "Alejandra Reyes", "Fernando Mendoza"]


class Command(BaseCommand):
    help = "Load the demo territory, demo accounts (one per role) and demo community groups. Idempotent."

    def handle(self, *args, **options):
        with transaction.atomic():
            territory = territory_import(DEMO_DIR / "territory.csv")
            index = social_index_import(DEMO_DIR / "social_index.csv")
            created_users = self._accounts()
            created_groups = self._groups()
            call = seed_open_call(User.objects.get(email="coordinacion@demo.nicp.mx"))
            created_proposals = seed_proposals(call)
            seed_committees()
            self._ask_to_score()
            driven = seed_projects(Call.objects.filter(fiscal_year=today_mx().year - 1,
                                                       status=CallState.RESULTS_PUBLISHED).first())
        # The reminders today's demo deadlines call for, as the hourly sweep would send them (once: it is idempotent).
        reminded = sum(reminders_sweep().values())
        self.stdout.write(f"territory: {territory.created} units created, {index.created} index measures created")
        self.stdout.write(f"accounts created: {created_users}; groups created: {created_groups}; "
                          f"proposals created: {created_proposals} (open call: {call.title}); "
                          f"funded projects taken to a later step: {driven}; reminders sent: {reminded}")
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password: {settings.NICP_DEMO_PASSWORD}):")
        for email, name, _roles in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<28} {name}")

    def _ask_to_score(self) -> None:
        """This year's proposals reached the Committee as history: its members still get the request to
        score them (once: an unread request is not repeated)."""
        from dashboard.staff_notices import scoring_requested
        from proposals.workflow import ProposalState

        waiting = Proposal.objects.filter(status=ProposalState.SHORTLISTED, call__committee__isnull=False).exclude(
            call__committee__sessions__isnull=False).select_related("call").first()
        if waiting is not None:
            scoring_requested(waiting)

    def _accounts(self) -> int:
        created = 0
        hashed = None  # one shared password: hashed once (a hash takes most of a second, on purpose)
        for email, name, roles in DEMO_ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                hashed = hashed or make_password(settings.NICP_DEMO_PASSWORD)
                user = User.objects.create_user(email=email, password=None, full_name=name)
                user.password = hashed
                user.save(update_fields=["password"])
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
        return created + self._unit_groups()

    def _unit_groups(self) -> int:
        """A residents' group for each other demo unit, represented by an account that cannot log in
        (the demo's logins are the ones listed above)."""
        taken = {key for _name, _kind, key, _rep, _others in DEMO_GROUPS}
        created = 0
        for n, unit in enumerate(Neighbourhood.objects.exclude(key__in=taken).order_by("key")):
            name = f"Vecinas y vecinos de {unit.name}"
            if CommunityGroup.objects.filter(name=name).exists():
                continue
            email = f"grupo.{unit.key}@demo.nicp.mx"
            user = User.objects.filter(email=email).first() or User.objects.create_user(
                email=email, password=None, full_name=REPRESENTATIVES[n % len(REPRESENTATIVES)])
            account_services.group_create(creator=user, name=name, kind=GroupKind.RESIDENTS, neighbourhood=unit,
                                          description="Grupo de demostración.")
            created += 1
        return created
