"""Rules a walkthrough asked for: a committee has one presidency and one secretary at most, votes never
exceed the attendance, and the agreement waits until every elected person accepted their seat."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects import services
from projects.models import Agreement
from tests.factories import PDF_BYTES, upload
from tests.projects.helpers import elect, slate


@pytest.fixture
def election(project, people):
    return services.election_schedule(actor=people["coordinator"], project_id=project.pk,
                                      scheduled_at=timezone.now(), place="Plaza")


def record(people, election, members=None, **counts):
    values = {"attendees": 80, "votes_for": 70, "votes_against": 5, "abstentions": 5, **counts}
    return services.election_record(actor=people["coordinator"], election_id=election.pk,
                                    minutes=upload("acta.pdf", PDF_BYTES), members=members or slate(), **values)


def test_a_committee_has_one_presidency_at_most(people, election):
    members = slate()
    members[1]["position"] = "president"  # administration: two presidencies
    with pytest.raises(ValidationError, match="más de una Presidencia"):
        record(people, election, members)


def test_votes_never_exceed_the_attendance_even_without_quorum(people, election):
    with pytest.raises(ValidationError) as error:
        record(people, election, attendees=10, votes_for=40, votes_against=0, abstentions=0)
    assert "votes_for" in error.value.message_dict


def test_a_replacement_keeps_one_presidency(project, people):
    elect(project, people["coordinator"])
    member = project.seats.get(committee="supervision", position="member")
    with pytest.raises(ValidationError) as error:
        services.seat_replace(actor=people["coordinator"], seat_id=member.pk, full_name="Nueva",
                              email="nueva@ejemplo.mx", reason="Se mudó", position="president")
    assert "position" in error.value.message_dict


def test_the_agreement_waits_for_every_elected_person(project, people):
    elect(project, people["coordinator"], accept=False)
    first = project.seats.first()
    services.seat_accept(actor=first.user, token=first.token)
    with pytest.raises(ValidationError, match="faltan por aceptar su lugar"):
        services.agreement_generate(actor=people["coordinator"], project_id=project.pk)
    assert not Agreement.objects.exists()
    for seat in project.seats.filter(accepted_at__isnull=True):
        services.seat_accept(actor=seat.user, token=seat.token)
    services.agreement_generate(actor=people["coordinator"], project_id=project.pk)
    assert "en la Convocatoria" in Agreement.objects.get().text
