"""Each role's start page lists what waits for that person, with counts, deadlines and a link to act;
login lands there; the page's queries do not grow with the rows it lists."""

from datetime import datetime, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import StaffRole
from committees import services as committee_services
from proposals import services
from proposals.models import Proposal
from proposals.models.calls import MEXICO_CITY
from proposals.workflow import ProposalState
from tests.committees.conftest import shortlisted_proposals
from tests.factories import PASSWORD, UserFactory, complete_proposal, make_open_call

pytestmark = pytest.mark.django_db
START = reverse("dashboard:start")


@pytest.fixture
def call(db):
    return make_open_call()


@pytest.fixture
def coordinator(call):
    return UserFactory(roles=[StaffRole.COORDINATOR], full_name="Laura Coordinación")


def submitted(call, group, applicant, title="Parque La Ermita"):
    proposal = services.proposal_create(actor=applicant, call=call, group=group, title=title)
    complete_proposal(proposal, applicant)
    return services.proposal_transition(actor=applicant, proposal_id=proposal.pk, action="submit")


def returned(call, group, applicant, coordinator, title, *, deadline):
    proposal = submitted(call, group, applicant, title)
    return services.proposal_transition(actor=coordinator, proposal_id=proposal.pk, action="return",
                                        note="Falta la firma de la constancia del predio.",
                                        correction_deadline=deadline)


def page_for(client, user):
    client.force_login(user)
    response = client.get(START)
    assert response.status_code == 200
    return response.content.decode()


def test_login_lands_on_the_start_page(client, applicant):
    response = client.post(reverse("account_login"), {"login": applicant.email, "password": PASSWORD})
    assert response.status_code == 302 and response.url == START


def test_anonymous_is_sent_to_log_in(client):
    response = client.get(START)
    assert response.status_code == 302 and reverse("account_login") in response.url


def test_group_panel_lists_drafts_with_the_registration_deadline_and_returned_with_reason(
        client, call, group, applicant, coordinator):
    draft = services.proposal_create(actor=applicant, call=call, group=group, title="Alumbrado del andador")
    back = returned(call, group, applicant, coordinator, "Cancha de usos múltiples",
                    deadline=call.registration_closes_on)
    submitted(call, group, applicant, "Enviada")
    gone = submitted(call, group, applicant, "Retirada")
    services.proposal_transition(actor=applicant, proposal_id=gone.pk, action="withdraw", note="Esperamos.")
    html = page_for(client, applicant)
    assert "1 propuesta más sigue su proceso." in html  # the withdrawn one is not in process
    assert "1 borrador sin enviar" in html
    assert f'href="{reverse("proposals:proposal_detail", args=[draft.pk])}"' in html
    assert "Completar y enviar «Alumbrado del andador»" in html
    assert "El registro cierra el" in html and "faltan 30 días" in html
    assert "1 propuesta devuelta para corregir" in html
    assert "Corregir «Cancha de usos múltiples»" in html
    assert "Motivo: Falta la firma de la constancia del predio." in html
    assert f'href="{reverse("proposals:proposal_detail", args=[back.pk])}"' in html


def test_group_panel_shows_upcoming_assemblies(client, call, group, applicant, coordinator):
    proposal = submitted(call, group, applicant)
    services.proposal_transition(actor=coordinator, proposal_id=proposal.pk, action="accept")
    day = timezone.localdate() + timedelta(days=2)  # inside the window, never in the past
    services.assembly_schedule(actor=coordinator, proposal_id=proposal.pk,
                               scheduled_at=datetime.combine(day, time(11, 0), MEXICO_CITY),
                               place="Explanada de la parroquia", convened_by="Comité vecinal")
    html = page_for(client, applicant)
    assert "1 asamblea próxima" in html and "11:00 en Explanada de la parroquia" in html


def test_a_person_without_a_group_is_told_what_to_do_next(client, call):
    html = page_for(client, UserFactory())
    assert "Todavía no integras un grupo comunitario" in html
    assert reverse("accounts:group_create") in html
    assert call.title in html  # the open call, with its deadline


def test_coordinator_sees_queue_counts_and_overdue_corrections(client, call, group, applicant, coordinator):
    submitted(call, group, applicant, "Primera")
    submitted(call, group, applicant, "Segunda")
    late = returned(call, group, applicant, coordinator, "Vencida", deadline=call.registration_closes_on)
    # The correction deadline passed with no decision: coordination must decide.
    type(late).objects.filter(pk=late.pk).update(correction_deadline=call.registration_opens_on)
    html = page_for(client, coordinator)
    assert "3 propuestas en proceso" in html
    assert f'href="{reverse("proposals:review_queue")}?status=submitted"><strong>2</strong> Enviada' in html
    assert "1 plazo de corrección vencido, sin decisión" in html
    assert f"Decidir sobre {late.folio} «Vencida»" in html
    assert "Tu grupo comunitario" not in html  # staff without a group see no group panel


def test_reviewer_sees_the_assigned_reviews_not_submitted(client, call, group, applicant, coordinator):
    reviewer = UserFactory(roles=[StaffRole.TECHNICAL_REVIEWER])
    other = UserFactory(roles=[StaffRole.TECHNICAL_REVIEWER])
    call.assembly_before_review = False
    call.save(update_fields=["assembly_before_review"])
    mine, theirs = submitted(call, group, applicant, "Mía"), submitted(call, group, applicant, "Ajena")
    for proposal in (mine, theirs):
        services.proposal_transition(actor=coordinator, proposal_id=proposal.pk, action="accept")
    services.reviewers_assign(actor=coordinator, proposal_ids=[mine.pk], reviewer=reviewer)
    services.reviewers_assign(actor=coordinator, proposal_ids=[theirs.pk], reviewer=other)
    html = page_for(client, reviewer)
    assert "1 dictamen por entregar" in html
    assert f"Empezar el dictamen de {mine.folio} «Mía»" in html
    assert reverse("proposals:review_edit", args=[mine.pk]) in html
    assert "Ajena" not in html
    assert "Fecha límite:" in html


def score(member, proposal):
    values = {str(c.pk): {"value": 4, "comment": ""} for c in proposal.call.rubric.all()}
    committee_services.score_save(actor=member.user, proposal_id=proposal.pk, values=values, submit=True)


def test_member_sees_unscored_proposals_and_the_scoring_deadline(client, call, committee):
    proposals = shortlisted_proposals(call, 3)
    member = committee.members.select_related("user").order_by("pk").first()
    score(member, proposals[0])
    html = page_for(client, member.user)
    assert "Te faltan calificar 2 propuestas (ya calificaste 1)." in html
    assert "Califica antes de la sesión del" in html
    assert reverse("committees:score", args=[call.pk, proposals[1].pk]) in html
    assert reverse("committees:score", args=[call.pk, proposals[0].pk]) not in html


def test_secretary_sees_who_has_scored_how_much(client, call, committee):
    proposals = shortlisted_proposals(call, 2)
    first_member, *_others = committee.members.select_related("user").order_by("pk")
    for proposal in proposals:
        score(first_member, proposal)
    html = page_for(client, committee.secretary)
    assert "2 propuestas por calificar antes de la sesión" in html
    assert "Integrante 0: 2 de 2 calificadas" in html
    assert "Integrante 1: 0 de 2 calificadas — <strong>faltan 2</strong>" in html
    assert "A 2 integrantes les faltan calificaciones." in html


def test_finance_and_auditor_see_what_exists_today(client, call, staff):
    html = page_for(client, staff[StaffRole.FINANCE_OFFICER])
    assert "Aún no hay proyectos financiados" in html
    html = page_for(client, staff[StaffRole.AUDITOR])
    assert "Auditoría" in html and "solo lectura" in html and call.title in html


def test_a_person_with_several_roles_sees_each_panel(client, call, group, applicant):
    from accounts.services import role_grant

    role_grant(user=applicant, role=StaffRole.TECHNICAL_REVIEWER)
    role_grant(user=applicant, role=StaffRole.COORDINATOR)
    html = page_for(client, applicant)
    for heading in ("Tu grupo comunitario", "Coordinación", "Revisión técnica"):
        assert f">{heading}</h2>" in html


def queries_for(client, user):
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(START).status_code == 200
    return len(captured)


def test_the_group_page_queries_do_not_grow_with_its_proposals(client, call, group, applicant, coordinator):
    services.proposal_create(actor=applicant, call=call, group=group, title="Borrador 0")
    returned(call, group, applicant, coordinator, "Devuelta 0", deadline=call.registration_closes_on)
    few = queries_for(client, applicant)
    for i in range(1, 5):
        services.proposal_create(actor=applicant, call=call, group=group, title=f"Borrador {i}")
        returned(call, group, applicant, coordinator, f"Devuelta {i}", deadline=call.registration_closes_on)
    assert queries_for(client, applicant) == few


def test_the_staff_pages_queries_do_not_grow_with_rows(client, call, committee, coordinator):
    proposals = shortlisted_proposals(call, 8)
    later = [p.pk for p in proposals[2:]]
    Proposal.objects.filter(pk__in=later).update(status=ProposalState.FEASIBLE)
    members = list(committee.members.select_related("user").order_by("pk"))
    counts = {who.pk: queries_for(client, who) for who in (coordinator, committee.secretary, members[0].user)}
    Proposal.objects.filter(pk__in=later).update(status=ProposalState.SHORTLISTED)
    score(members[0], proposals[3])
    score(members[1], proposals[0])
    for who in (coordinator, committee.secretary, members[0].user):
        assert queries_for(client, who) == counts[who.pk], who


def test_home_shows_the_open_call_with_its_deadline_and_a_link_to_apply(client, call):
    html = client.get(reverse("home")).content.decode()
    assert call.title in html and "El registro de propuestas cierra el" in html and "faltan 30 días" in html
    assert reverse("account_signup") in html
    client.force_login(UserFactory())
    html = client.get(reverse("home")).content.decode()
    assert reverse("proposals:proposal_start", args=[call.pk]) in html
    assert reverse("dashboard:start") in html


def test_home_without_an_open_call_says_so(client):
    html = client.get(reverse("home")).content.decode()
    assert "No hay convocatorias abiertas ahora." in html


def link_texts(html: str, start: str, end: str) -> list[str]:
    import re

    part = html[html.index(start):html.index(end, html.index(start))]
    return [" ".join(re.sub(r"<[^>]+>", " ", text).split()) for text in re.findall(r"<a [^>]*>(.*?)</a>", part, re.S)]


def test_panel_links_never_repeat_the_menus_words(client, call, group, applicant):
    """A link in a panel that contains a menu entry's words ("Ver todas mis propuestas" beside "Mis
    propuestas") makes both ambiguous, to a screen reader's list of links as to a test that clicks by name."""
    from accounts.services import role_grant

    services.proposal_create(actor=applicant, call=call, group=group, title="Alumbrado del andador")
    for role in StaffRole.values:
        role_grant(user=applicant, role=role)
    for user in (applicant, UserFactory()):
        client.force_login(user)
        for url in (START, reverse("home"), reverse("notifications:inbox")):
            html = client.get(url).content.decode()
            menu = [t.lower() for t in link_texts(html, "<nav", "</nav>") if t]
            for text in link_texts(html, '<main id="contenido"', "</main>"):
                if text[:1].isdigit():
                    continue  # a count named by its state's label ("7 En evaluación del Comité") is data
                assert not [m for m in menu if m in text.lower()], (url, text)
