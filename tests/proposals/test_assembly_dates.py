"""Assembly dates: never in the past (Mexico City), always inside the call's window, outcome not before it."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import Assembly, Proposal
from proposals.models.calls import MEXICO_CITY
from proposals.workflow import ProposalState
from tests.factories import PDF_BYTES, UserFactory, complete_proposal, upload


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=["coordinator"])


@pytest.fixture
def eligible(draft, applicant, coordinator):
    complete_proposal(draft, applicant)
    services.proposal_transition(actor=applicant, proposal_id=draft.pk, action="submit")
    return services.proposal_transition(actor=coordinator, proposal_id=draft.pk, action="accept")


def at(day, hour, minute=0):
    return datetime.combine(day, time(hour, minute), tzinfo=MEXICO_CITY)


def schedule(coordinator, proposal, when, now=None):
    return services.assembly_schedule(actor=coordinator, proposal_id=proposal.pk, scheduled_at=when,
                                      place="Plaza", convened_by="Comité vecinal", now=now)


def test_an_assembly_in_the_past_is_refused_and_nothing_is_written(eligible, coordinator):
    yesterday = timezone.now() - timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        schedule(coordinator, eligible, yesterday)
    assert "ya pasó" in refused.value.message_dict["scheduled_at"][0]
    assert not Assembly.objects.exists()
    assert Proposal.objects.get(pk=eligible.pk).status == ProposalState.ELIGIBLE


def test_today_counts_in_mexico_city_time_not_utc(eligible, coordinator):
    day = eligible.call.assembly_window_starts_on + timedelta(days=2)
    # 23:00 in Mexico City is already the next day in UTC: an assembly at 17:00 that day is still today.
    now = at(day, 23)
    assert now.astimezone(UTC).date() > day
    assembly = schedule(coordinator, eligible, at(day, 17), now=now)
    assert assembly.pk


@pytest.mark.parametrize("offset", [-1, "after"])
def test_outside_the_calls_assembly_window_is_refused(eligible, coordinator, offset):
    call = eligible.call
    day = call.assembly_window_starts_on - timedelta(days=1) if offset == -1 \
        else call.assembly_window_ends_on + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        schedule(coordinator, eligible, at(day, 18), now=at(call.assembly_window_starts_on - timedelta(days=3), 9))
    message = refused.value.message_dict["scheduled_at"][0]
    assert "dentro de ese periodo" in message and str(call.assembly_window_ends_on.year) in message
    assert not Assembly.objects.exists()


def test_the_outcome_cannot_be_recorded_before_the_assembly(eligible, coordinator):
    when = timezone.now() + timedelta(days=2)
    assembly = schedule(coordinator, eligible, when)
    counts = {"attendees": 40, "votes_for": 30, "votes_against": 5, "abstentions": 5}
    with pytest.raises(ValidationError, match="cuando se haya celebrado"):
        services.assembly_record(actor=coordinator, assembly_id=assembly.pk, minutes=upload("acta.pdf", PDF_BYTES),
                                 now=when - timedelta(minutes=1), **counts)
    assembly.refresh_from_db()
    assert assembly.attendees is None and assembly.status == "scheduled"
    services.assembly_record(actor=coordinator, assembly_id=assembly.pk, minutes=upload("acta.pdf", PDF_BYTES),
                             now=when + timedelta(hours=2), **counts)
    assert Proposal.objects.get(pk=eligible.pk).status == ProposalState.ASSEMBLY_APPROVED


def test_the_page_shows_the_date_error_by_the_field_and_keeps_what_was_typed(client, eligible, coordinator):
    client.force_login(coordinator)
    past = (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(reverse("proposals:assembly_schedule", args=[eligible.pk]),
                           {"scheduled_at": past, "place": "Deportivo Aculco", "convened_by": "Comité vecinal"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "ya pasó" in html and 'value="Deportivo Aculco"' in html and f'value="{past}"' in html
    # next to the field: the error list sits inside the field's group, before the next field's label
    assert html.index("ya pasó") < html.index('for="id_place"') and html.index("ya pasó") > html.index(
        'for="id_scheduled_at"')
    assert not Assembly.objects.exists()


def test_the_record_form_says_why_it_is_too_early(client, eligible, coordinator):
    assembly = schedule(coordinator, eligible, timezone.now() + timedelta(days=1))
    client.force_login(coordinator)
    response = client.post(reverse("proposals:assembly_record", args=[eligible.pk, assembly.pk]),
                           {"attendees": "45", "votes_for": "40", "votes_against": "2", "abstentions": "3",
                            "observations": "Se votó a mano alzada", "minutes": upload("acta.pdf", PDF_BYTES)})
    html = response.content.decode()
    assert response.status_code == 400 and "cuando se haya celebrado" in html
    assert 'value="45"' in html and "Se votó a mano alzada" in html
