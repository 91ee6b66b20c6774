import csv
import io
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import CHECKLIST, Proposal, StaffComment
from proposals.workflow import ProposalState
from tests.factories import PDF_BYTES, UserFactory, complete_proposal, upload


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=["coordinator"], full_name="Laura Coordinadora")


def submit_many(call, group, applicant, n, **kwargs):
    out = []
    for i in range(n):
        proposal = complete_proposal(services.proposal_create(actor=applicant, call=call, group=group,
                                                              title=f"Propuesta {i}"), applicant, **kwargs)
        out.append(services.proposal_transition(actor=applicant, proposal_id=proposal.pk, action="submit"))
    return out


def test_queue_filters_counts_and_search(client, call, group, applicant, coordinator):
    first, second, third = submit_many(call, group, applicant, 3)
    services.proposal_transition(actor=coordinator, proposal_id=second.pk, action="accept")
    client.force_login(coordinator)
    html = client.get(reverse("proposals:review_queue")).content.decode()
    assert "Enviada (2)" in html and "Elegible (1)" in html
    only = client.get(reverse("proposals:review_queue"), {"status": "eligible"}).content.decode()
    assert second.folio in only and first.folio not in only
    assert "Enviada (2)" in only  # counts ignore the state filter, so every state stays one click away
    found = client.get(reverse("proposals:review_queue"), {"q": third.folio}).content.decode()
    assert third.folio in found and first.folio not in found
    stratum = group.neighbourhood.stratum
    assert first.folio in client.get(reverse("proposals:review_queue"), {"stratum": stratum}).content.decode()
    bad = client.get(reverse("proposals:review_queue"), {"status": "nonsense"})
    assert bad.status_code == 200 and "Elige una opción válida" in bad.content.decode()


def test_queue_csv_export_follows_the_filters(client, call, group, applicant, coordinator):
    first, second = submit_many(call, group, applicant, 2)
    services.proposal_transition(actor=coordinator, proposal_id=second.pk, action="accept")
    client.force_login(coordinator)
    response = client.get(reverse("proposals:review_queue_csv"), {"status": "eligible"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "folio" and [r[0] for r in rows[1:]] == [second.folio]


def test_batch_accept_and_assign_from_the_queue(client, call, group, applicant, coordinator):
    proposals = submit_many(call, group, applicant, 3)
    reviewer = UserFactory(roles=["technical_reviewer"])
    client.force_login(coordinator)
    ids = [str(p.pk) for p in proposals[:2]]
    response = client.post(reverse("proposals:review_batch"),
                           {"ids": ids, "action": "accept", "back": "status=submitted"}, follow=True)
    assert "2 de 2 propuestas procesadas" in response.content.decode()
    assert Proposal.objects.filter(status=ProposalState.ELIGIBLE).count() == 2
    client.post(reverse("proposals:review_batch"), {"ids": ids, "action": "assign", "reviewer": reviewer.pk})
    assert set(Proposal.objects.filter(review_assignments__reviewer=reviewer).values_list("pk", flat=True)) == \
        {proposals[0].pk, proposals[1].pk}
    empty = client.post(reverse("proposals:review_batch"), {"action": "accept"}, follow=True)
    assert "Selecciona al menos una propuesta" in empty.content.decode()


@pytest.mark.parametrize("rows", [2, 25])
def test_queue_query_count_is_constant(client, call, group, applicant, coordinator, rows):
    for i in range(rows):
        proposal = services.proposal_create(actor=applicant, call=call, group=group, title=f"P{i}")
        Proposal.objects.filter(pk=proposal.pk).update(status="submitted", folio=f"MB-X-{i:05d}",
                                                       submitted_at=timezone.now())
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("proposals:review_queue")).status_code == 200
    assert len(queries) <= 10, [q["sql"][:120] for q in queries]


def test_staff_panel_return_then_the_group_sees_why_and_until_when(client, call, group, applicant, coordinator):
    proposal = submit_many(call, group, applicant, 1)[0]
    client.force_login(coordinator)
    deadline = (timezone.now() + timedelta(days=5)).date()
    client.post(reverse("proposals:proposal_action", args=[proposal.pk]), {
        "action": "return", "note": "Falta la firma", "version": proposal.version,
        "correction_deadline": deadline.isoformat()})
    client.post(reverse("proposals:comment_add", args=[proposal.pk]), {"body": "Nota solo para el equipo"})
    client.force_login(applicant)
    html = client.get(reverse("proposals:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Falta la firma" in html and "Devuelta para correcciones" in html and "Qué sigue" in html
    assert "Nota solo para el equipo" not in html and StaffComment.objects.count() == 1
    assert "Revisión del programa" not in html


def test_assembly_and_review_through_the_pages(client, call, group, applicant, coordinator):
    proposal = submit_many(call, group, applicant, 1)[0]
    services.proposal_transition(actor=coordinator, proposal_id=proposal.pk, action="accept")
    client.force_login(coordinator)
    when = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    client.post(reverse("proposals:assembly_schedule", args=[proposal.pk]),
                {"scheduled_at": when, "place": "Plaza", "convened_by": "Comité"})
    assembly = proposal.assemblies.get()
    with time_machine.travel(assembly.scheduled_at + timedelta(hours=3)):
        bad = client.post(reverse("proposals:assembly_record", args=[proposal.pk, assembly.pk]),
                          {"attendees": "10", "votes_for": "20", "votes_against": "0", "abstentions": "0",
                           "minutes": upload("acta.pdf", PDF_BYTES)}, follow=True)
        assert "más votos (20) que asistentes (10)" in bad.content.decode()
        client.post(reverse("proposals:assembly_record", args=[proposal.pk, assembly.pk]),
                    {"attendees": "45", "votes_for": "40", "votes_against": "2", "abstentions": "3",
                     "minutes": upload("acta.pdf", PDF_BYTES)})
    reviewer = UserFactory(roles=["technical_reviewer"])
    client.post(reverse("proposals:reviewer_assign", args=[proposal.pk]), {"reviewer": reviewer.pk})
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalState.IN_REVIEW
    client.force_login(reviewer)
    assert proposal.folio in client.get(reverse("proposals:my_reviews")).content.decode()
    data = {f"answer_{code}": "yes" for code in CHECKLIST} | {"result": "feasible_with_observations",
                                                             "observations": "Usar luminarias LED"}
    missing = client.post(reverse("proposals:review_edit", args=[proposal.pk]), {**data, "observations": "",
                                                                                "submit": "1", "confirm": "on"})
    assert missing.status_code == 400 and "Escribe las observaciones" in missing.content.decode()
    client.post(reverse("proposals:review_edit", args=[proposal.pk]), {**data, "submit": "1", "confirm": "on"})
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalState.FEASIBLE
    client.force_login(applicant)
    html = client.get(reverse("proposals:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Factible con observaciones" in html and "Usar luminarias LED" in html
    assert "Aprobó el proyecto" in html
