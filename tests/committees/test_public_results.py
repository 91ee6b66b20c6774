"""Public results: each result links to its public page, the score scale is explained, the minutes are
linked for those who may read them, and a known call not yet decided says so instead of a 404."""

import re
from datetime import date

from django.urls import reverse

from committees.models import Outcome, SelectionEntry
from committees.scoring import SCORE_LEVELS
from proposals.models import Call
from proposals.workflow import CallState
from tests.committees.test_committee_pages import publish


def test_a_known_call_without_results_says_when_they_are_expected(client, committee_call):
    Call.objects.filter(pk=committee_call.pk).update(results_date=date(2028, 9, 15))
    response = client.get(reverse("committees:results", args=[committee_call.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Resultados aún no publicados" in html and "15 de septiembre de 2028" in html.lower()
    assert client.get(reverse("committees:results", args=[committee_call.pk + 999])).status_code == 404


def test_a_draft_call_stays_unknown_to_the_public(client, committee_call):
    Call.objects.filter(pk=committee_call.pk).update(status=CallState.DRAFT)
    assert client.get(reverse("committees:results", args=[committee_call.pk])).status_code == 404


def test_each_published_result_links_to_its_public_page(client, committee, shortlist, coordinator):
    publish(committee, shortlist, coordinator)
    html = client.get(reverse("committees:results", args=[committee.call_id])).content.decode()
    published = SelectionEntry.objects.filter(outcome__in=[Outcome.SELECTED, Outcome.WAITLISTED])
    for entry in published:
        assert f'href="{reverse("committees:result_detail", args=[committee.call_id, entry.proposal_id])}"' in html
    entry = published.filter(outcome=Outcome.SELECTED).select_related("proposal__group").first()
    page = client.get(reverse("committees:result_detail", args=[committee.call_id, entry.proposal_id]))
    detail = page.content.decode()
    assert page.status_code == 200 and entry.proposal.title in detail and str(entry.weighted_score) in detail
    assert "Seleccionada" in detail and entry.proposal.group.name not in detail  # no group or personal data
    left_out = SelectionEntry.objects.filter(outcome=Outcome.NOT_SELECTED).first()
    assert client.get(reverse("committees:result_detail", args=[committee.call_id, left_out.proposal_id])) \
        .status_code == 404


def test_the_results_page_explains_the_score_scale(client, committee, shortlist, coordinator):
    publish(committee, shortlist, coordinator)
    html = client.get(reverse("committees:results", args=[committee.call_id])).content.decode()
    assert "Cómo leer el puntaje" in html and "promedio ponderado" in html
    assert all(str(meaning) in html for meaning in SCORE_LEVELS.values())


def test_the_minutes_are_linked_for_those_who_may_read_them(client, committee, shortlist, coordinator):
    publish(committee, shortlist, coordinator)
    url = reverse("committees:results", args=[committee.call_id])
    minutes = reverse("committees:minutes", args=[committee.call_id])
    assert minutes not in client.get(url).content.decode()  # the public: the minutes are not public
    client.force_login(coordinator)
    assert re.search(rf'href="{re.escape(minutes)}"', client.get(url).content.decode())
