"""The works stage through its services: expenses from CFDI invoices and simple receipts on their path
through supervision and finance, the tranche guards fed by them, progress reports, the logbook, site
visits, suspension, cancellation with its refund, and closure item by item."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects import services
from projects.models import (
    Cfdi,
    Expense,
    LogbookEntry,
    Project,
    ProjectRules,
    Refund,
    Tranche,
    VisitObservation,
)
from projects.sat import SatStatus, recorded_answer
from projects.workflow import (
    ExpenseAction,
    ExpenseState,
    ProjectAction,
    ProjectState,
    ReportAction,
    TrancheAction,
    TrancheState,
)
from tests.factories import PDF_BYTES, upload
from tests.projects.execution_helpers import (
    endorse,
    in_execution_project,
    invoice,
    jpeg_at,
    photo,
    record_invoice,
    release_tranche,
    verify,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(project_call, people):
    return in_execution_project(project_call, people)


# --- Recording ----------------------------------------------------------------------------------------

def test_an_invoice_is_recorded_with_every_figure_read_from_its_xml(works):
    expense = record_invoice(works, subtotal=Decimal("2500.00"), issuer_rfc="FER990101AA1",
                             issuer_name="FERRETERÍA LA ESQUINA SA DE CV", concept="Varilla")
    invoice_row = Cfdi.objects.get(expense=expense)
    assert (expense.amount, expense.supplier, expense.supplier_rfc, expense.kind, expense.status) == (
        Decimal("2900.00"), "FERRETERÍA LA ESQUINA SA DE CV", "FER990101AA1", "cfdi", ExpenseState.RECORDED)
    assert (invoice_row.subtotal, invoice_row.total, invoice_row.currency, invoice_row.kind) == (
        Decimal("2500.00"), Decimal("2900.00"), "MXN", "I")
    assert invoice_row.xml_file.read().startswith(b"<?xml")
    # Tests replay the SAT's recorded answers: an invoice it does not know is «No encontrado».
    assert invoice_row.sat_status == SatStatus.NOT_FOUND and invoice_row.sat_checked_at is not None


def test_the_preview_reads_without_writing_and_says_what_is_wrong(works):
    reading = services.invoice_read(actor=works.admin, project_id=works.project.pk,
                                    upload=upload("f.xml", invoice(currency="USD")))
    assert reading.cfdi.total == Decimal("11600.00") and not reading.acceptable
    assert any("MXN" in problem for problem in reading.problems)
    assert Expense.objects.count() == 0


def test_an_invoice_used_anywhere_in_the_programme_is_refused(project_call, people, works):
    other = in_execution_project(project_call, people)
    xml = invoice()
    services.expense_record_invoice(actor=works.admin, project_id=works.project.pk, xml=upload("a.xml", xml),
                                    budget_line_id=works.lines[0].pk, concept="Cemento")
    with pytest.raises(ValidationError) as refused:
        services.expense_record_invoice(actor=other.admin, project_id=other.project.pk, xml=upload("b.xml", xml),
                                        budget_line_id=other.lines[0].pk, concept="Cemento")
    assert works.project.code in str(refused.value.message_dict["xml"])
    assert Expense.objects.filter(project=other.project).count() == 0


def test_the_receiver_rfc_is_the_calls(works):
    rules = ProjectRules.for_call(works.project.call)
    rules.receiver_rfc = "OTR010101AB1"
    rules.save()
    with pytest.raises(ValidationError) as refused:
        record_invoice(works)
    assert "OTR010101AB1" in str(refused.value.message_dict["xml"])


def test_an_invoice_dated_outside_the_execution_period_is_refused(works):
    with pytest.raises(ValidationError) as refused:
        record_invoice(works, issued_at=timezone.now() - timedelta(days=400))
    assert "periodo" in str(refused.value.message_dict["xml"]).lower()


def test_more_than_was_released_cannot_be_recorded(works):
    released = works.refresh().released_total  # 700,000 of the first tranche
    with pytest.raises(ValidationError) as refused:
        record_invoice(works, total=released + 1, subtotal=released)
    assert "ministrado" in " ".join(refused.value.messages)


def test_a_line_over_budget_needs_a_justification(works):
    over = dict(subtotal=Decimal("600000.00"), total=Decimal("600000.01"))
    with pytest.raises(ValidationError) as refused:
        record_invoice(works, **over)
    assert "over_budget_reason" in refused.value.message_dict
    expense = services.expense_record_invoice(
        actor=works.admin, project_id=works.project.pk, xml=upload("f.xml", invoice(**over)),
        budget_line_id=works.lines[0].pk, concept="Cemento", over_budget_reason="Subió el precio del cemento.")
    assert expense.over_budget_reason
    spending = {row["line"].pk: row for row in services.budget_lines_spending(works.project)}
    assert spending[works.lines[0].pk]["over"] and spending[works.lines[0].pk]["spent"] == Decimal("600000.01")


def test_simple_receipts_stay_within_the_calls_share(works):
    cap = works.project.approved_amount * Decimal("0.20")  # the default 20 %
    kwargs = dict(actor=works.admin, project_id=works.project.pk, budget_line_id=works.lines[1].pk,
                  spent_on=timezone.localdate(), supplier="Juan Pérez", concept="Jornales")
    services.expense_record_simple(**kwargs, amount=cap, receipt=upload("r.pdf", PDF_BYTES))
    with pytest.raises(ValidationError) as refused:
        services.expense_record_simple(**kwargs, amount="0.01", receipt=upload("r.pdf", PDF_BYTES))
    assert "20 %" in str(refused.value.message_dict["amount"])


def test_simple_receipt_field_errors_are_said_together(works):
    with pytest.raises(ValidationError) as refused:
        services.expense_record_simple(actor=works.admin, project_id=works.project.pk, budget_line_id=None,
                                       spent_on=None, supplier="", concept="", amount="abc", receipt=None)
    assert {"budget_line", "spent_on", "supplier", "concept", "amount", "receipt"} <= set(refused.value.message_dict)
    assert Expense.objects.count() == 0


def test_only_the_administration_committee_records(works, people):
    for actor in (works.supervision, works.development, people["finance"]):
        with pytest.raises(PermissionDenied):
            record_invoice(works.__class__(works.project, actor, works.supervision, works.development, works.lines))


# --- The path through supervision and finance ---------------------------------------------------------

def test_verified_expenses_feed_the_projects_proof_and_its_tranches(works, people):
    expense = record_invoice(works, subtotal=Decimal("100000.00"))
    verify(works, expense, people["finance"])
    project = works.refresh()
    first = project.tranches.get(number=1)
    assert project.verified_total == Decimal("116000.00") and first.proved_amount == Decimal("116000.00")
    assert [e.action for e in expense.events.order_by("id")] == ["record", "endorse", "verify"]


def test_who_moves_an_expense_at_each_step(works, people):
    expense = record_invoice(works)
    with pytest.raises(PermissionDenied):  # the committee that records does not endorse itself
        services.expense_transition(actor=works.admin, expense_id=expense.pk, action=ExpenseAction.ENDORSE)
    with pytest.raises(PermissionDenied):  # finance verifies what supervision endorsed, not before
        services.expense_transition(actor=people["finance"], expense_id=expense.pk, action=ExpenseAction.OBSERVE,
                                    note="x")
    endorse(works, expense)
    with pytest.raises(PermissionDenied):
        services.expense_transition(actor=works.supervision, expense_id=expense.pk, action=ExpenseAction.VERIFY)
    with pytest.raises(PermissionDenied):
        services.expense_transition(actor=people["coordinator"], expense_id=expense.pk, action=ExpenseAction.VERIFY)


def test_an_observed_expense_is_corrected_and_goes_back_to_supervision(works, people):
    expense = record_invoice(works)
    endorse(works, expense)
    with pytest.raises(ValidationError):
        services.expense_transition(actor=people["finance"], expense_id=expense.pk, action=ExpenseAction.OBSERVE)
    services.expense_transition(actor=people["finance"], expense_id=expense.pk, action=ExpenseAction.OBSERVE,
                                note="El concepto no corresponde a la partida.")
    expense.refresh_from_db()
    assert expense.status == ExpenseState.OBSERVED and "partida" in expense.last_note
    with pytest.raises(ValidationError) as refused:  # the committee says what it corrected
        services.expense_correct(actor=works.admin, expense_id=expense.pk, budget_line_id=works.lines[2].pk,
                                 concept="Herramienta", note=" ", version=expense.version)
    assert "note" in refused.value.message_dict
    corrected = services.expense_correct(actor=works.admin, expense_id=expense.pk,
                                         budget_line_id=works.lines[2].pk, concept="Herramienta",
                                         note="Se cambió la partida.", version=expense.version)
    assert (corrected.status, corrected.budget_line_id, corrected.amount) == (
        ExpenseState.RECORDED, works.lines[2].pk, expense.amount)


def test_a_cancelled_invoice_is_not_verified_blocks_releases_and_is_revoked(works, people):
    expense = record_invoice(works, subtotal=Decimal("100000.00"))
    uuid = expense.cfdi.uuid
    verify(works, expense, people["finance"])
    release_tranche_two = works.project.tranches.get(number=2)
    with recorded_answer(uuid, SatStatus.CANCELLED):
        cancelled = services.sat_recheck_project(project_id=works.project.pk)
        assert [c.uuid for c in cancelled] == [uuid]
        # Checked again before money leaves: the release is refused and says which invoice.
        Tranche.objects.filter(pk=release_tranche_two.pk).update(status=TrancheState.APPROVED)
        with pytest.raises(ValidationError) as refused:
            services.tranche_transition(actor=people["finance2"], tranche_id=release_tranche_two.pk,
                                        action=TrancheAction.RELEASE, transfer_reference="X",
                                        transfer_date=timezone.localdate())
        assert uuid in " ".join(refused.value.messages)
    expense.cfdi.refresh_from_db()
    assert expense.cfdi.sat_status == SatStatus.CANCELLED  # kept although the release was refused
    services.expense_transition(actor=people["finance"], expense_id=expense.pk, action=ExpenseAction.REVOKE,
                                note="Factura cancelada ante el SAT.")
    project = works.refresh()
    assert project.verified_total == 0 and project.tranches.get(number=1).proved_amount == 0
    assert project.events.filter(action="sat_cancelled").exists()


def test_revoking_needs_a_cancelled_invoice(works, people):
    expense = record_invoice(works)
    verify(works, expense, people["finance"])
    with pytest.raises(ValidationError):
        services.expense_transition(actor=people["finance"], expense_id=expense.pk, action=ExpenseAction.REVOKE,
                                    note="Sin motivo real")


def test_batch_verification_verifies_each_and_says_why_not_for_the_rest(works, people):
    first, second, third = (record_invoice(works) for _ in range(3))
    for expense in (first, second):
        endorse(works, expense)
    result = services.expenses_verify_batch(actor=people["finance"], expense_ids=[first.pk, second.pk, third.pk])
    assert {e.pk for e in result.verified} == {first.pk, second.pk}
    assert [pk for pk, _reason in result.refused] == [third.pk]


# --- Tranche guards made real ---------------------------------------------------------------------------

def _report(works, percent):
    report = services.progress_report_submit(actor=works.admin, project_id=works.project.pk,
                                             physical_percent=percent, summary="Se coló la losa.",
                                             photos=[photo()])
    return services.progress_report_transition(actor=works.supervision, report_id=report.pk,
                                               action=ReportAction.ENDORSE)


def test_the_second_tranche_waits_for_endorsed_progress_and_verified_proof(works, people):
    second = works.project.tranches.get(number=2)
    admin = works.admin
    with pytest.raises(ValidationError) as refused:
        services.tranche_transition(actor=admin, tranche_id=second.pk, action=TrancheAction.REQUEST)
    assert any("avance físico" in m for m in refused.value.messages)
    assert any("comprobar la ministración 1" in m for m in refused.value.messages)
    for line, total in ((0, "350000.00"), (0, "250000.00"), (1, "100000.00")):
        verify(works, record_invoice(works, line=line, subtotal=Decimal(total), total=Decimal(total)),
               people["finance"])
    _report(works, 70)
    assert works.refresh().physical_progress == Decimal("70.00")
    release_tranche(works.project, 2, people)
    assert works.refresh().released_total == works.project.approved_amount


# --- Progress reports -------------------------------------------------------------------------------------

def test_a_progress_report_needs_a_photo_and_keeps_where_it_was_taken(works):
    with pytest.raises(ValidationError) as refused:
        services.progress_report_submit(actor=works.admin, project_id=works.project.pk, physical_percent=10,
                                        summary="Avance", photos=[])
    assert "photos" in refused.value.message_dict
    report = services.progress_report_submit(actor=works.admin, project_id=works.project.pk, physical_percent=10,
                                             summary="Avance", photos=[photo()])
    assert report.photos.count() == 1 and report.due_on > works.project.execution_starts_on
    assert works.refresh().physical_progress == 0  # only an endorsed report moves it


def test_an_observed_report_is_corrected_and_progress_never_goes_down(works):
    _report(works, 40)
    report = services.progress_report_submit(actor=works.admin, project_id=works.project.pk, physical_percent=50,
                                             summary="Más", photos=[photo()])
    with pytest.raises(ValidationError):  # one open report at a time
        services.progress_report_submit(actor=works.admin, project_id=works.project.pk, physical_percent=60,
                                        summary="Otro", photos=[photo()])
    services.progress_report_transition(actor=works.supervision, report_id=report.pk, action=ReportAction.OBSERVE,
                                        note="Las fotos no muestran la losa.")
    with pytest.raises(ValidationError) as refused:
        services.progress_report_transition(actor=works.admin, report_id=report.pk, action=ReportAction.CORRECT,
                                            physical_percent=30, summary="Más")
    assert "physical_percent" in refused.value.message_dict
    services.progress_report_transition(actor=works.admin, report_id=report.pk, action=ReportAction.CORRECT,
                                        physical_percent=45, summary="Más, con fotos", photos=[photo()])
    services.progress_report_transition(actor=works.supervision, report_id=report.pk, action=ReportAction.ENDORSE)
    assert works.refresh().physical_progress == Decimal("45.00")


def test_photo_exif_is_read_and_the_far_ones_flagged(works):
    from PIL import Image

    proposal = works.project.proposal  # the site is the proposal's
    proposal.latitude, proposal.longitude = Decimal("19.432600"), Decimal("-99.133200")
    proposal.save(update_fields=["latitude", "longitude"])
    near, far = jpeg_at(19.4327, -99.1333), jpeg_at(19.50, -99.20)
    report = services.progress_report_submit(
        actor=works.admin, project_id=works.project.pk, physical_percent=5, summary="Inicio",
        photos=[upload("a.jpg", near, "image/jpeg"), upload("b.jpg", far, "image/jpeg")])
    flags = [p.far_from_site for p in report.photos.order_by("id")]
    assert flags == [False, True]
    stored = Image.open(report.photos.first().file)
    assert not stored.getexif()


# --- Logbook ------------------------------------------------------------------------------------------------

def test_the_logbook_is_append_only_and_a_correction_points_to_its_entry(works, people):
    entry = services.logbook_write(actor=works.development, project_id=works.project.pk,
                                   happened_on=timezone.localdate(), text="Llegó el cemento.")
    fix = services.logbook_write(actor=people["coordinator"], project_id=works.project.pk,
                                 happened_on=timezone.localdate(), text="Eran 40 bultos, no 30.",
                                 corrects_id=entry.pk, photos=[photo()])
    assert fix.corrects == entry and fix.author_role and entry.author_role
    entry.text = "cambiado"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()
    assert LogbookEntry.objects.get(pk=entry.pk).text == "Llegó el cemento."
    assert not hasattr(services, "logbook_update") and not hasattr(services, "logbook_delete")


def test_people_outside_the_project_do_not_write_its_logbook(works, people):
    with pytest.raises(PermissionDenied):
        services.logbook_write(actor=people["auditor"], project_id=works.project.pk,
                               happened_on=timezone.localdate(), text="x")


# --- Site visits --------------------------------------------------------------------------------------------

def test_an_observation_past_its_deadline_needs_the_coordinators_action(works, people):
    today = timezone.localdate()
    visit = services.site_visit_record(actor=people["coordinator"], project_id=works.project.pk, visited_on=today,
                                       findings="Falta señalización.",
                                       observations=[("Coloquen señalización de obra.", today + timedelta(days=3))])
    observation = visit.observations.get()
    assert not Project.objects.needing_action_of(people["coordinator"]).filter(pk=works.project.pk).exists()
    VisitObservation.objects.filter(pk=observation.pk).update(answer_due_on=today - timedelta(days=1))
    assert Project.objects.needing_action_of(people["coordinator"]).filter(pk=works.project.pk).exists()
    services.observation_answer(actor=works.supervision, observation_id=observation.pk, answer="Ya se colocó.")
    services.observation_settle(actor=people["coordinator"], observation_id=observation.pk, settled=False,
                                note="Faltan las fotos de la señalización.")
    observation.refresh_from_db()  # reopened with the reason the committee reads, and time to answer
    assert observation.status == VisitObservation.Status.OPEN and "fotos" in observation.review_note
    assert observation.answer_due_on >= today + timedelta(days=7)
    services.observation_answer(actor=works.supervision, observation_id=observation.pk, answer="Aquí están.")
    services.observation_settle(actor=people["coordinator"], observation_id=observation.pk, settled=True)
    observation.refresh_from_db()
    assert observation.status == VisitObservation.Status.SETTLED


def test_a_visit_refuses_observations_without_a_future_deadline(works, people):
    with pytest.raises(ValidationError) as refused:
        services.site_visit_record(actor=people["coordinator"], project_id=works.project.pk,
                                   visited_on=timezone.localdate(), findings="x",
                                   observations=[("Algo", timezone.localdate())])
    assert "observation_1" in refused.value.message_dict


# --- Suspension, cancellation, refund -------------------------------------------------------------------

def test_suspension_withholds_the_next_tranche_and_tells_the_committees(works, people):
    from notifications.models import Notice

    second = works.project.tranches.get(number=2)
    Tranche.objects.filter(pk=second.pk).update(status=TrancheState.REQUESTED)
    services.project_transition(actor=people["coordinator"], project_id=works.project.pk,
                                action=ProjectAction.SUSPEND, note="Obra detenida sin aviso.")
    second.refresh_from_db()
    assert second.status == TrancheState.WITHHELD
    assert Notice.objects.filter(recipient=works.admin, body__contains="Obra detenida").exists()


def test_cancellation_opens_the_refund_of_released_minus_verified(works, people):
    verify(works, record_invoice(works, subtotal=Decimal("100000.00")), people["finance"])
    services.project_transition(actor=people["coordinator"], project_id=works.project.pk,
                                action=ProjectAction.CANCEL, note="Incumplimiento del convenio.")
    refund = Refund.objects.get(project=works.project)
    assert refund.reason == Refund.Reason.CANCELLATION
    assert refund.amount == Decimal("700000.00") - Decimal("116000.00")
    with pytest.raises(ValidationError):  # nothing more is spent on a cancelled project
        record_invoice(works)
    services.refund_record(actor=people["finance"], project_id=works.project.pk, transfer_reference="REINT-1",
                           transfer_date=timezone.localdate())
    refund.refresh_from_db()
    assert refund.is_recorded and refund.amount == Decimal("584000.00")


# --- Closure --------------------------------------------------------------------------------------------------

def test_closing_goes_item_by_item_and_the_refund_is_exact_to_the_cent(works, people):
    coordinator, finance = people["coordinator"], people["finance"]
    verify(works, record_invoice(works, subtotal=Decimal("333333.33")), finance)
    open_expense = record_invoice(works, subtotal=Decimal("10.00"))
    with pytest.raises(ValidationError) as refused:
        services.project_transition(actor=coordinator, project_id=works.project.pk,
                                    action=ProjectAction.COMPLETE_WORKS)
    assert any("100 %" in m for m in refused.value.messages)
    _report(works, 100)
    services.project_transition(actor=coordinator, project_id=works.project.pk, action=ProjectAction.COMPLETE_WORKS)
    with pytest.raises(ValidationError) as refused:
        services.project_transition(actor=coordinator, project_id=works.project.pk,
                                    action=ProjectAction.OPEN_ACCOUNTABILITY)
    assert len(refused.value.messages) == 2  # an expense still in review; no handover yet
    services.expense_transition(actor=works.supervision, expense_id=open_expense.pk, action=ExpenseAction.REJECT,
                                note="No corresponde a la obra.")
    services.handover_generate(actor=coordinator, project_id=works.project.pk,
                               works_delivered="Parque rehabilitado con juegos y luminarias.",
                               delivered_on=timezone.localdate())
    services.handover_upload_signed(actor=works.admin, project_id=works.project.pk,
                                    upload=upload("acta.pdf", PDF_BYTES))
    services.project_transition(actor=coordinator, project_id=works.project.pk,
                                action=ProjectAction.OPEN_ACCOUNTABILITY)
    refund = Refund.objects.get(project=works.project)
    assert refund.amount == Decimal("700000.00") - Decimal("386666.66")
    checklist = {item.code: item.done for item in services.closure_checklist(works.refresh())}
    assert checklist == {"progress": True, "expenses": True, "cfdi": True, "handover": True, "assembly": False,
                         "refund": False}
    with pytest.raises(ValidationError):
        services.project_close(actor=coordinator, project_id=works.project.pk)
    services.accountability_record(actor=works.admin, project_id=works.project.pk, held_on=timezone.localdate(),
                                   attendance=54, reported="Se informó el gasto completo.",
                                   minutes=upload("acta.pdf", PDF_BYTES))
    services.refund_record(actor=finance, project_id=works.project.pk, transfer_reference="REINT-9",
                           transfer_date=timezone.localdate())
    closed = services.project_close(actor=coordinator, project_id=works.project.pk)
    assert closed.status == ProjectState.CLOSED
    refund.refresh_from_db()
    assert refund.amount == closed.released_total - closed.verified_total == Decimal("313333.34")


def test_a_cancelled_invoice_found_at_closure_blocks_it(works, people):
    coordinator = people["coordinator"]
    expense = record_invoice(works)
    verify(works, expense, people["finance"])
    Project.objects.filter(pk=works.project.pk).update(status=ProjectState.ACCOUNTABILITY,
                                                        physical_progress=100)
    with recorded_answer(expense.cfdi.uuid, SatStatus.CANCELLED), pytest.raises(ValidationError) as refused:
        services.project_close(actor=coordinator, project_id=works.project.pk)
    assert any("cancelada" in m for m in refused.value.messages)
    assert Cfdi.objects.get(pk=expense.cfdi.pk).sat_status == SatStatus.CANCELLED


def test_an_xml_payload_with_entities_is_refused_at_the_service(works):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
            b'<cfdi:Comprobante xmlns:cfdi="http://www.sat.gob.mx/cfd/4">&b;</cfdi:Comprobante>')
    with pytest.raises(ValidationError) as refused:
        services.expense_record_invoice(actor=works.admin, project_id=works.project.pk, xml=upload("x.xml", bomb),
                                        budget_line_id=works.lines[0].pk, concept="x")
    assert "xml" in refused.value.message_dict


def test_a_closed_project_asks_for_no_more_tranches(client, works, people):
    from django.urls import reverse

    Project.objects.filter(pk=works.project.pk).update(status=ProjectState.CLOSED)
    client.force_login(works.admin)
    html = client.get(reverse("projects:detail", args=[works.project.pk])).content.decode()
    assert "Falta para avanzar" not in html and "solicitar la ministración" not in html
