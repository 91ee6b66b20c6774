"""Who the benchmark signs in as, and which objects it opens: found in the database itself.

The benchmark needs one account per role and the heaviest objects of their kind (the call with the most
proposals, the proposal with the most lines, attachments and events, the project with the most expenses…).
They are looked up here from whatever data is there, preferring seed_scale's tagged accounts and the
largest objects, so the same cases run on the large dataset, on a small one (CI) and on the demo. When
seed_scale ran in the same process its result may name the accounts: those win.
"""

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count

from accounts.models import Membership, User
from accounts.roles import StaffRole
from accounts.services import role_grant
from committees.models import Committee, CommitteeMember
from projects.models import CommitteeSeat, Expense, Project
from projects.public.querysets import public_projects
from proposals.models import Call, Proposal
from proposals.models.review import ReviewAssignment
from proposals.workflow import CallState

# Roles as the table names them.
COORDINATOR, REVIEWER, FINANCE, COMMITTEE, AUDITOR = "coordinator", "reviewer", "finance", "committee", "auditor"
APPLICANT, PROJECT_SEAT, PUBLIC = "applicant", "project seat", "public"
ROLES = (COORDINATOR, REVIEWER, FINANCE, COMMITTEE, AUDITOR, APPLICANT, PROJECT_SEAT, PUBLIC)
STAFF_ROLES = {COORDINATOR: StaffRole.COORDINATOR, REVIEWER: StaffRole.TECHNICAL_REVIEWER,
               FINANCE: StaffRole.FINANCE_OFFICER, COMMITTEE: StaffRole.COMMITTEE_MEMBER,
               AUDITOR: StaffRole.AUDITOR}
# seed_scale's accounts: preferred over any other holder of the same role.
SCALE_EMAIL_SUFFIX = "@scale.nicp.mx"
# seed_scale's names for its accounts (nicp/scale/seed_accounts.py) -> the benchmark's roles.
SEEDED_ROLES = {"coordinator": COORDINATOR, "technical_reviewer": REVIEWER, "finance_officer": FINANCE,
                "committee_member": COMMITTEE, "auditor": AUDITOR, "representative": APPLICANT,
                "project_committee": PROJECT_SEAT}
# When nobody holds a staff role, the benchmark grants it to an account of its own (as the old ones did).
FALLBACK_EMAIL = "benchmark-{role}@nicp.invalid"


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> User (AnonymousUser for the public)
    samples: dict = field(default_factory=dict)  # sample name -> id, code or number; None when there is none

    def sample(self, name: str):
        return self.samples.get(name)


def tagged_first(users):
    """seed_scale's accounts first, then the oldest: the same account on every run."""
    rows = list(users.filter(email__endswith=SCALE_EMAIL_SUFFIX).order_by("pk")[:1])
    return rows[0] if rows else users.order_by("pk").first()


def staff_user(role: str) -> User:
    holders = User.objects.filter(is_active=True, groups__name=STAFF_ROLES[role])
    if role == REVIEWER:  # the reviewer with the most assignments has the longest "my reviews"
        busiest = (ReviewAssignment.objects.filter(reviewer__in=holders).values("reviewer")
                   .annotate(n=Count("id")).order_by("-n", "reviewer").first())
        if busiest:
            return User.objects.get(pk=busiest["reviewer"])
    found = tagged_first(holders)
    if found is None:
        found, _created = User.objects.get_or_create(email=FALLBACK_EMAIL.format(role=role))
        role_grant(user=found, role=STAFF_ROLES[role])
    return found


def scope():
    """The calls the samples come from: seed_scale's tagged calls when its data is there, else every call
    (a small dataset, the demo)."""
    try:
        from nicp.scale.seed_tag import scale_calls
    except ImportError:
        return Call.objects.all()
    tagged = scale_calls()
    return tagged if tagged.exists() else Call.objects.all()


def committee_member(calls) -> tuple[User | None, Committee | None]:
    """A Committee member and the committee with the most proposals to score."""
    committee = (Committee.objects.filter(call__in=calls, members__isnull=False).distinct()
                 .annotate(n=Count("call__proposals", distinct=True)).order_by("-n", "pk").first())
    if committee is None:
        return None, None
    seats = CommitteeMember.objects.filter(committee=committee, user__is_active=True)
    seat = seats.filter(user__email__endswith=SCALE_EMAIL_SUFFIX).order_by("pk").first() or seats.order_by("pk").first()
    return (seat.user if seat else None), committee


def applicant() -> User | None:
    """The group member whose groups have the most proposals: the longest "my proposals"."""
    row = (Membership.objects.filter(user__is_active=True).values("user")
           .annotate(n=Count("group__proposals")).order_by("-n", "user").first())
    return User.objects.get(pk=row["user"]) if row else None


def project_seat(project_id: int | None) -> User | None:
    """A person on a committee of the busiest project (else of any project): the community's project pages."""
    seats = CommitteeSeat.objects.filter(ended_at__isnull=True, user__is_active=True).order_by("pk")
    seat = (seats.filter(project_id=project_id).first() if project_id else None) or seats.first()
    return seat.user if seat else None


def busiest_proposal(calls) -> int | None:
    """The submitted proposal with the most budget lines, attachments and events: the heaviest page."""
    row = (Proposal.objects.filter(call__in=calls).exclude(folio="").annotate(
        weight=Count("budget_lines", distinct=True) + Count("attachments", distinct=True)
        + Count("events", distinct=True)).order_by("-weight", "pk").values("pk").first())
    return row["pk"] if row else None


def busiest_project(projects=None) -> Project | None:
    """The project with the most expenses (the public one when `projects` is the public set)."""
    rows = Expense.objects.all() if projects is None else Expense.objects.filter(project__in=projects.values("pk"))
    row = rows.order_by().values("project").annotate(n=Count("id")).order_by("-n", "project").first()
    if row:
        return Project.objects.get(pk=row["project"])
    return (projects if projects is not None else Project.objects.all()).order_by("pk").first()


def biggest_call(calls) -> int | None:
    row = calls.annotate(n=Count("proposals")).order_by("-n", "pk").values("pk").first()
    return row["pk"] if row else None


def published_results_call(calls) -> int | None:
    """The largest call whose results are out, else None."""
    out = (CallState.RESULTS_PUBLISHED, CallState.ARCHIVED)
    row = (calls.filter(status__in=out).annotate(n=Count("proposals")).order_by("-n", "pk").values("pk").first())
    return row["pk"] if row else None


def busiest_borough(calls) -> str | None:
    """The INEGI code of the borough with the most public projects: the heaviest borough filter."""
    field_ = "neighbourhood__borough__inegi_code"
    rows = public_projects().filter(call__in=calls).order_by().values(field_)
    row = rows.annotate(n=Count("id")).order_by("-n", field_).first()
    return row[field_] if row else None


def scale_accounts(seeded=None) -> dict:
    """seed_scale's accounts by the benchmark's roles: from its result when it ran, else from the tagged
    data in the database (none when seed_scale is not installed or its data is not there)."""
    if seeded is None:
        try:
            from nicp.scale.seed_accounts import accounts_by_role
        except ImportError:
            return {}
        named = accounts_by_role()
    else:
        named = (seeded.get("accounts") if isinstance(seeded, dict) else getattr(seeded, "accounts", None)) or {}
    return {SEEDED_ROLES.get(role, role): account for role, account in named.items()}


def find_world(seeded=None) -> World:
    """Accounts by role and sample objects. seed_scale's accounts win where there are some (its result
    `seeded` when it ran first, else found by their tag); the samples are always looked up."""
    world = World()
    named = scale_accounts(seeded)
    calls = scope()
    project = busiest_project(Project.objects.filter(call__in=calls))
    public = busiest_project(public_projects().filter(call__in=calls))
    member, committee = committee_member(calls)
    for role in STAFF_ROLES:
        world.users[role] = staff_user(role)
    world.users[COMMITTEE] = member or world.users[COMMITTEE]
    world.users[APPLICANT] = applicant()
    world.users[PROJECT_SEAT] = project_seat(project.pk if project else None)
    world.users[PUBLIC] = AnonymousUser()
    for role, account in named.items():
        if role in ROLES and role != PUBLIC and account is not None:
            world.users[role] = account if isinstance(account, User) else User.objects.get(email=account)
    seat_project = busiest_project(Project.objects.filter(
        seats__user=world.users[PROJECT_SEAT], seats__ended_at__isnull=True)) if world.users[PROJECT_SEAT] else None
    world.samples.update({
        "call": biggest_call(calls), "committee": committee.pk if committee else None,
        "committee_call": committee.call_id if committee else None, "results_call": published_results_call(calls),
        "proposal": busiest_proposal(calls), "project": project.pk if project else None,
        "seat_project": seat_project.pk if seat_project else None,
        "public_code": public.code if public else None, "borough": busiest_borough(calls),
    })
    world.samples.update(deep_api_pages(world))
    return world


def deep_api_pages(world: World) -> dict:
    """A deep page of each long API list, as deep as the role's list goes up to page 200: an API page past
    the end is a 404, not the last page."""
    size = int(settings.REST_FRAMEWORK.get("PAGE_SIZE") or 50)
    lists = {"proposal_api_deep": Proposal.objects.visible_to(world.users[COORDINATOR]),
             "project_api_deep": Project.objects.visible_to(world.users[COORDINATOR]),
             "expense_api_deep": Expense.objects.visible_to(world.users[FINANCE])}
    return {name: min(200, max(1, math.ceil(rows.count() / size))) for name, rows in lists.items()}
