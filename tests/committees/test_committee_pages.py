import csv
import io
from datetime import date

from django.urls import reverse
from rest_framework.test import APIClient

from committees import services
from committees.models import Session
from tests.committees.conftest import members, score_all


def publish(committee, shortlist, coordinator):
    score_all(committee, shortlist)
    session = services.session_open(actor=committee.secretary, committee=committee, held_on=date.today(),
                                    present_member_ids=[m.pk for m in members(committee)])
    for member in members(committee):
        services.vote_cast(actor=member.user, session_id=session.pk, choice="for")
    services.session_close(actor=committee.secretary, session_id=session.pk)
    return services.results_publish(actor=coordinator, call=committee.call)


def test_score_page_hides_others_until_the_member_submits(client, committee, shortlist):
    first, second = members(committee)[:2]
    rubric = list(committee.call.rubric.all())
    proposal = shortlist[0]
    services.score_save(actor=first.user, proposal_id=proposal.pk,
                        values={str(c.pk): {"value": 5} for c in rubric}, submit=True)
    client.force_login(second.user)
    url = reverse("committees:score", args=[committee.call_id, proposal.pk])
    page = client.get(url).content.decode()
    assert "Verás las calificaciones de las demás personas" in page and "Integrante 0" not in page
    bad = client.post(url, {f"value_{rubric[0].pk}": "", "submit": "1", "confirm": "on"})
    assert bad.status_code == 400 and "falta la calificación" in bad.content.decode()
    client.post(url, {f"value_{rubric[0].pk}": "3", "submit": "1", "confirm": "on"})
    page = client.get(url).content.decode()
    assert "Integrante 0" in page and "5.000" in page


def test_recused_member_gets_404_on_the_proposal(client, committee, shortlist):
    member = members(committee)[0]
    services.recusal_declare(actor=member.user, proposal_id=shortlist[0].pk, reason="Vivo ahí")
    client.force_login(member.user)
    assert client.get(reverse("committees:score", args=[committee.call_id, shortlist[0].pk])).status_code == 404
    assert client.get(reverse("proposals:proposal_detail", args=[shortlist[0].pk])).status_code == 404
    home = client.get(reverse("committees:home", args=[committee.call_id])).content.decode()
    assert shortlist[0].title not in home.split("Te excusaste de")[0] and shortlist[1].title in home


def test_session_page_shows_the_ranking_and_takes_a_change_with_reason(client, committee, shortlist):
    score_all(committee, shortlist)
    client.force_login(committee.secretary)
    client.post(reverse("committees:session", args=[committee.call_id]),
                {"held_on": date.today().isoformat(), "present": [m.pk for m in members(committee)]})
    session = Session.objects.get()
    page = client.get(reverse("committees:session", args=[committee.call_id])).content.decode()
    assert shortlist[0].folio in page and "Lista de espera" in page
    entry = session.entries.filter(outcome="selected").last()
    client.post(reverse("committees:selection_change", args=[committee.call_id]),
                {"proposal": entry.proposal_id, "outcome": "waitlisted", "reason": "Predio en litigio"})
    entry.refresh_from_db()
    assert (entry.outcome, entry.change_reason) == ("waitlisted", "Predio en litigio")


def test_results_are_public_only_after_publication(client, committee, shortlist, coordinator):
    url = reverse("committees:results", args=[committee.call_id])
    assert "Resultados aún no publicados" in client.get(url).content.decode()
    assert APIClient().get(f"/api/v1/calls/{committee.call_id}/results/").status_code == 404
    publish(committee, shortlist, coordinator)
    page = client.get(url).content.decode()
    assert "Proyectos seleccionados" in page and shortlist[0].folio in page
    assert "Integrante" not in page  # individual members' scores are never public
    rows = list(csv.reader(io.StringIO(client.get(reverse("committees:results_csv", args=[committee.call_id]))
                                       .content.decode("utf-8-sig"))))
    assert rows[0][0] == "resultado" and len(rows) == 1 + 5 + 2
    api = APIClient().get(f"/api/v1/calls/{committee.call_id}/results/").json()
    assert {r["outcome"] for r in api} == {"selected", "waitlisted"}


def test_members_score_through_the_api(committee, shortlist):
    member = members(committee)[0]
    api = APIClient()
    api.force_authenticate(member.user)
    listed = api.get(f"/api/v1/committees/{committee.pk}/proposals/").json()
    assert len(listed) == len(shortlist)
    rubric = list(committee.call.rubric.all())
    url = f"/api/v1/committees/{committee.pk}/proposals/{shortlist[0].pk}/score/"
    assert api.get(url).status_code == 404
    bad = api.put(url, {"scores": {str(rubric[0].pk): {"value": 7}}}, format="json")
    assert bad.status_code == 400
    ok = api.put(url, {"scores": {str(rubric[0].pk): {"value": 4}}, "submit": True}, format="json")
    assert ok.status_code == 200 and ok.json()["status"] == "submitted"
    assert api.get(url).json()["weighted_score"] == "4.000"


def test_opening_the_session_with_a_bad_date_keeps_what_was_entered_and_says_why(client, committee, shortlist):
    from django.urls import reverse

    client.force_login(committee.secretary)
    present = [str(m.pk) for m in committee.members.all()[:1]]
    response = client.post(reverse("committees:session", args=[committee.call_id]),
                           {"held_on": "1900-01-01", "present": present})
    html = response.content.decode()
    assert response.status_code == 400
    assert "La fecha debe estar entre" in html
    assert 'value="1900-01-01"' in html and f'value="{present[0]}"' in html and "checked" in html
