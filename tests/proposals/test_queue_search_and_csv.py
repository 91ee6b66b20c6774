"""The review queue finds group and unit names; its CSV reads in Spanish and Mexico City time."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals import services
from proposals.models import Proposal
from tests.factories import CommunityGroupFactory, NeighbourhoodFactory, UserFactory, complete_proposal


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=["coordinator"])


def submitted(call, group, actor, title):
    proposal = complete_proposal(services.proposal_create(actor=actor, call=call, group=group, title=title), actor)
    return services.proposal_transition(actor=actor, proposal_id=proposal.pk, action="submit")


@pytest.fixture
def two(call, group, applicant, other_applicant):
    unit = NeighbourhoodFactory(name="Pueblo de Santa Cruz Atoyac")
    other = CommunityGroupFactory(name="Colectivo Huertos del Sur", neighbourhood=unit,
                                  representative=other_applicant)
    first = submitted(call, group, applicant, "Parque de bolsillo")
    second = submitted(call, other, other_applicant, "Alumbrado del andador")
    Proposal.objects.filter(pk=second.pk).update(neighbourhood=unit)
    return first, second


@pytest.mark.parametrize("query", ["huertos del", "ATOYAC"])
def test_the_search_finds_group_and_unit_names(client, coordinator, two, query):
    first, second = two
    client.force_login(coordinator)
    html = client.get(reverse("proposals:review_queue"), {"q": query}).content.decode()
    assert second.folio in html and first.folio not in html


def test_a_name_search_costs_the_same_queries_as_a_title_search(client, coordinator, two):
    client.force_login(coordinator)
    counts = []
    for query in ("Parque", "Huertos"):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("proposals:review_queue"), {"q": query})
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_the_csv_has_labels_codes_and_mexico_city_time(client, coordinator, two):
    first, _second = two
    Proposal.objects.filter(pk=first.pk).update(submitted_at=datetime(2026, 11, 3, 2, 30, tzinfo=UTC))
    client.force_login(coordinator)
    response = client.get(reverse("proposals:review_queue_csv"), {"q": first.folio})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert len(rows) == 1
    row = rows[0]
    assert (row["estado"], row["estado_codigo"]) == ("Enviada", "submitted")
    assert (row["tipo_proyecto"], row["tipo_proyecto_codigo"]) == ("Parque o jardín", "park")
    assert (row["modalidad"], row["modalidad_codigo"]) == ("Proyecto nuevo", "new")
    assert row["estrato_codigo"] and row["estrato"] != row["estrato_codigo"]
    assert row["enviada_hora_cdmx"] == "2026-11-02 20:30"  # 02:30 UTC is the evening before in Mexico City
