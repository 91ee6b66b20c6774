"""Committee pages that explain themselves: what each score level means, one weight format, a link to the
next proposal, members by name in one order, "pendiente" for a missing vote, and a secretary picker that
offers only active people with the secretary role."""

import re
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import User
from accounts.roles import StaffRole
from committees import services
from committees.scoring import SCORE_LEVELS
from proposals.models import RubricCriterion
from tests.committees.conftest import members, score_all
from tests.factories import UserFactory


def test_the_scoring_form_says_what_each_level_means_and_writes_weights_one_way(client, committee, shortlist):
    call = committee.call
    call.rubric.all().delete()
    RubricCriterion.objects.create(call=call, name="Calidad", weight=Decimal("30.00"), position=1)
    RubricCriterion.objects.create(call=call, name="Impacto", weight=Decimal("12.50"), position=2)
    RubricCriterion.objects.create(call=call, name="Prioridad", weight=Decimal("57.50"), position=3,
                                   computed="stratum")
    client.force_login(members(committee)[0].user)
    html = client.get(reverse("committees:score", args=[call.pk, shortlist[0].pk])).content.decode()
    for value, meaning in SCORE_LEVELS.items():
        assert f"{value} — {meaning}" in html  # beside each choice
    # The same format as the call's page: whole weights without decimals, a space before the sign.
    assert "Calidad (30 %)" in html and "Impacto (12.50 %)" in html and "Prioridad (57.50 %)" in html
    assert "30.00" not in html and "30%" not in html


def test_the_scoring_page_links_to_the_next_proposal_still_to_score(client, committee, shortlist):
    member = members(committee)[0]
    rubric = list(committee.call.rubric.all())
    services.score_save(actor=member.user, proposal_id=shortlist[1].pk, submit=True,
                        values={str(c.pk): {"value": 3} for c in rubric})
    client.force_login(member.user)
    html = client.get(reverse("committees:score", args=[committee.call_id, shortlist[0].pk])).content.decode()
    next_url = reverse("committees:score", args=[committee.call_id, shortlist[2].pk])  # the 2nd is done
    assert f'href="{next_url}">Siguiente propuesta: {shortlist[2].folio}' in html
    last = client.get(reverse("committees:score", args=[committee.call_id, shortlist[-1].pk])).content.decode()
    assert f'Siguiente propuesta: {shortlist[0].folio}' in last  # wraps round to what is left


def test_votes_list_members_by_name_and_say_pendiente(client, committee, shortlist):
    for member, name in zip(members(committee), ["Zoila Ruiz", "Ana Soto", "Mario Ávila", "Beto Paz", "Carla Ríos"],
                            strict=True):
        User.objects.filter(pk=member.user_id).update(full_name=name)
    score_all(committee, shortlist)
    session = services.session_open(actor=committee.secretary, committee=committee, held_on=date.today(),
                                    present_member_ids=[m.pk for m in members(committee)])
    services.vote_cast(actor=members(committee)[1].user, session_id=session.pk, choice="for")
    client.force_login(committee.secretary)
    html = client.get(reverse("committees:session", args=[committee.call_id])).content.decode()
    ballot = html[html.index("Votación de la lista final"):]
    lines = re.findall(r"<li>([^<:]+): (?:<em>)?([^<]+)", ballot)[:5]
    assert lines == [("Ana Soto", "A favor"), ("Beto Paz", "pendiente"), ("Carla Ríos", "pendiente"),
                     ("Mario Ávila", "pendiente"), ("Zoila Ruiz", "pendiente")]


def test_the_secretary_picker_offers_only_active_secretaries(client, committee_call, coordinator):
    secretary = UserFactory(full_name="Patricia Ruiz", roles=[StaffRole.COMMITTEE_SECRETARY])
    retired = UserFactory(full_name="Rodrigo Baja", roles=[StaffRole.COMMITTEE_SECRETARY], is_active=False)
    reviewer = UserFactory(full_name="Renata Revisora", roles=[StaffRole.TECHNICAL_REVIEWER])
    client.force_login(coordinator)
    html = client.get(reverse("committees:home", args=[committee_call.pk])).content.decode()
    picker = html[html.index('name="secretary"'):html.index("</select>", html.index('name="secretary"'))]
    assert "Patricia Ruiz" in picker and "Rodrigo Baja" not in picker and "Renata Revisora" not in picker
    refused = client.post(reverse("committees:committee_set", args=[committee_call.pk]), {"secretary": reviewer.pk})
    assert refused.status_code in (302, 400) and not Group.objects.get(
        name=StaffRole.COMMITTEE_SECRETARY).user_set.filter(pk=reviewer.pk).exists()
    assert secretary.is_active and not retired.is_active
