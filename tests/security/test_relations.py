"""Every id a client can set (form select, API payload, batch list, id in a URL) answers the same for an
object that exists but is not the actor's to choose as for one that does not exist, and discloses nothing
of it. Each row sends the forbidden id, deletes the object, sends the same request again (the id is now
missing) and compares the two answers."""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from accounts.roles import StaffRole
from committees import services as committee_services
from committees.models import Committee, CommitteeMember
from proposals.models import Assembly, Attachment, Call, Proposal, RubricCriterion, TechnicalReview
from proposals.services import proposal_create, proposal_transition
from tests.factories import CommunityGroupFactory, UserFactory, complete_proposal, make_open_call

SECRET = "Secreto-ajeno-7731"  # in the name, title or folio of every forbidden object
SECRET_FOLIO = "MB-2020-07731"


@pytest.fixture
def world(db, applicant, group, other_group, staff):
    call = make_open_call(year=2027)
    old_call = make_open_call(year=2020)
    draft = proposal_create(actor=applicant, call=call, group=group, title="Mi borrador")
    Proposal.objects.filter(pk=draft.pk).update(modality="continuation")
    submitted = complete_proposal(proposal_create(actor=applicant, call=call, group=group, title="Enviada"),
                                  applicant)
    proposal_transition(actor=applicant, proposal_id=submitted.pk, action="submit")
    coordinator = staff[StaffRole.COORDINATOR]
    committee = committee_services.committee_set(actor=coordinator, call=call,
                                                 secretary=staff[StaffRole.COMMITTEE_SECRETARY])
    committee_services.member_add(actor=coordinator, committee=committee,
                                  email=staff[StaffRole.COMMITTEE_MEMBER].email, full_name="Integrante",
                                  sector="academia", institution="UNAM")
    shortlisted = complete_proposal(proposal_create(actor=applicant, call=call, group=group, title="Comité"),
                                    applicant)
    proposal_transition(actor=applicant, proposal_id=shortlisted.pk, action="submit")
    Proposal.objects.filter(pk=shortlisted.pk).update(status="shortlisted")
    return {"call": call, "old_call": old_call, "draft": draft, "submitted": submitted, "group": group,
            "other_group": other_group, "committee": committee, "shortlisted": shortlisted,
            "users": {"applicant": applicant, **staff}}


# --- Forbidden objects: each made fresh, with nothing depending on it, so it can be deleted ------------

def foreign_proposal(w, **extra):
    """Another group's funded proposal of an earlier year: what a prober would try to continue or act on."""
    values = {"call": w["old_call"], "group": w["other_group"], "title": SECRET, "folio": SECRET_FOLIO,
              "status": "selected", "neighbourhood": w["other_group"].neighbourhood, **extra}
    return Proposal.objects.create(**values)


def foreign_draft(w):
    return Proposal.objects.create(call=w["call"], group=w["other_group"], title=SECRET)


def draft_call(w):
    call = make_open_call(year=2031, title=SECRET)
    Call.objects.filter(pk=call.pk).update(status="draft")
    return call


def foreign_group(w):
    return CommunityGroupFactory(name=SECRET, representative=UserFactory())


def plain_person(w):
    return UserFactory(full_name=SECRET, email="secreto-ajeno@ejemplo.mx")


def auditor_person(w):
    return UserFactory(full_name=SECRET, email="auditoria-ajena@ejemplo.mx", roles=[StaffRole.AUDITOR])


def foreign_seat(w):
    other = make_open_call(year=2032)
    committee = Committee.objects.create(call=other, secretary=UserFactory())
    return CommitteeMember.objects.create(committee=committee, user=plain_person(w), sector="academia",
                                          institution=SECRET)


def foreign_invitation(w):
    return Invitation.objects.create(group=w["other_group"], email="secreto-ajeno@ejemplo.mx", token=SECRET,
                                     expires_at=timezone.now() + timedelta(days=3))


def foreign_attachment(w):
    return Attachment.objects.create(proposal=foreign_proposal(w, title="Otra"), kind="site_photo",
                                     original_name=f"{SECRET}.pdf", content_type="application/pdf", size=10,
                                     file="x.pdf")


def foreign_assembly(w):
    return Assembly.objects.create(proposal=foreign_proposal(w, title="Otra"), scheduled_at=timezone.now(),
                                   place=SECRET, convened_by=SECRET, quorum_required=10)


def foreign_review(w):
    return TechnicalReview.objects.create(proposal=foreign_proposal(w, title="Otra"), reviewer=UserFactory(),
                                          status="submitted", observations=SECRET)


def foreign_criterion(w):
    return RubricCriterion.objects.create(call=w["old_call"], name=SECRET, weight=10, position=9)


# --- How each relation is sent -------------------------------------------------------------------------

def api(method, url_of, payload_of=None, query_of=None):
    def send(client, w, fid):
        url = url_of(w, fid)
        if query_of:
            return client.get(url, query_of(w, fid))
        body = json.dumps(payload_of(w, fid)) if payload_of else "{}"
        return getattr(client, method)(url, body, content_type="application/json")
    return send


def page(url_of, data_of=lambda w, fid: {}):
    def send(client, w, fid):
        return client.post(url_of(w, fid), data_of(w, fid), follow=True)
    return send


def url(name, **kwargs_of):
    return lambda w, fid: reverse(name, kwargs={k: (f(w, fid) if callable(f) else f) for k, f in kwargs_of.items()})


def of(key):
    return lambda w, fid: w[key].pk


def the_id(w, fid):
    return fid


@dataclass
class Relation:
    name: str
    actor: str
    forbidden: Callable
    send: Callable
    unchanged: Callable = lambda w: None  # a value the forbidden request must not change


def sheets_hold_only_their_rubric(w):
    from committees.models import ScoreSheet

    return all(set(sheet.scores) <= {str(pk) for pk in sheet.proposal.call.rubric.values_list("pk", flat=True)}
               for sheet in ScoreSheet.objects.select_related("proposal"))


def draft_continuation(w):
    return Proposal.objects.get(pk=w["draft"].pk).continuation_of_id


RELATIONS = [
    # The API: payload relations, list filters, ids in URLs.
    Relation("api proposal continuation_of", "applicant", foreign_proposal,
             api("patch", url("api:proposal-detail", pk=of("draft")), lambda w, fid: {"continuation_of": fid}),
             draft_continuation),
    Relation("api proposal group (update)", "applicant", foreign_group,
             api("patch", url("api:proposal-detail", pk=of("draft")), lambda w, fid: {"group": fid})),
    Relation("api proposal call (update)", "applicant", draft_call,
             api("patch", url("api:proposal-detail", pk=of("draft")), lambda w, fid: {"call": fid})),
    Relation("api proposal group (create)", "applicant", foreign_group,
             api("post", url("api:proposal-list"),
                 lambda w, fid: {"call": w["call"].pk, "group": fid, "title": "Nueva"})),
    Relation("api proposal call (create)", "applicant", draft_call,
             api("post", url("api:proposal-list"),
                 lambda w, fid: {"call": fid, "group": w["group"].pk, "title": "Nueva"})),
    Relation("api proposal list ?group=", "applicant", foreign_group,
             api("get", url("api:proposal-list"), query_of=lambda w, fid: {"group": fid})),
    Relation("api proposal list ?call=", "applicant", draft_call,
             api("get", url("api:proposal-list"), query_of=lambda w, fid: {"call": fid})),
    Relation("api proposal in URL", "applicant", foreign_draft,
             api("patch", url("api:proposal-detail", pk=the_id), lambda w, fid: {"title": "x"})),
    Relation("api committee score: proposal in URL", StaffRole.COMMITTEE_MEMBER, foreign_proposal,
             api("put", url("api:committee-score", pk=of("committee"), proposal_id=the_id),
                 lambda w, fid: {"scores": {}})),
    Relation("api committee score: criterion in payload", StaffRole.COMMITTEE_MEMBER, foreign_criterion,
             api("put", url("api:committee-score", pk=of("committee"), proposal_id=of("shortlisted")),
                 lambda w, fid: {"scores": {str(fid): {"value": 3}}, "submit": True}),
             sheets_hold_only_their_rubric),
    # HTML forms.
    Relation("form proposal continuation_of", "applicant", foreign_proposal,
             page(url("proposals:proposal_step", pk=of("draft"), step="proyecto"),
                  lambda w, fid: {"title": "Mi borrador", "modality": "continuation", "continuation_of": fid}),
             draft_continuation),
    Relation("form proposal start: group", "applicant", foreign_group,
             page(url("proposals:proposal_start", call_pk=of("call")), lambda w, fid: {"group": fid, "title": "N"})),
    Relation("form batch: reviewer", StaffRole.COORDINATOR, plain_person,
             page(url("proposals:review_batch"),
                  lambda w, fid: {"action": "assign", "reviewer": fid, "ids": [w["submitted"].pk]})),
    Relation("form batch: proposal ids", StaffRole.COORDINATOR, foreign_draft,
             page(url("proposals:review_batch"), lambda w, fid: {"action": "accept", "ids": [fid]})),
    Relation("form assign reviewer", StaffRole.COORDINATOR, plain_person,
             page(url("proposals:reviewer_assign", pk=of("submitted")), lambda w, fid: {"reviewer": fid})),
    Relation("form committee secretary (a resident)", StaffRole.COORDINATOR, plain_person,
             page(url("committees:committee_set", call_pk=of("call")), lambda w, fid: {"secretary": fid}),
             lambda w: Committee.objects.get(pk=w["committee"].pk).secretary_id),
    Relation("form committee secretary (the auditor)", StaffRole.COORDINATOR, auditor_person,
             page(url("committees:committee_set", call_pk=of("call")), lambda w, fid: {"secretary": fid}),
             lambda w: Committee.objects.get(pk=w["committee"].pk).secretary_id),
    Relation("form session: present members", StaffRole.COMMITTEE_SECRETARY, foreign_seat,
             page(url("committees:session", call_pk=of("call")),
                  lambda w, fid: {"held_on": "2027-06-01", "present": [fid]})),
    Relation("form hand over: new representative", "applicant", plain_person,
             page(url("accounts:group_hand_over", pk=of("group")), lambda w, fid: {"new_representative": fid})),
    # Ids in page URLs.
    Relation("committee score page: proposal", StaffRole.COMMITTEE_MEMBER, foreign_proposal,
             page(url("committees:score", call_pk=of("call"), pk=the_id))),
    Relation("committee recusal: proposal", StaffRole.COMMITTEE_MEMBER, foreign_proposal,
             page(url("committees:recuse", call_pk=of("call"), pk=the_id), lambda w, fid: {"reason": "x"})),
    Relation("committee member removal: seat", StaffRole.COORDINATOR, foreign_seat,
             page(url("committees:member_remove", call_pk=of("call"), member_pk=the_id))),
    Relation("invitation revoke", "applicant", foreign_invitation,
             page(url("accounts:invitation_revoke", pk=of("group"), invitation_id=the_id))),
    Relation("attachment delete", "applicant", foreign_attachment,
             page(url("proposals:attachment_delete", pk=of("draft"), attachment_pk=the_id))),
    Relation("assembly record", StaffRole.COORDINATOR, foreign_assembly,
             page(url("proposals:assembly_record", pk=of("submitted"), assembly_pk=the_id))),
    Relation("review reopen", StaffRole.COORDINATOR, foreign_review,
             page(url("proposals:review_reopen", pk=of("submitted"), review_pk=the_id), lambda w, fid: {"note": "x"})),
    Relation("staff comment on a draft", StaffRole.COORDINATOR, foreign_draft,
             page(url("proposals:comment_add", pk=the_id), lambda w, fid: {"body": "x"})),
]

VOLATILE = [re.compile(p) for p in (r'name="csrfmiddlewaretoken" value="[^"]*"', r'nonce="[^"]*"',
                                     r'csrf[-_]?token[^>]*>')]


def normalised(response) -> tuple:
    body = response.content.decode()
    for pattern in VOLATILE:
        body = pattern.sub("", body)
    chain = [(url, code) for url, code in getattr(response, "redirect_chain", [])]
    return response.status_code, chain, body


def row_counts() -> dict:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.mark.parametrize("relation", RELATIONS, ids=[r.name for r in RELATIONS])
def test_forbidden_and_missing_ids_answer_alike(client, world, relation):
    client.force_login(world["users"][relation.actor])
    forbidden = relation.forbidden(world)
    fid = forbidden.pk
    before, unchanged = row_counts(), relation.unchanged(world)
    first = relation.send(client, world, fid)
    assert row_counts() == before, "the forbidden id wrote something"
    assert relation.unchanged(world) == unchanged
    assert SECRET not in first.content.decode() and SECRET_FOLIO not in first.content.decode()
    forbidden.delete()
    second = relation.send(client, world, fid)
    assert normalised(first) == normalised(second)
    assert first.status_code < 500


def test_a_choosable_continuation_is_accepted(client, world, applicant):
    """The same path with an id the group may choose works: the rows above refuse for the right reason."""
    own = foreign_proposal(world, group=world["group"], title="Nuestro parque 2020")
    client.force_login(applicant)
    response = client.patch(reverse("api:proposal-detail", args=[world["draft"].pk]),
                            json.dumps({"continuation_of": own.pk}), content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["continuation_of"] == own.pk


def test_refused_relation_says_so_in_spanish(client, world, applicant):
    client.force_login(applicant)
    response = client.patch(reverse("api:proposal-detail", args=[world["draft"].pk]),
                            json.dumps({"continuation_of": 987654}), content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"continuation_of": ["No existe o no tienes acceso."]}


def test_service_refuses_a_continuation_the_actor_may_not_choose(world, applicant):
    from django.core.exceptions import ValidationError

    from proposals.services import proposal_update

    foreign = foreign_proposal(world)
    with pytest.raises(ValidationError) as error:
        proposal_update(actor=applicant, proposal_id=world["draft"].pk, data={"continuation_of": foreign})
    assert error.value.message_dict == {"continuation_of": ["No existe o no tienes acceso."]}
    assert draft_continuation(world) is None
