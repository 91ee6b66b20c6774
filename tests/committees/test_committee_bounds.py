"""The Committee's numbers hold in the database too, not only in the forms."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from committees.models import ScoreSheet, SelectionEntry, Session, Vote
from tests.committees.conftest import members


@pytest.fixture
def sheet_parts(committee, shortlist):
    return {"member": members(committee)[0], "proposal": shortlist[0]}


@pytest.fixture
def session(committee):
    return Session.objects.create(committee=committee, held_on=date.today())


def refused(model, **fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.create(**fields)


@pytest.mark.parametrize("fields", [
    {"weighted_score": Decimal("7")},
    {"weighted_score": Decimal("-1")},
    {"status": "submitted", "weighted_score": Decimal("4")},  # no submission time
    {"status": "submitted", "weighted_score": Decimal("0"), "submitted_at": "2028-01-01T10:00:00Z"},
    {"status": "voided"},  # voided without saying why
    {"status": "maybe"},
    {"version": 0},
])
def test_score_sheet_bounds(sheet_parts, fields):
    refused(ScoreSheet, **sheet_parts, **fields)


def test_score_values_are_whole_numbers_1_to_5(sheet_parts):
    for bad in (9, 0, -2, True, "4", 3.5):
        with pytest.raises(ValidationError, match="1 a 5"):
            ScoreSheet(**sheet_parts, scores={"1": {"value": bad}}).full_clean()
    with pytest.raises(ValidationError):
        ScoreSheet(**sheet_parts, weighted_score=Decimal("6")).full_clean()
    ScoreSheet(**sheet_parts, scores={"1": {"value": 5}, "2": {"value": None}}).full_clean()


@pytest.mark.parametrize("fields", [
    {"rank": 0},
    {"weighted_score": Decimal("5.5")},
    {"assigned_amount": Decimal("-1")},
    {"assigned_amount": Decimal("100000000.01")},  # over the largest amount a proposal may have
    {"outcome": "maybe"},
    {"dropped": True},  # dropped without saying why
])
def test_selection_entry_bounds(session, shortlist, fields):
    values = {"session": session, "proposal": shortlist[0], "rank": 1, "weighted_score": Decimal("3"),
              "assigned_amount": Decimal("1000"), "proposed_outcome": "selected", "outcome": "selected", **fields}
    refused(SelectionEntry, **values)


def test_two_entries_cannot_share_a_rank(session, shortlist):
    common = {"session": session, "rank": 1, "weighted_score": Decimal("3"), "assigned_amount": Decimal("1"),
              "proposed_outcome": "selected", "outcome": "selected"}
    SelectionEntry.objects.create(proposal=shortlist[0], **common)
    refused(SelectionEntry, proposal=shortlist[1], **common)


def test_vote_and_session_bounds(committee, session):
    refused(Vote, session=session, member=members(committee)[0], choice="maybe")
    with pytest.raises(IntegrityError), transaction.atomic():
        Session.objects.filter(pk=session.pk).update(status="closed")  # closed without a closing time


@pytest.mark.parametrize("held_on", [date(1999, 12, 31), date(2101, 1, 1)])
def test_a_session_date_outside_the_programme_years_is_refused(committee, held_on):
    refused(Session, committee=committee, held_on=held_on)
    with pytest.raises(ValidationError, match="La fecha debe estar entre"):
        Session(committee=committee, held_on=held_on).full_clean()


@pytest.mark.parametrize("value", [float("inf"), float("-inf"), float("nan"), 10**30, "1e400", 2.5])
def test_the_scoring_service_refuses_impossible_scores_with_a_message(committee, shortlist, value):
    from committees import services

    member = members(committee)[0]
    rubric = [c for c in committee.call.rubric.all() if not c.computed] or list(committee.call.rubric.all())
    values = {str(c.pk): {"value": 3, "comment": ""} for c in committee.call.rubric.all()}
    values[str(rubric[0].pk)] = {"value": value, "comment": ""}
    with pytest.raises(ValidationError, match="1 a 5"):
        services.score_save(actor=member.user, proposal_id=shortlist[0].pk, values=values, submit=True)
    assert not ScoreSheet.objects.filter(member=member, proposal=shortlist[0], status="submitted").exists()
