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


def call_form_data(**overrides):
    data = {
        "fiscal_year": "2030", "title": "Convocatoria 2030", "summary": "", "total_budget": "90000000",
        "eligible_project_types": ["park", "lighting"], "excluded_works": "Bacheo", "priority_strata": ["muy_bajo"],
        "registration_opens_on": "2030-02-01", "registration_closes_on": "2030-03-31",
        "assembly_window_starts_on": "2030-04-01", "assembly_window_ends_on": "2030-04-30",
        "technical_review_deadline": "2030-05-15", "committee_date": "2030-05-30", "results_date": "2030-06-10",
        "execution_deadline": "2030-12-15", "assembly_before_review": "on", "assembly_quorum": "40",
        "required_attachment_kinds": ["site_photo"], "max_file_size_mb": "10", "max_files_per_proposal": "20",
        "max_total_size_mb": "60", "committee_quorum": "6", "waitlist_size": "10", "max_selected_per_borough": "",
        "mod-TOTAL_FORMS": "2", "mod-INITIAL_FORMS": "0", "mod-0-modality": "new", "mod-0-min_amount": "800000",
        "mod-0-max_amount": "1450000", "mod-1-modality": "",
        "tr-TOTAL_FORMS": "1", "tr-INITIAL_FORMS": "0", "tr-0-number": "1", "tr-0-share_percent": "100",
        "tr-0-progress_required_percent": "0",
        "ru-TOTAL_FORMS": "2", "ru-INITIAL_FORMS": "0", "ru-0-name": "Calidad", "ru-0-weight": "100",
        "ru-0-computed": "", "ru-1-computed": "",
    }
    data.update(overrides)
    return data


def test_coordinator_creates_and_publishes_a_call_in_the_browser_pages(client, coordinator):
    client.force_login(coordinator)
    assert client.get(reverse("proposals:call_create")).status_code == 200
    bad = client.post(reverse("proposals:call_create"), call_form_data(results_date="2030-05-01"))
    assert bad.status_code == 400
    assert "después de la sesión del Comité" in bad.content.decode()
    assert 'value="Convocatoria 2030"' in bad.content.decode()
    created = client.post(reverse("proposals:call_create"), call_form_data())
    call = Call.objects.get(fiscal_year=2030)
    assert created.url == reverse("proposals:call_detail", args=[call.pk])
    assert list(call.modalities.values_list("modality", flat=True)) == ["new"]
    client.post(reverse("proposals:call_action", args=[call.pk]), {"action": "publish", "version": call.version})
    call.refresh_from_db()
    assert call.status == CallState.PUBLISHED
    # As the edit page posts it: the saved rows come back as initial forms.
    as_edited = {"mod-INITIAL_FORMS": "1", "tr-INITIAL_FORMS": "1", "ru-INITIAL_FORMS": "1"}
    edit = client.post(reverse("proposals:call_edit", args=[call.pk]),
                       call_form_data(version=call.version, registration_closes_on="2030-04-05", **as_edited))
    assert edit.status_code == 400 and "motivo" in edit.content.decode()
    saved = client.post(reverse("proposals:call_edit", args=[call.pk]),
                        call_form_data(version=call.version, registration_closes_on="2030-03-30", reason="Ajuste",
                                       **as_edited))
    assert saved.status_code == 302, saved.content.decode()[-3000:]
    assert call.changes.get().reason == "Ajuste"


def test_rules_over_rows_show_beside_their_section_and_the_top_says_where(client, coordinator):
    """The call form is a long page: a rule over a section's rows (a modality's range, the weights' sum) is
    shown above those rows, and the top of the form names the sections to look at; nothing typed is lost."""
    client.force_login(coordinator)
    bad = client.post(reverse("proposals:call_create"), call_form_data(
        **{"mod-0-min_amount": "2000000", "mod-0-max_amount": "1000000", "ru-0-weight": "60"}))
    html = bad.content.decode()
    assert bad.status_code == 400
    top, _, rest = html.partition("Modalidades y montos</legend>")
    assert "Revisa estas secciones, más abajo: Modalidades y montos, Criterios de evaluación (rúbrica)." in top
    modalities, _, rubric = rest.partition("Criterios de evaluación (rúbrica)</legend>")
    assert "el monto mínimo no puede superar al máximo" in modalities
    assert "deben sumar 100 % (suman 60" in rubric
    assert 'value="2000000' in modalities and not Call.objects.filter(fiscal_year=2030).exists()


TWO_TRANCHES = {
    "tr-TOTAL_FORMS": "2", "tr-0-share_percent": "70", "tr-0-number": "1",
    "tr-1-number": "2", "tr-1-share_percent": "30", "tr-1-progress_required_percent": "70",
    "tr-1-previous_spending_verified": "on", "tr-1-previous_proved_percent": "80",
    "tr-1-documents_required": "  Informe de avance \r\n\r\nComprobantes de la primera ministración\r\n",
}


def test_tranche_rows_carry_the_proof_required_and_the_documents_and_the_public_page_shows_them(client,
                                                                                               coordinator):
    client.force_login(coordinator)
    created = client.post(reverse("proposals:call_create"), call_form_data(**TWO_TRANCHES))
    assert created.status_code == 302, created.content.decode()[-2000:]
    call = Call.objects.get(fiscal_year=2030)
    first, second = call.tranche_plan.all()
    assert (first.previous_spending_verified, first.previous_proved_percent) == (False, 100)  # blank: the default
    assert second.previous_proved_percent == 80
    assert second.documents_required == "Informe de avance\nComprobantes de la primera ministración"
    client.post(reverse("proposals:call_action", args=[call.pk]), {"action": "publish", "version": call.version})
    client.logout()
    html = client.get(reverse("proposals:call_detail", args=[call.pk])).content.decode()
    assert "con 80 % de la anterior comprobado" in html
    assert "Informe de avance<br>Comprobantes de la primera ministración" in html
    # The edit page brings the saved values back.
    client.force_login(coordinator)
    edit = client.get(reverse("proposals:call_edit", args=[call.pk])).content.decode()
    assert 'name="tr-1-previous_proved_percent" value="80"' in edit
    assert "Comprobantes de la primera ministración</textarea>" in edit


def test_a_proof_share_over_100_is_refused_beside_the_row_and_what_was_typed_stays(client, coordinator):
    client.force_login(coordinator)
    bad = client.post(reverse("proposals:call_create"), call_form_data(
        **{**TWO_TRANCHES, "tr-1-previous_proved_percent": "150"}))
    html = bad.content.decode()
    assert bad.status_code == 400 and not Call.objects.filter(fiscal_year=2030).exists()
    row = html.partition('name="tr-1-previous_proved_percent"')[0].rpartition("<td")[2]
    assert "menor o igual a 100" in row
    kept = html.partition('name="tr-1-documents_required"')[2].partition("</textarea>")[0]
    assert 'value="150"' in html and "Informe de avance" in kept and "Comprobantes de la primera" in kept


def test_changing_the_documents_or_the_proof_after_publication_needs_a_reason_and_is_recorded(call, coordinator):
    rows = list(call.tranche_plan.values("number", "share_percent", "progress_required_percent",
                                         "previous_spending_verified", "previous_proved_percent",
                                         "documents_required"))
    rows[-1] |= {"documents_required": "Fotos de la obra"}
    with pytest.raises(ValidationError, match="motivo"):
        save(Call.objects.get(pk=call.pk), coordinator, tranches=rows)
    save(Call.objects.get(pk=call.pk), coordinator, tranches=rows, reason="Se piden fotos")
    rows[-1] |= {"previous_proved_percent": 90}
    save(Call.objects.get(pk=call.pk), coordinator, tranches=rows, reason="Basta el 90 %")
    first, then = call.changes.order_by("pk")
    assert list(first.changes) == ["tranche_plan"] and first.changes["tranche_plan"][1][-1]["documents_required"] \
        == "Fotos de la obra"
    assert then.changes["tranche_plan"][1][-1]["previous_proved_percent"] == 90
