from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from nicp.errors import TransitionNotAllowed
from proposals import services
from proposals.models import Call
from proposals.workflow import CallState
from tests.factories import UserFactory, make_open_call


def save(call, actor, **kwargs):
    """Save with the call's current modalities, tranches and rubric unless the test gives others."""
    kwargs.setdefault("modalities", list(call.modalities.values("modality", "min_amount", "max_amount")))
    kwargs.setdefault("tranches", list(call.tranche_plan.values("number", "share_percent",
                                                                "progress_required_percent",
                                                                "previous_spending_verified")))
    kwargs.setdefault("rubric", list(call.rubric.values("name", "weight", "computed")))
    return services.call_save(actor=actor, call=call, **kwargs)


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=["coordinator"])


def test_invalid_dates_are_refused_field_by_field(call, coordinator):
    draft = Call.objects.get(pk=call.pk)
    draft.registration_closes_on = draft.registration_opens_on - timedelta(days=1)
    draft.results_date = draft.committee_date - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        save(draft, coordinator, reason="x")
    assert set(error.value.message_dict) >= {"registration_closes_on", "results_date"}
    assert "después de la sesión del Comité" in " ".join(error.value.message_dict["results_date"])


def test_amount_ranges_tranches_and_weights_must_add_up(call, coordinator):
    fresh = Call.objects.get(pk=call.pk)
    with pytest.raises(ValidationError, match="sumar 100"):
        save(fresh, coordinator, reason="x", tranches=[{"number": 1, "share_percent": Decimal("60"),
                                                        "progress_required_percent": 0,
                                                        "previous_spending_verified": False}])
    with pytest.raises(ValidationError, match="mínimo no puede superar"):
        save(fresh, coordinator, reason="x", modalities=[{"modality": "new", "min_amount": Decimal("9"),
                                                          "max_amount": Decimal("1")}])


def test_changes_after_publication_need_a_reason_and_are_recorded(call, coordinator):
    edited = Call.objects.get(pk=call.pk)
    edited.registration_closes_on += timedelta(days=7)
    with pytest.raises(ValidationError, match="motivo"):
        save(edited, coordinator)
    edited = Call.objects.get(pk=call.pk)
    edited.registration_closes_on += timedelta(days=7)
    save(edited, coordinator, reason="Prórroga por lluvias")
    change = call.changes.get()
    assert change.reason == "Prórroga por lluvias" and list(change.changes) == ["registration_closes_on"]


def test_only_coordinators_manage_calls(call):
    with pytest.raises(PermissionDenied):
        services.call_transition(actor=UserFactory(roles=["auditor"]), call_id=call.pk, action="close")


def test_call_states_follow_the_table(call, coordinator):
    with pytest.raises(TransitionNotAllowed):
        services.call_transition(actor=coordinator, call_id=call.pk, action="archive")
    for action, state in [("close", CallState.CLOSED), ("publish_results", CallState.RESULTS_PUBLISHED),
                          ("archive", CallState.ARCHIVED)]:
        assert services.call_transition(actor=coordinator, call_id=call.pk, action=action).status == state
    assert list(call.events.values_list("action", flat=True)) == ["publish", "close", "publish_results", "archive"]


def test_registration_is_open_only_while_published(call):
    assert call.registration_open()
    call.status = CallState.CLOSED
    assert not call.registration_open()


def test_public_call_page_shows_rules_dates_and_days_left(client, call):
    html = client.get(reverse("proposals:call_detail", args=[call.pk])).content.decode()
    assert "Quedan 30 días" in html and "Pavimentación" in html and "$1,450,000.00" in html
    assert "23:59" in html


def test_draft_calls_are_hidden_from_the_public(client, db):
    draft = make_open_call(year=2031)
    Call.objects.filter(pk=draft.pk).update(status=CallState.DRAFT)
    assert client.get(reverse("proposals:call_detail", args=[draft.pk])).status_code == 404
    assert client.get("/api/v1/calls/").json() == []
