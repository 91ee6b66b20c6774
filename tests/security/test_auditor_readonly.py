"""The auditor reads everything and changes nothing: every unsafe request to every route is refused (403,
nothing written) except on their own account; every service that acts for someone refuses them first."""

import importlib
import inspect
import json

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.urls import reverse
from django.urls.exceptions import NoReverseMatch
from rest_framework.test import APIClient

from accounts.models import CommunityGroup, Membership
from accounts.roles import StaffRole
from nicp.readonly import OWN_ACCOUNT_URL_NAMES, READ_ONLY_MESSAGE
from proposals.models import StaffComment
from tests.factories import UserFactory
from tests.security import test_authorization_matrix as matrix

MATRIX, allauth_names, named_patterns = matrix.MATRIX, matrix.allauth_names, matrix.named_patterns
world = matrix.world  # the matrix's world (a fixture): real objects behind every route's ids

UNSAFE = ["post", "put", "patch", "delete"]
# What an auditor may still change: their own account. Every allauth page (sign-out, password, e-mail, MFA)
# is theirs too. Anything else added here needs a reason.
OWN_ACCOUNT = {"set_language", "accounts:profile", "accounts:profile_closure", "notifications:mark_all_read",
               "accounts:preferences",  # the language of their e-mails and which reminders they receive
               # their own API tokens: create, list, revoke, sign out of the API
               "accounts:api_tokens", "accounts:api_token_revoke", "accounts:api_tokens_revoke_all",
               "api:token", "api:tokens", "api:token-revoke", "api:logout", "api:logout-all",
               # reports for themselves (the auditor may ask for them): their own rows, nothing of the programme's
               "reports:request", "reports:retry"}


def routes():
    exempt = OWN_ACCOUNT | allauth_names()
    seen = {}
    for name, pattern in named_patterns():
        if name not in exempt:
            seen.setdefault(name, pattern)
    return sorted(seen.items())


def url_for(name, pattern, kwargs_by_key):
    """A URL for the route: the matrix's real objects when it has a row, else any value the pattern takes
    (the refusal comes before any lookup, so the object need not exist)."""
    row = next((key for row_name, key, *_rest in MATRIX if row_name == name), None)
    if row is not None or not pattern.pattern.regex.groupindex:
        return reverse(name, kwargs=kwargs_by_key[row])
    for value in ("1", "accounts", "x"):
        try:
            return reverse(name, kwargs=dict.fromkeys(pattern.pattern.regex.groupindex, value))
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot build a URL for {name}")


def snapshot():
    """Rows of every table, and the latest change of every table that records one."""
    state = {}
    for model in apps.get_models():
        state[model._meta.label] = model.objects.count()
        for field in ("updated_at", "version", "read_at"):
            if any(f.name == field for f in model._meta.get_fields()):
                state[f"{model._meta.label}.{field}"] = model.objects.aggregate(m=Max(field))["m"]
    return state


def payload(world_kwargs):
    """Plausible input for most forms and endpoints, so an unguarded route would really write."""
    return {"body": "Comentario de la auditoría", "name": "Grupo de la auditoría", "kind": "residents",
            "email": "nueva@ejemplo.mx", "reason": "Prueba", "note": "Prueba", "action": "accept",
            "choice": "for", "title": "Cambio de la auditoría", "full_name": "Auditoría", "description": "x",
            "decision": "accept", "held_on": "2027-06-01", "outcome": "selected", "scores": {}}


def test_the_exemptions_here_are_the_kernels():
    assert OWN_ACCOUNT == OWN_ACCOUNT_URL_NAMES


def test_every_unsafe_request_of_the_auditor_is_refused_and_writes_nothing(client, world, staff):
    _users, kwargs_by_key, _invitation = world
    auditor = staff[StaffRole.AUDITOR]
    client.force_login(auditor)
    data = payload(kwargs_by_key)
    before = snapshot()
    wrong, checked = [], 0
    for name, pattern in routes():
        url = url_for(name, pattern, kwargs_by_key)
        for method in UNSAFE:
            send = getattr(client, method)
            if method == "post" and not url.startswith("/api/"):
                response = send(url, data)
            else:
                response = send(url, json.dumps(data), content_type="application/json")
            checked += 1
            if response.status_code != 403:
                wrong.append(f"{method.upper()} {url} ({name}): {response.status_code}")
            elif url.startswith("/api/"):
                assert response.json() == {"detail": str(READ_ONLY_MESSAGE)}
            else:
                assert str(READ_ONLY_MESSAGE) in response.content.decode()
    assert not wrong, wrong
    assert checked > 200
    assert snapshot() == before


def test_api_refuses_the_auditor_known_only_to_the_api(world, staff):
    """A token-authenticated request carries no session: the API's own permission refuses it."""
    _users, kwargs_by_key, _invitation = world
    api = APIClient()
    api.force_authenticate(user=staff[StaffRole.AUDITOR])
    before = snapshot()
    wrong = []
    for name, pattern in routes():
        if not name.startswith("api:"):
            continue
        url = url_for(name, pattern, kwargs_by_key)
        for method in UNSAFE:
            response = getattr(api, method)(url, payload(kwargs_by_key), format="json")
            # The public API reads no credentials and has no write at all: every write is 405, for everyone.
            refused = 405 if name.startswith("api:public-") else 403
            if response.status_code != refused:
                wrong.append(f"{method.upper()} {url}: {response.status_code}")
    assert not wrong, wrong
    assert snapshot() == before


def test_the_auditor_still_manages_their_own_account(client, staff):
    auditor = staff[StaffRole.AUDITOR]
    client.force_login(auditor)
    response = client.post(reverse("accounts:profile"), {"full_name": "Auditoría Externa", "phone": ""})
    assert response.status_code == 302
    auditor.refresh_from_db()
    assert auditor.full_name == "Auditoría Externa"
    assert client.post(reverse("set_language"), {"language": "en"}).status_code == 302
    assert client.post(reverse("account_logout")).status_code == 302


# --- Services: the guard is the first thing each one does ----------------------------------------------

SERVICE_MODULES = ["accounts.services", "proposals.services.proposals", "proposals.services.review",
                   "proposals.services.calls", "proposals.services.call_reminders", "proposals.services.attachments",
                   "committees.services",
                   "notifications.services"]
ACTOR_PARAMETERS = ("actor", "creator", "user")
# Services that take a person but write nothing of the programme's: their own account, or reads.
NOT_GUARDED = {"accounts.services.profile_update", "accounts.services.account_closure_request",
               "accounts.services.account_closure_cancel", "accounts.services.account_export",
               "accounts.services.preferences_save", "accounts.services.language_save",  # e-mail language, opt-outs
               "accounts.services.role_grant",  # an operator's act on someone else, not an actor's
               "notifications.services.notice_mark_read", "committees.services.visible_scores",
               # the system settles a conflict it finds while a member reads; recorded, never the reader's act
               "committees.services.recusal_recheck", "committees.services.recusals_refresh"}


def acting_services():
    for module_name in SERVICE_MODULES:
        module = importlib.import_module(module_name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ != module_name or name.startswith("_"):
                continue
            parameters = inspect.signature(function).parameters
            actor = next((p for p in ACTOR_PARAMETERS if p in parameters
                          and parameters[p].kind is inspect.Parameter.KEYWORD_ONLY), None)
            if actor and f"{module_name}.{name}" not in NOT_GUARDED:
                yield f"{module_name}.{name}", function, actor


SERVICES = list(acting_services())


def test_the_services_found_include_the_ones_named_in_the_issue():
    names = {name for name, *_ in SERVICES}
    assert {"accounts.services.group_create", "proposals.services.review.staff_comment_add",
            "committees.services.score_save"} <= names
    assert len(names) >= 35


@pytest.mark.parametrize(("name", "function", "actor"), SERVICES, ids=[name for name, *_ in SERVICES])
def test_every_acting_service_refuses_the_auditor_first(db, staff, name, function, actor):
    parameters = inspect.signature(function).parameters
    kwargs = {p: None for p, spec in parameters.items() if spec.default is inspect.Parameter.empty}
    kwargs[actor] = staff[StaffRole.AUDITOR]
    with pytest.raises(PermissionDenied) as refused:
        function(**kwargs)
    assert str(refused.value) == str(READ_ONLY_MESSAGE)


def test_auditor_cannot_comment_through_the_service(world, staff):
    from proposals.services import staff_comment_add

    users, kwargs_by_key, _invitation = world
    proposal_id = kwargs_by_key["submitted"]["pk"]
    with pytest.raises(PermissionDenied):
        staff_comment_add(actor=staff[StaffRole.AUDITOR], proposal_id=proposal_id, body="Observación")
    assert not StaffComment.objects.filter(author=staff[StaffRole.AUDITOR]).exists()
    staff_comment_add(actor=staff[StaffRole.COORDINATOR], proposal_id=proposal_id, body="Observación")


def test_auditor_cannot_create_a_group_through_the_service(staff, neighbourhood):
    from accounts.services import group_create

    groups = CommunityGroup.objects.count()
    with pytest.raises(PermissionDenied):
        group_create(creator=staff[StaffRole.AUDITOR], name="Grupo", kind="residents", neighbourhood=neighbourhood)
    assert CommunityGroup.objects.count() == groups


def test_an_auditor_in_a_community_group_still_changes_nothing(staff, group):
    """The role is exclusive: belonging to a group gives an auditor no write of that group's."""
    from accounts.services import invitation_create

    auditor = staff[StaffRole.AUDITOR]
    Membership.objects.filter(group=group).update(role="member")
    Membership.objects.create(group=group, user=auditor, role="representative")
    with pytest.raises(PermissionDenied):
        invitation_create(actor=auditor, group=group, email="alguien@ejemplo.mx")
    assert not group.invitations.exists()


def test_a_coordinator_who_becomes_auditor_is_refused_at_once(staff, neighbourhood):
    from accounts.services import group_create, role_grant

    person = UserFactory()
    group_create(creator=person, name="Antes", kind="residents", neighbourhood=neighbourhood)
    role_grant(user=person, role=StaffRole.AUDITOR)
    with pytest.raises(PermissionDenied):
        group_create(creator=person, name="Después", kind="residents", neighbourhood=neighbourhood)


def test_the_auditor_is_not_offered_forms_that_would_only_be_refused(client, staff, group, applicant):
    from django.urls import reverse

    from tests.factories import make_open_call
    from tests.proposals.test_review_pages import submit_many

    client.force_login(staff[StaffRole.AUDITOR])
    groups = client.get(reverse("accounts:group_list")).content.decode()
    assert reverse("accounts:group_create") not in groups
    create = client.get(reverse("accounts:group_create")).content.decode()
    assert 'name="name"' not in create and "solo lectura" in create
    proposal = submit_many(make_open_call(), group, applicant, 1)[0]
    page = client.get(reverse("proposals:proposal_detail", args=[proposal.pk])).content.decode()
    assert reverse("proposals:comment_add", args=[proposal.pk]) not in page
    client.force_login(staff[StaffRole.COORDINATOR])
    page = client.get(reverse("proposals:proposal_detail", args=[proposal.pk])).content.decode()
    assert reverse("proposals:comment_add", args=[proposal.pk]) in page  # the form is there for those who may
