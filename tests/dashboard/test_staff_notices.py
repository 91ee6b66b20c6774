"""Staff are told when something waits for them: in-app, and by e-mail after commit; the notices page
marks read what it showed and links each card with words that say where it goes."""

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse
from django.utils.formats import date_format

from accounts.roles import StaffRole
from committees import services as committee_services
from committees.models import Vote
from notifications.models import Notice
from proposals import services
from proposals.workflow import ProposalState
from tests.committees.conftest import shortlisted_proposals
from tests.factories import CommunityGroupFactory, UserFactory, complete_proposal, make_open_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(db):
    return make_open_call(committee_quorum=3)


@pytest.fixture
def coordinator(call):
    return UserFactory(roles=[StaffRole.COORDINATOR], email="coordinacion@ejemplo.mx")


def sent(call, group, applicant, title="Parque La Ermita"):
    proposal = complete_proposal(services.proposal_create(actor=applicant, call=call, group=group, title=title),
                                 applicant)
    return services.proposal_transition(actor=applicant, proposal_id=proposal.pk, action="submit")


def notices_of(user):
    return list(Notice.objects.filter(recipient=user))


def test_a_new_submission_reaches_every_coordinator_in_app_and_by_email(
        call, group, applicant, coordinator, django_capture_on_commit_callbacks):
    second = UserFactory(roles=[StaffRole.COORDINATOR])
    reviewer = UserFactory(roles=[StaffRole.TECHNICAL_REVIEWER])
    with django_capture_on_commit_callbacks(execute=True):
        proposal = sent(call, group, applicant)
    for person in (coordinator, second):
        notice, = notices_of(person)
        assert notice.subject == f"Nueva propuesta por revisar: {proposal.folio}"
        assert group.name in notice.body and "Parque La Ermita" in notice.body
        assert notice.url == reverse("proposals:proposal_review", args=[proposal.pk])
        assert notice.link_text == f"Revisar la propuesta {proposal.folio}"
    assert notices_of(reviewer) == []
    email = next(m for m in mail.outbox if m.to == [coordinator.email])
    assert f"Revisar la propuesta {proposal.folio}:\n" in email.body and notice.url in email.body


def test_a_resubmission_after_corrections_reaches_coordination(call, group, applicant, coordinator):
    proposal = sent(call, group, applicant)
    services.proposal_transition(actor=coordinator, proposal_id=proposal.pk, action="return", note="Falta la firma.",
                                 correction_deadline=call.registration_closes_on)
    services.proposal_transition(actor=applicant, proposal_id=proposal.pk, action="resubmit")
    assert [n.subject for n in notices_of(coordinator)][0] == f"Propuesta corregida por revisar: {proposal.folio}"


def test_an_assignment_reaches_that_reviewer_only(call, group, applicant, coordinator):
    reviewer, other = (UserFactory(roles=[StaffRole.TECHNICAL_REVIEWER]) for _ in range(2))
    proposal = sent(call, group, applicant)
    services.proposal_transition(actor=coordinator, proposal_id=proposal.pk, action="accept")
    services.reviewers_assign(actor=coordinator, proposal_ids=[proposal.pk], reviewer=reviewer)
    services.reviewers_assign(actor=coordinator, proposal_ids=[proposal.pk], reviewer=reviewer)  # already assigned
    notice, = notices_of(reviewer)
    assert notice.subject == f"Dictamen técnico asignado: {proposal.folio}"
    assert notice.url == reverse("proposals:review_edit", args=[proposal.pk])
    assert date_format(call.technical_review_deadline, "DATE_FORMAT") in notice.body  # «27 de enero de 2027»
    assert notices_of(other) == []


def members(committee):
    return list(committee.members.select_related("user").order_by("pk"))


def test_sending_proposals_to_the_committee_asks_each_member_once_to_score(call, coordinator, committee):
    ready = shortlisted_proposals(call, 3)
    type(ready[0]).objects.filter(pk__in=[p.pk for p in ready]).update(status=ProposalState.FEASIBLE)
    committee_services.shortlist_ready(actor=coordinator, call=call)
    for member in members(committee):
        notice, = notices_of(member.user)
        assert notice.subject == f"Propuestas por calificar: {call.title}"
        assert notice.url == reverse("committees:home", args=[call.pk])
        assert notice.link_text == f"Calificar lo pendiente en la {call.title}"
    assert notices_of(committee.secretary) == []


def score(member, proposal, value=4):
    values = {str(c.pk): {"value": value, "comment": ""} for c in proposal.call.rubric.all()}
    committee_services.score_save(actor=member.user, proposal_id=proposal.pk, values=values, submit=True)


def test_opening_the_session_tells_the_members_to_vote(call, committee):
    proposals = shortlisted_proposals(call, 2)
    for member in members(committee):
        for proposal in proposals:
            score(member, proposal)
    committee_services.session_open(actor=committee.secretary, committee=committee, held_on=date.today(),
                                    present_member_ids=[m.pk for m in members(committee)])
    for member in members(committee):
        assert [n.link_text for n in notices_of(member.user)] == ["Ir a la sesión y votar"]


def test_a_recusal_that_voids_scores_tells_the_secretary(call, committee, coordinator):
    proposal, = shortlisted_proposals(call, 1)
    member = members(committee)[0]
    score(member, proposal)
    # The member joins the proposing group after scoring: a conflict of interest.
    from accounts.models import Membership

    Membership.objects.create(group=proposal.group, user=member.user)
    committee_services.recusals_refresh(committee=committee, actor=coordinator)
    notice, = notices_of(committee.secretary)
    assert notice.subject == f"Calificaciones anuladas: {proposal.folio}"
    assert member.user.get_full_name() in notice.body
    # The member hears once, from the recusal itself (which says their scores no longer count).
    assert [n.subject for n in notices_of(member.user)] == ["Excusa automática en el Comité Técnico Mixto"]


def test_a_scored_proposal_withdrawn_tells_its_scorers_and_the_secretary(call, committee):
    proposal, other = shortlisted_proposals(call, 2)
    first, second, _third = members(committee)
    score(first, proposal)
    score(second, other)
    representative = proposal.group.memberships.get().user
    services.proposal_transition(actor=representative, proposal_id=proposal.pk, action="withdraw", note="Ya no.")
    assert [n.subject for n in notices_of(first.user)] == [f"Una propuesta calificada dejó el Comité: {proposal.folio}"]
    assert notices_of(second.user) == []
    assert "ya no cuentan" in notices_of(committee.secretary)[0].body


def test_votes_annulled_by_a_change_to_the_list_tell_each_voter_to_vote_again(
        call, committee, django_capture_on_commit_callbacks):
    proposals = shortlisted_proposals(call, 3)
    seated = members(committee)
    for member in seated:
        for proposal in proposals:
            score(member, proposal, value=3 + proposals.index(proposal) % 2)
    session = committee_services.session_open(actor=committee.secretary, committee=committee, held_on=date.today(),
                                              present_member_ids=[m.pk for m in seated])
    for member in seated[:2]:
        committee_services.vote_cast(actor=member.user, session_id=session.pk, choice="for")
    entry = session.entries.order_by("rank").last()
    with django_capture_on_commit_callbacks(execute=True):
        committee_services.selection_change(actor=committee.secretary, session_id=session.pk,
                                            proposal_id=entry.proposal_id, outcome="not_selected",
                                            reason="El predio tiene un litigio.")
    assert not Vote.objects.filter(session=session).exists()
    for member in seated[:2]:
        assert f"Tu voto ya no cuenta: {call.title}" in [n.subject for n in notices_of(member.user)]
    assert f"Tu voto ya no cuenta: {call.title}" not in [n.subject for n in notices_of(seated[2].user)]


# --- The notices page -------------------------------------------------------------------------------

def test_opening_the_notices_marks_read_what_was_shown_and_links_say_where_they_go(client, applicant):
    from notifications.services import notify

    notify(recipients=[applicant], subject="MB-2027-00001: Devuelta", body="Corrige el presupuesto.",
           url="/propuestas/1/", link_text="Corregir la propuesta MB-2027-00001")
    notify(recipients=[applicant], subject="Sin texto propio", body="Un aviso antiguo.", url="/propuestas/2/")
    client.force_login(applicant)
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert '<a href="/propuestas/1/">Corregir la propuesta MB-2027-00001</a>' in html
    assert '<a href="/propuestas/2/">Abrir «Sin texto propio»</a>' in html
    assert ">Ver<" not in html
    assert "2 avisos nuevos, marcados ahora como leídos." in html
    assert not Notice.objects.filter(recipient=applicant, read_at__isnull=True).exists()
    assert "avisos nuevos" not in client.get(reverse("notifications:inbox")).content.decode()


def test_only_the_notices_shown_are_marked_read(client, applicant):
    from notifications.services import notify

    for i in range(32):
        notify(recipients=[applicant], subject=f"Aviso {i}", body=".")
    client.force_login(applicant)
    client.get(reverse("notifications:inbox"))
    assert Notice.objects.filter(recipient=applicant, read_at__isnull=True).count() == 2  # page 2 not shown yet


def test_another_groups_notice_is_never_marked(client, applicant, other_applicant):
    from notifications.services import notify

    notify(recipients=[other_applicant], subject="Ajeno", body=".")
    client.force_login(applicant)
    client.get(reverse("notifications:inbox"))
    assert Notice.objects.get(recipient=other_applicant).read_at is None


def test_staff_notices_reach_the_coordinator_of_a_group_they_do_not_belong_to(call, coordinator):
    group = CommunityGroupFactory(representative=(rep := UserFactory()))
    sent(call, group, rep)
    assert len(notices_of(coordinator)) == 1


def test_what_happens_while_muted_tells_nobody(applicant):
    from notifications.services import muted, notify

    with muted():
        assert notify(recipients=[applicant], subject="Historia", body=".") == []
    assert notify(recipients=[applicant], subject="Hoy", body=".")
    assert [n.subject for n in notices_of(applicant)] == ["Hoy"]
