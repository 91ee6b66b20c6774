"""Who the load test's clients are: the demo's people (README, «Demo accounts»), each signed in the way
a real client would be — an API token or a browser session — made directly in the database so that
the run measures the pages, not the login (whose rate limits and lockout would refuse twenty logins
a second, as they should)."""

from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import CommandError
from knox.models import AuthToken
from knox.settings import CONSTANTS

from accounts.models import CommunityGroup, User
from projects.models import Project
from projects.workflow import ProjectState
from proposals.models import Call, Proposal
from proposals.workflow import ProposalState

DEMO = "@demo.nicp.mx"
PEOPLE = ("solicitante", "coordinacion", "administracion", "supervision")
LIFETIME = timedelta(hours=3)


@dataclass(frozen=True)
class Person:
    email: str
    token: str  # for `Authorization: Token …`
    session: str  # the session cookie's value, for the HTML pages


@dataclass(frozen=True)
class World:
    applicant: Person
    coordinator: Person
    administration: Person
    supervision: Person
    open_call: int
    group: int
    proposal: int  # a submitted proposal staff read
    project: int  # the project in execution whose committees write in the logbook
    project_code: str

    def people(self) -> list[Person]:
        return [self.applicant, self.coordinator, self.administration, self.supervision]


def _session_for(user) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _person(email: str) -> Person:
    user = User.objects.get(email=email)
    _instance, token = AuthToken.objects.create(user=user, expiry=LIFETIME)
    return Person(email=email, token=token, session=_session_for(user))


def world_build() -> World:
    """The demo's accounts and the ids their flows need; a clear refusal when the demo is not loaded."""
    emails = {name: f"{name}{DEMO}" for name in PEOPLE}
    missing = sorted(e for e in emails.values() if not User.objects.filter(email=e, is_active=True).exists())
    if missing:
        raise CommandError(f"The demo accounts are missing ({', '.join(missing)}): run `manage.py seed_demo` first.")
    applicant = User.objects.get(email=emails["solicitante"])
    group = CommunityGroup.objects.of_member(applicant).order_by("pk").first()
    call = Call.objects.visible_to(applicant).open_for_registration().order_by("pk").first()
    proposal = Proposal.objects.exclude(status=ProposalState.DRAFT).order_by("pk").first()
    project = (Project.objects.filter(status=ProjectState.IN_EXECUTION, seats__user__email=emails["administracion"])
               .order_by("pk").first())
    if not (group and call and proposal and project):
        raise CommandError("The demo data is incomplete (an open call, the applicant's group, a submitted proposal "
                           "and a project in execution are needed): run `manage.py seed_demo` again.")
    return World(applicant=_person(emails["solicitante"]), coordinator=_person(emails["coordinacion"]),
                 administration=_person(emails["administracion"]), supervision=_person(emails["supervision"]),
                 open_call=call.pk, group=group.pk, proposal=proposal.pk, project=project.pk,
                 project_code=project.code)


def world_forget(world: World) -> None:
    """Revoke what the run signed in with: its tokens and sessions."""
    from django.contrib.sessions.models import Session

    prefixes = [p.token[:CONSTANTS.TOKEN_KEY_LENGTH] for p in world.people()]
    AuthToken.objects.filter(user__email__in=[p.email for p in world.people()], token_key__in=prefixes).delete()
    Session.objects.filter(session_key__in=[p.session for p in world.people()]).delete()
