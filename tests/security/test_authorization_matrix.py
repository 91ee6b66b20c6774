"""Every URL × role × method, and a meta-test that fails when a URL has no row here.

Roles: anonymous, the applicant who represents the group, an applicant of another group, and each
staff role. Expected codes: 200 page, 302 redirect (to login for anonymous, or after an action),
403 seen but not allowed, 404 not visible (the same as missing).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.roles import StaffRole
from accounts.services import invitation_create
from accounts.tokens import api_token_create
from committees.services import committee_set, member_add
from nicp.readonly import OWN_ACCOUNT_URL_NAMES
from proposals.models import Proposal
from proposals.services import (
    assembly_record,
    assembly_schedule,
    call_document_add,
    proposal_create,
    proposal_transition,
    review_photo_add,
    reviewers_assign,
)
from tests.factories import PDF_BYTES, complete_proposal, jpeg_bytes, make_open_call, upload
from tests.security import matrix_reminders, matrix_reports

ANON, APPLICANT, OTHER = "anonymous", "applicant", "other_applicant"
STAFF = list(StaffRole.values)
ROLES = [ANON, APPLICANT, OTHER, *STAFF]
OVERSIGHT = {StaffRole.COORDINATOR, StaffRole.AUDITOR}


def everyone(code):
    return dict.fromkeys(ROLES, code)


def logged_in(code):
    return {ANON: "login", **dict.fromkeys(ROLES[1:], code)}


def group_reader(member, overseer, others):
    """The group's own member; coordinator and auditor (who see every group); everyone else."""
    table = {ANON: "login", APPLICANT: member, OTHER: others}
    table.update({role: overseer if role in OVERSIGHT else others for role in STAFF})
    return table


def group_action(member=302):
    # Only the representative acts; overseers see the group but may not act; others do not see it.
    return group_reader(member=member, overseer=403, others=404)


def coordinator_only(code):
    return {ANON: "login", **dict.fromkeys(ROLES[1:], 403), StaffRole.COORDINATOR: code}


def group_only(code):
    """A draft: only the proposing group sees it; to everyone else it does not exist."""
    return {ANON: "login", APPLICANT: code, **dict.fromkeys([OTHER, *STAFF], 404)}


READERS = [StaffRole.COORDINATOR, StaffRole.AUDITOR, StaffRole.COMMITTEE_SECRETARY, StaffRole.FINANCE_OFFICER]


def group_and_staff(code, *, reviewer=None, group=None, readers=None, coordinator=None):
    """A submitted proposal: the group, the programme's readers and its assigned reviewer see it;
    other applicants and (before the Committee) Committee members do not."""
    table = {ANON: "login", APPLICANT: code if group is None else group, OTHER: 404,
             StaffRole.COMMITTEE_MEMBER: 404, StaffRole.TECHNICAL_REVIEWER: code if reviewer is None else reviewer}
    table.update(dict.fromkeys(READERS, code if readers is None else readers))
    if coordinator is not None:
        table[StaffRole.COORDINATOR] = coordinator
    return table


def committee_table(code):
    """Who reaches the Committee's pages: its secretary and members, coordination and audit; for
    everyone else the Committee does not exist."""
    table = {ANON: "login", **dict.fromkeys(ROLES[1:], 404)}
    table.update(dict.fromkeys([StaffRole.COORDINATOR, StaffRole.AUDITOR, StaffRole.COMMITTEE_SECRETARY,
                                StaffRole.COMMITTEE_MEMBER], code))
    return table


def roles_only(code, roles):
    return {ANON: "login", **dict.fromkeys(ROLES[1:], 403), **dict.fromkeys(roles, code)}


# (url name, kwargs key, method, expected by role). kwargs keys are resolved by the fixture below.
MATRIX = [
    ("home", None, "get", everyone(200)),
    ("healthz", None, "get", everyone(200)),
    # Public pages of help and privacy: the same for everyone, signed in or not.
    ("help", None, "get", everyone(200)),
    ("privacy", None, "get", everyone(200)),
    ("set_language", None, "post", everyone(302)),
    ("territory:borough_list", None, "get", everyone(200)),
    ("territory:borough_detail", "borough", "get", everyone(200)),
    ("territory:neighbourhood_detail", "unit", "get", everyone(200)),
    ("accounts:group_list", None, "get", logged_in(200)),
    ("accounts:group_create", None, "get", logged_in(200)),
    ("accounts:group_create", None, "post", logged_in(200)),  # empty form: errors shown, nothing saved
    ("accounts:group_detail", "group", "get", group_reader(member=200, overseer=200, others=404)),
    ("accounts:group_edit", "group", "get", group_reader(member=200, overseer=403, others=404)),
    ("accounts:group_invite", "group", "post", group_action(member=200)),  # empty form: errors on the page
    ("accounts:invitation_revoke", "invitation", "post", group_action()),
    ("accounts:group_leave", "group", "post", group_reader(member=302, overseer=403, others=404)),
    ("accounts:group_hand_over", "group", "post", group_action(member=200)),
    ("accounts:invitation", "token", "get", logged_in(200)),
    ("accounts:profile", None, "get", logged_in(200)),
    ("accounts:profile_export", None, "get", logged_in(200)),
    ("accounts:profile_closure", None, "post", logged_in(302)),
    ("api:api-root", None, "get", everyone(200)),
    ("api:token", None, "post", everyone(400)),  # no credentials sent
    ("api:borough-list", None, "get", everyone(200)),
    ("api:borough-detail", "api_borough", "get", everyone(200)),
    ("api:borough-list", None, "post", everyone(405)),
    ("api:neighbourhood-list", None, "get", everyone(200)),
    ("api:neighbourhood-detail", "api_unit", "get", everyone(200)),
    ("schema", None, "get", everyone(200)),
    ("api_docs", None, "get", everyone(200)),
    ("admin:index", None, "get", {**everyone(302)}),  # nobody here is is_staff: the admin login
    # Calls: public to read once published; only coordinators manage them.
    ("proposals:call_list", None, "get", everyone(200)),
    ("proposals:call_detail", "call", "get", everyone(200)),
    ("proposals:call_document", "document", "get", everyone(200)),
    ("proposals:call_create", None, "get", coordinator_only(200)),
    ("proposals:call_edit", "call", "get", coordinator_only(200)),
    ("proposals:call_action", "call", "post", coordinator_only(302)),
    ("proposals:call_document_upload", "call", "post", coordinator_only(302)),
    # Proposals: the group sees its drafts; staff see submitted ones; nobody else sees any.
    ("proposals:proposal_list", None, "get", logged_in(200)),
    ("proposals:proposal_start", "call_pk", "get", {**logged_in(302), APPLICANT: 200, OTHER: 200}),
    ("proposals:proposal_detail", "draft", "get", group_only(200)),
    ("proposals:proposal_detail", "submitted", "get", group_and_staff(200)),
    ("proposals:proposal_step", "draft_step", "get", group_only(200)),
    ("proposals:proposal_step", "submitted_step", "get", group_and_staff(302)),  # read-only: to the detail
    ("proposals:proposal_review", "draft", "get", group_only(200)),
    ("proposals:proposal_action", "draft", "post", group_only(400)),  # no action sent
    ("proposals:proposal_submitted", "submitted", "get", group_and_staff(200)),
    ("proposals:attachment", "submitted_attachment", "get", group_and_staff(200)),
    ("proposals:attachment_delete", "draft_attachment", "post", group_only(302)),
    ("notifications:inbox", None, "get", logged_in(200)),
    ("notifications:mark_all_read", None, "post", logged_in(302)),
    ("api:call-list", None, "get", everyone(200)),
    ("api:call-detail", "call", "get", everyone(200)),
    ("api:proposal-list", None, "get", {**logged_in(200), ANON: 403}),
    ("api:proposal-list", None, "post", {**logged_in(400), ANON: 403}),  # empty body
    ("api:proposal-detail", "submitted", "get", {**group_and_staff(200), ANON: 403}),
    ("api:proposal-detail", "draft", "patch", {**group_only(200), ANON: 403}),
    ("api:proposal-detail", "submitted", "patch", {**group_and_staff(403), APPLICANT: 400, ANON: 403}),
    ("api:proposal-transitions", "submitted", "post", {**group_and_staff(400), ANON: 403}),  # empty body
    ("api:proposal-attachments", "draft", "post", {**group_only(400), ANON: 403}),
    ("api:proposal-events", "submitted", "get", {**group_and_staff(200), ANON: 403}),
    # Staff review.
    ("proposals:review_queue", None, "get", roles_only(200, OVERSIGHT)),
    ("proposals:review_queue_csv", None, "get", roles_only(200, OVERSIGHT)),
    ("proposals:review_batch", None, "post", coordinator_only(302)),
    # Staff-panel forms: an allowed empty post is refused by its fields on the page again (400), never a 302.
    ("proposals:comment_add", "submitted", "post", group_and_staff(400, group=403)),
    ("proposals:reviewer_assign", "submitted", "post", group_and_staff(403, coordinator=400)),
    ("proposals:assembly_schedule", "assembled", "post",
     group_and_staff(403, coordinator=400, reviewer=404)),
    ("proposals:assembly_record", "assembly", "post", group_and_staff(403, coordinator=302, reviewer=404)),
    ("proposals:assembly_file", "assembly_minutes", "get", group_and_staff(200, reviewer=404)),
    ("proposals:review_edit", "submitted", "get", group_and_staff(404, reviewer=200)),
    ("proposals:review_photo", "submitted", "post", group_and_staff(404, reviewer=302)),
    # A photo of a draft review: its author, coordination and audit only (a submitted review's photos
    # reach the proposal's other staff readers: tests/security/test_review_visibility.py).
    ("proposals:review_photo_file", "photo", "get",
     {**group_and_staff(404, reviewer=200), StaffRole.COORDINATOR: 200, StaffRole.AUDITOR: 200}),
    ("proposals:review_reopen", "review", "post", group_and_staff(403, coordinator=400)),
    ("proposals:my_reviews", None, "get", roles_only(200, [StaffRole.TECHNICAL_REVIEWER])),
    ("api:proposal-assemblies", "assembled", "get", {**group_and_staff(200, reviewer=404), ANON: 403}),
    ("api:proposal-assemblies", "assembled", "post",
     {**group_and_staff(400, reviewer=404), ANON: 403}),  # empty body: 400 before the role check
    ("api:proposal-assembly-outcome", "api_assembly", "post",
     {**group_and_staff(400, reviewer=404), ANON: 403}),
    ("api:proposal-reviews", "submitted", "get", {**group_and_staff(200), ANON: 403}),
    ("api:proposal-reviews", "submitted", "post", {**group_and_staff(404, reviewer=200), ANON: 403}),
    # The Committee: coordination sets it up; its secretary runs the session; its members score.
    ("committees:index", None, "get", roles_only(200, [StaffRole.COORDINATOR, StaffRole.AUDITOR,
                                                       StaffRole.COMMITTEE_SECRETARY, StaffRole.COMMITTEE_MEMBER])),
    ("committees:home", "call_pk", "get", committee_table(200)),
    ("committees:committee_set", "call_pk", "post", coordinator_only(302)),
    ("committees:member_add", "call_pk", "post", coordinator_only(302)),
    ("committees:member_remove", "seat", "post", coordinator_only(302)),
    ("committees:shortlist", "call_pk", "post", coordinator_only(302)),
    ("committees:score", "scoring", "get", {**committee_table(404), StaffRole.COMMITTEE_MEMBER: 200}),
    ("committees:recuse", "scoring", "post", {**committee_table(404), StaffRole.COMMITTEE_MEMBER: 302}),
    ("committees:session", "call_pk", "get", committee_table(200)),
    # Posted empty: the secretary gets the form again, with the errors next to the fields.
    ("committees:session", "call_pk", "post", {**committee_table(403), StaffRole.COMMITTEE_SECRETARY: 400}),
    # No session opened in this world: the allowed role gets its form's error (302) or 404.
    ("committees:selection_change", "call_pk", "post",
     {**committee_table(403), StaffRole.COMMITTEE_SECRETARY: 302}),
    ("committees:vote", "call_pk", "post", {**committee_table(403), StaffRole.COMMITTEE_MEMBER: 302}),
    ("committees:session_close", "call_pk", "post", {**committee_table(403), StaffRole.COMMITTEE_SECRETARY: 404}),
    ("committees:minutes", "call_pk", "get", committee_table(404)),
    ("committees:publish", "call_pk", "post", coordinator_only(400)),  # 400: asks to confirm first
    ("committees:results", "call_pk", "get", everyone(200)),  # before publication: "aún no publicados"
    ("committees:results_csv", "call_pk", "get", everyone(404)),
    ("committees:result_detail", "scoring", "get", everyone(404)),  # before publication
    ("api:committee-list", None, "get", {**logged_in(200), ANON: 403}),
    ("api:committee-detail", "committee", "get", {**dict.fromkeys(ROLES, 404), ANON: 403,
                                                  StaffRole.COMMITTEE_MEMBER: 200}),
    ("api:committee-proposals", "committee", "get", {**dict.fromkeys(ROLES, 404), ANON: 403,
                                                     StaffRole.COMMITTEE_MEMBER: 200}),
    ("api:committee-score", "api_score", "put", {**dict.fromkeys(ROLES, 404), ANON: 403,
                                                 StaffRole.COMMITTEE_MEMBER: 400}),
    ("api:call-results", "call", "get", everyone(404)),
    # API tokens: each person manages only their own ("api_token" is the group applicant's); the
    # world's staff have no TOTP and NICP_STAFF_MFA_REQUIRED is off here (tests/api/test_token_auth.py
    # and tests/accounts/test_api_token_pages.py cover it on).
    ("accounts:api_tokens", None, "get", logged_in(200)),
    ("accounts:api_tokens", None, "post", logged_in(302)),  # then the new key, shown once
    ("accounts:api_token_revoke", "api_token", "post", {**logged_in(404), APPLICANT: 302}),
    ("accounts:api_tokens_revoke_all", None, "post", logged_in(302)),
    ("api:tokens", None, "get", {**logged_in(200), ANON: 403}),
    ("api:token-revoke", "api_token", "delete", {**logged_in(404), ANON: 403, APPLICANT: 204}),
    ("api:logout", None, "post", {**logged_in(400), ANON: 403}),  # a session, not a token, is in use
    ("api:logout-all", None, "post", {**logged_in(200), ANON: 403}),
    # Start pages (dashboard): each person sees their own panels, read through visible_to.
    ("dashboard:start", None, "get", logged_in(200)),
]
MATRIX += matrix_reminders.ROWS + matrix_reports.ROWS

# The auditor reads everything and changes nothing (nicp/readonly.py): every unsafe request of theirs outside
# their own account is refused with 403 before any view runs, whatever the row says for the other roles.
# Their own account is listed once, in the kernel (and pinned by tests/security/test_auditor_readonly.py).
MATRIX = [(name, key, method, {**expected, StaffRole.AUDITOR: 403})
          if method != "get" and name not in OWN_ACCOUNT_URL_NAMES else (name, key, method, expected)
          for name, key, method, expected in MATRIX]

# django-allauth's own pages: each must answer without a server error and without leaking a page
# that needs a login (checked by allauth's own suite); these rows pin that for our configuration.
ALLAUTH_OK = {200, 302, 404, 405}


def named_patterns(resolver=None, namespace=""):
    """Every named route with its pattern, names qualified by their namespaces."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from named_patterns(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name, pattern


def url_names(resolver=None):
    return (name for name, _pattern in named_patterns(resolver))


def allauth_names():
    return set(url_names(get_resolver("allauth.urls")))


def test_every_url_has_a_row():
    from tests.security.test_authorization_matrix_projects import project_url_names

    covered = {name for name, *_ in MATRIX} | allauth_names() | project_url_names()
    names = {name for name in url_names() if not name.startswith("admin:")}
    assert names - covered == set(), "URLs without a row in the authorization matrix"


@pytest.fixture
def world(db, group, applicant, other_applicant, other_group, staff):
    invitation = invitation_create(actor=applicant, group=group, email="invitada@ejemplo.mx")
    call = make_open_call()
    draft = complete_proposal(proposal_create(actor=applicant, call=call, group=group, title="Borrador"), applicant)
    submitted = complete_proposal(proposal_create(actor=applicant, call=call, group=group, title="Enviada"),
                                  applicant)
    proposal_transition(actor=applicant, proposal_id=submitted.pk, action="submit")
    coordinator, reviewer = staff[StaffRole.COORDINATOR], staff[StaffRole.TECHNICAL_REVIEWER]
    document = call_document_add(actor=coordinator, call=call, title="Reglas",
                                 upload=upload("reglas.pdf", PDF_BYTES))
    reviewers_assign(actor=coordinator, proposal_ids=[submitted.pk], reviewer=reviewer)
    photo = review_photo_add(actor=reviewer, proposal_id=submitted.pk, upload=upload("f.jpg", jpeg_bytes()))
    assembled = complete_proposal(proposal_create(actor=applicant, call=call, group=group, title="Asamblea"),
                                  applicant)
    proposal_transition(actor=applicant, proposal_id=assembled.pk, action="submit")
    proposal_transition(actor=coordinator, proposal_id=assembled.pk, action="accept")
    assembly = assembly_schedule(actor=coordinator, proposal_id=assembled.pk, scheduled_at=timezone.now(),
                                 place="Plaza", convened_by="Comité")
    assembly_record(actor=coordinator, assembly_id=assembly.pk, attendees=50, votes_for=40, votes_against=5,
                    abstentions=5, minutes=upload("acta.pdf", PDF_BYTES))
    committee = committee_set(actor=coordinator, call=call, secretary=staff[StaffRole.COMMITTEE_SECRETARY])
    seat = member_add(actor=coordinator, committee=committee, email=staff[StaffRole.COMMITTEE_MEMBER].email,
                      full_name="Integrante", sector="academia", institution="UNAM")
    shortlisted = complete_proposal(proposal_create(actor=applicant, call=call, group=group, title="Comité"),
                                    applicant)
    proposal_transition(actor=applicant, proposal_id=shortlisted.pk, action="submit")
    Proposal.objects.filter(pk=shortlisted.pk).update(status="shortlisted")
    unit = group.neighbourhood
    api_token, _key = api_token_create(user=applicant, second_factor_verified=False)
    users = {ANON: None, APPLICANT: applicant, OTHER: other_applicant, **staff}
    kwargs = {
        None: {},
        "group": {"pk": group.pk},
        "invitation": {"pk": group.pk, "invitation_id": invitation.pk},
        "token": {"token": invitation.token},
        "borough": {"inegi_code": unit.borough.inegi_code},
        "unit": {"key": unit.key},
        "api_borough": {"inegi_code": unit.borough.inegi_code},
        "api_unit": {"key": unit.key},
        "call": {"pk": call.pk},
        "call_pk": {"call_pk": call.pk},
        "document": {"pk": document.pk},
        "draft": {"pk": draft.pk},
        "submitted": {"pk": submitted.pk},
        "draft_step": {"pk": draft.pk, "step": "sitio"},
        "submitted_step": {"pk": submitted.pk, "step": "sitio"},
        "submitted_attachment": {"pk": submitted.pk, "attachment_pk": submitted.attachments.first().pk},
        "draft_attachment": {"pk": draft.pk, "attachment_pk": draft.attachments.first().pk},
        "assembled": {"pk": assembled.pk},
        "assembly": {"pk": assembled.pk, "assembly_pk": assembly.pk},
        "assembly_minutes": {"pk": assembled.pk, "assembly_pk": assembly.pk, "kind": "acta"},
        "api_assembly": {"pk": assembled.pk, "assembly_id": assembly.pk},
        "photo": {"pk": submitted.pk, "photo_pk": photo.pk},
        "review": {"pk": submitted.pk, "review_pk": photo.review_id},
        "seat": {"call_pk": call.pk, "member_pk": seat.pk},
        "scoring": {"call_pk": call.pk, "pk": shortlisted.pk},
        "committee": {"pk": committee.pk},
        "api_score": {"pk": committee.pk, "proposal_id": shortlisted.pk},
        "api_token": {"prefix": api_token.token_key},
    }
    for extra in (matrix_reminders, matrix_reports):
        extra.extend_world(users=users, kwargs=kwargs, call=call, staff=staff)
    return users, kwargs, invitation


@pytest.mark.parametrize(("name", "kwargs_key", "method", "expected"), MATRIX,
                         ids=[f"{name}-{method}-{key or ''}" for name, key, method, _ in MATRIX])
def test_matrix(client, world, name, kwargs_key, method, expected):
    """One row: every role in turn (the world is built once per row; refused calls change nothing,
    and the one allowed role of a mutating row does not change what the others get)."""
    users, kwargs, _invitation = world
    wrong = wrong_answers(client, users, reverse(name, kwargs=kwargs[kwargs_key]), method, expected)
    assert not wrong, wrong


def wrong_answers(client, users, url, method, expected) -> list[str]:
    """Each role in turn asks `url`; what differs from the row. Shared with the projects' matrix."""
    wrong = []
    for role, want in expected.items():
        client.logout()
        if users[role] is not None:
            client.force_login(users[role])
        call = getattr(client, method)
        response = call(url, content_type="application/json") if method in ("patch", "put") else call(url)
        if want == "login":
            ok = response.status_code == 302 and response.url.startswith(reverse("account_login"))
        else:
            ok = response.status_code == want
        if not ok:
            wrong.append(f"{role}: expected {want}, got {response.status_code}")
    return wrong


@pytest.mark.parametrize("role", [ANON, APPLICANT, StaffRole.COORDINATOR])
def test_allauth_pages_answer_without_server_errors(client, world, role):
    users, _kwargs, _inv = world
    if users[role] is not None:
        client.force_login(users[role])
    import allauth.urls

    for pattern_name in allauth_names():
        pattern = next(p for p in _flat(allauth.urls.urlpatterns) if p.name == pattern_name)
        if pattern.pattern.regex.groups:
            continue  # pages keyed by an e-mailed secret are exercised by the sign-up and reset tests
        response = client.get(reverse(pattern_name))
        assert response.status_code in ALLAUTH_OK, (pattern_name, response.status_code)


def _flat(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _flat(pattern.url_patterns)
        else:
            yield pattern


@pytest.mark.parametrize("role", [APPLICANT, *STAFF])
def test_admin_is_closed_to_programme_roles(client, world, role):
    users, _kwargs, _inv = world
    client.force_login(users[role])
    for path in ["/admin/", "/admin/accounts/user/", "/admin/accounts/communitygroup/",
                 "/admin/neighbourhoods/neighbourhood/"]:
        response = client.get(path)
        assert response.status_code == 302 and "/admin/login/" in response.url
