"""Every write on a project's expenses: recording (CFDI invoice or simple receipt), the path through
supervision and finance, batch verification, and the SAT status checks. Each locks the project row first
(then the expense), so the verified total and the tranches' proof move together under one lock."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nicp import bounds
from nicp.readonly import require_may_write
from nicp.workflow import Workflow, transition_apply
from projects import permissions, progress
from projects.cfdi import Cfdi as CfdiReading
from projects.cfdi import cfdi_parse, cfdi_refusals
from projects.models import Cfdi, Expense, ExpenseEvent, Project, ProjectRules, Refund
from projects.sat import SatStatus, sat_status
from projects.services.projects import lock_project, record, tell_project
from projects.workflow import (
    EXPENSE_COUNTING_STATES,
    EXPENSE_NOTE_REQUIRED,
    EXPENSE_TRANSITIONS,
    ExpenseAction,
    ExpenseState,
    ProjectState,
)
from proposals.models.calls import MEXICO_CITY
from proposals.uploads import PDF_ONLY, clean_upload

XML_MAX_BYTES = 2 * 1_048_576
RECEIPT_MAX_BYTES = 15 * 1_048_576
# Expenses are recorded while the works run, and the last ones once they are done.
SPENDING_STATES = frozenset({ProjectState.IN_EXECUTION, ProjectState.SUSPENDED, ProjectState.WORKS_COMPLETED})
# Endorsement and verification go on until the project goes to accountability; a cancelled CFDI can be
# revoked until the project closes.
REVIEW_STATES = SPENDING_STATES
REVOKE_STATES = SPENDING_STATES | {ProjectState.ACCOUNTABILITY}

EXPENSE_WORKFLOW = Workflow(
    transitions=EXPENSE_TRANSITIONS, event_model=ExpenseEvent, event_field="expense",
    action_label=lambda action: ExpenseAction(action).label if action in ExpenseAction.values else action,
    refusal=gettext_lazy("El gasto está «%(state)s»: no se puede «%(action)s»."))


def _money(value: Decimal) -> str:
    return f"${value:,.2f}"


# --- Reading an invoice before recording it ----------------------------------------------------------

@dataclass
class InvoiceReading:
    """What was read from an uploaded XML, and why it cannot be recorded (empty when it can)."""

    cfdi: CfdiReading | None
    xml: bytes
    problems: list[str] = field(default_factory=list)

    @property
    def acceptable(self) -> bool:
        return self.cfdi is not None and not self.problems


def _xml_bytes(upload) -> bytes:
    if upload is None:
        raise ValidationError({"xml": _("Adjunta el archivo XML de la factura.")})
    if isinstance(upload, bytes):
        data = upload
    else:
        if upload.size > XML_MAX_BYTES:
            raise ValidationError({"xml": _("El XML pesa más de 2 MB: una factura no pesa tanto. Revisa que "
                                            "sea el archivo correcto.")})
        data = upload.read()
    return data


def invoice_read(*, actor, project_id: int, upload) -> InvoiceReading:
    """Parse an invoice for the committee to check before confirming; writes nothing."""
    project = Project.objects.visible_to(actor).filter(pk=project_id).select_related("call").first()
    if project is None:
        from django.http import Http404

        raise Http404
    if not permissions.can_record_expense(actor, project):
        raise PermissionDenied(_("Solo el comité de Administración registra los gastos."))
    data = _xml_bytes(upload)
    try:
        cfdi = cfdi_parse(data)
    except ValidationError as error:
        raise ValidationError({"xml": error.messages}) from None
    return InvoiceReading(cfdi=cfdi, xml=data, problems=_invoice_problems(project, cfdi))


def _invoice_problems(project: Project, cfdi: CfdiReading) -> list[str]:
    rules = ProjectRules.for_call(project.call)
    problems = list(cfdi_refusals(cfdi, receiver_rfc=rules.receiver_rfc, starts_on=project.execution_starts_on,
                                  ends_on=project.execution_ends_on))
    used = Cfdi.objects.filter(uuid=cfdi.uuid).select_related("expense__project").first()
    if used is not None:
        problems.append(_duplicate_message(cfdi.uuid, used.expense.project.code if used.expense_id else ""))
    return problems


def _duplicate_message(uuid: str, code: str = "") -> str:
    if code:
        return _("La factura con folio fiscal %(uuid)s ya comprueba un gasto del proyecto %(code)s: una "
                 "factura comprueba un solo gasto en todo el programa.") % {"uuid": uuid, "code": code}
    return _("La factura con folio fiscal %(uuid)s ya se usó en el programa: una factura comprueba un solo "
             "gasto.") % {"uuid": uuid}


# --- Recording ----------------------------------------------------------------------------------------

def _spending_checks(project: Project, *, budget_line_id, amount: Decimal, over_budget_reason: str,
                     simple: bool, exclude_id=None) -> dict:
    """The money rules of a new (or corrected) expense, as field errors."""
    errors = {}
    line = project.proposal.budget_lines.filter(pk=budget_line_id).first() if budget_line_id else None
    if line is None:
        errors["budget_line"] = _("Elige el concepto del presupuesto al que se carga el gasto.")
    counting = project.expenses.filter(status__in=EXPENSE_COUNTING_STATES).exclude(pk=exclude_id)
    spent = counting.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    if spent + amount > project.released_total:
        errors.setdefault("__all__", []).append(
            _("Con este gasto lo registrado (%(spent)s) superaría lo ministrado al proyecto (%(released)s): solo "
              "se comprueba dinero recibido.") % {"spent": _money(spent + amount),
                                                 "released": _money(project.released_total)})
    if simple:
        rules = ProjectRules.for_call(project.call)
        cap = (project.approved_amount * rules.simple_receipts_max_percent / 100).quantize(progress.CENT)
        simple_spent = counting.filter(kind=Expense.Kind.SIMPLE).aggregate(total=Sum("amount"))["total"] or 0
        if simple_spent + amount > cap:
            errors["amount"] = _("Los recibos simples suman %(have)s y con este llegarían a %(would)s: la "
                                 "convocatoria admite hasta %(cap)s (%(p)d %% del monto aprobado). Compruébalo con "
                                 "factura (CFDI).") % {"have": _money(simple_spent),
                                                       "would": _money(simple_spent + amount), "cap": _money(cap),
                                                       "p": rules.simple_receipts_max_percent}
    if line is not None:
        line_spent = counting.filter(budget_line=line).aggregate(total=Sum("amount"))["total"] or Decimal("0")
        if line_spent + amount > line.amount and not over_budget_reason.strip():
            errors["over_budget_reason"] = _(
                "Con este gasto «%(line)s» llevaría %(would)s de %(budget)s presupuestados: explica por qué se "
                "gasta más en este concepto.") % {"line": line.concept, "would": _money(line_spent + amount),
                                                  "budget": _money(line.amount)}
    if len(over_budget_reason) > bounds.NOTE_MAX:
        errors["over_budget_reason"] = _("La justificación admite como máximo %(n)s caracteres.") % {
            "n": f"{bounds.NOTE_MAX:,}"}
    return errors


def simple_receipts_left(project: Project) -> Decimal:
    """What simple receipts may still prove: the call's share of the approved amount minus the simple
    receipts that count (the form says it; _spending_checks enforces it)."""
    rules = ProjectRules.for_call(project.call)
    cap = (project.approved_amount * rules.simple_receipts_max_percent / 100).quantize(progress.CENT)
    spent = project.expenses.filter(status__in=EXPENSE_COUNTING_STATES, kind=Expense.Kind.SIMPLE).aggregate(
        total=Sum("amount"))["total"] or Decimal("0")
    return max(cap - spent, Decimal("0"))


def _lock_for_spending(actor, project_id, version=None) -> Project:
    require_may_write(actor)
    project = lock_project(actor, project_id, version)
    if not permissions.can_record_expense(actor, project):
        raise PermissionDenied(_("Solo el comité de Administración registra los gastos."))
    if project.status not in SPENDING_STATES:
        raise ValidationError(_("El proyecto está «%(state)s»: ya no se registran gastos.")
                              % {"state": project.get_status_display()})
    return project


def _concept(concept: str) -> str:
    concept = (concept or "").strip()
    if not concept:
        raise ValidationError({"concept": _("Escribe qué se compró o pagó.")})
    return concept[:250]


@transaction.atomic
def expense_record_invoice(*, actor, project_id: int, xml, budget_line_id, concept: str, pdf=None,
                           over_budget_reason: str = "", version=None) -> Expense:
    """Record an expense proved by a CFDI 4.0 invoice. Every figure comes from the XML, read again here
    (the preview is never trusted)."""
    project = _lock_for_spending(actor, project_id, version)
    data = _xml_bytes(xml)
    try:
        reading = cfdi_parse(data)
    except ValidationError as error:
        raise ValidationError({"xml": error.messages}) from None
    problems = _invoice_problems(project, reading)
    if problems:
        raise ValidationError({"xml": problems})
    errors = _spending_checks(project, budget_line_id=budget_line_id, amount=reading.total,
                              over_budget_reason=over_budget_reason, simple=False)
    try:
        concept = _concept(concept)
    except ValidationError as error:
        errors.update(error.message_dict)
    pdf_clean = None
    if pdf is not None:
        try:
            pdf_clean = clean_upload(pdf, max_bytes=RECEIPT_MAX_BYTES, accept=PDF_ONLY,
                                     refused=_("La representación impresa de la factura va en PDF."))
        except ValidationError as error:
            errors["pdf"] = error.messages
    if errors:
        raise ValidationError(errors)
    expense = Expense.objects.create(
        project=project, budget_line_id=budget_line_id, kind=Expense.Kind.CFDI, spent_on=reading.issued_on,
        supplier=reading.issuer_name[:250] or reading.issuer_rfc, supplier_rfc=reading.issuer_rfc,
        concept=concept, amount=reading.total, over_budget_reason=over_budget_reason.strip(), recorded_by=actor)
    answer = sat_status(uuid=reading.uuid, issuer_rfc=reading.issuer_rfc, receiver_rfc=reading.receiver_rfc,
                        total=reading.total)
    invoice = Cfdi(expense=expense, uuid=reading.uuid, issuer_rfc=reading.issuer_rfc,
                   issuer_name=reading.issuer_name[:300], receiver_rfc=reading.receiver_rfc,
                   issued_at=reading.issued_at, subtotal=reading.subtotal, total=reading.total,
                   currency=reading.currency, kind=reading.kind, sat_status=answer.status,
                   sat_detail=answer.detail[:300],
                   sat_checked_at=None if answer.status == SatStatus.UNCHECKED else timezone.now())
    invoice.xml_file.save(f"{reading.uuid}.xml", ContentFile(data), save=False)
    if pdf_clean is not None:
        invoice.pdf_file.save(f"{reading.uuid}.pdf", pdf_clean.content, save=False)
    try:
        # The folio fiscal's uniqueness is the database's: of two uploads at once, one wins.
        with transaction.atomic():
            invoice.save()
    except IntegrityError:
        raise ValidationError({"xml": [_duplicate_message(reading.uuid)]}) from None
    ExpenseEvent.objects.create(expense=expense, actor=actor, action="record", from_state="",
                                to_state=expense.status, note=reading.uuid)
    return expense


@transaction.atomic
def expense_record_simple(*, actor, project_id: int, budget_line_id, spent_on, supplier: str, concept: str,
                          amount, receipt, over_budget_reason: str = "", version=None) -> Expense:
    """Record an expense proved by a signed simple receipt (labour paid to a person, a small purchase),
    within the call's share of the approved amount."""
    project = _lock_for_spending(actor, project_id, version)
    errors = {}
    amount = _amount(amount, errors)
    _check_spent_on(project, spent_on, errors)
    if not (supplier or "").strip():
        errors["supplier"] = _("Escribe a quién se pagó.")
    try:
        concept = _concept(concept)
    except ValidationError as error:
        errors.update(error.message_dict)
    errors.update({key: value for key, value in _spending_checks(
        project, budget_line_id=budget_line_id, amount=amount or Decimal("0"), over_budget_reason=over_budget_reason,
        simple=True).items() if key not in errors})
    clean = _receipt(receipt, errors)
    if errors:
        raise ValidationError(errors)
    expense = Expense(project=project, budget_line_id=budget_line_id, kind=Expense.Kind.SIMPLE, spent_on=spent_on,
                      supplier=supplier.strip()[:250], concept=concept, amount=amount,
                      over_budget_reason=over_budget_reason.strip(), recorded_by=actor)
    expense.receipt_file.save(f"recibo.{clean.extension}", clean.content, save=False)
    expense.save()
    ExpenseEvent.objects.create(expense=expense, actor=actor, action="record", from_state="",
                                to_state=expense.status)
    return expense


def _amount(value, errors: dict) -> Decimal | None:
    try:
        amount = Decimal(str(value)).quantize(progress.CENT)
    except (ArithmeticError, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount > bounds.PROPOSAL_AMOUNT_MAX:
        errors["amount"] = _("Escribe el importe en pesos, mayor que cero (por ejemplo 1250.50).")
        return None
    return amount


def _check_spent_on(project: Project, spent_on, errors: dict) -> None:
    today = timezone.now().astimezone(MEXICO_CITY).date()
    if spent_on is None:
        errors["spent_on"] = _("Indica la fecha del gasto.")
    elif spent_on > today:
        errors["spent_on"] = _("La fecha del gasto no puede ser futura.")
    elif not project.execution_starts_on <= spent_on <= project.execution_ends_on:
        errors["spent_on"] = _("La fecha va dentro del periodo de ejecución: del %(start)s al %(end)s.") % {
            "start": project.execution_starts_on.strftime("%d/%m/%Y"),
            "end": project.execution_ends_on.strftime("%d/%m/%Y")}


def _receipt(upload, errors: dict):
    if upload is None:
        errors["receipt"] = _("Adjunta el recibo firmado (PDF o foto).")
        return None
    try:
        return clean_upload(upload, max_bytes=RECEIPT_MAX_BYTES,
                            refused=_("El recibo va en PDF o como foto (JPEG, PNG o WEBP)."))
    except ValidationError as error:
        errors["receipt"] = error.messages
        return None


@transaction.atomic
def expense_correct(*, actor, expense_id: int, budget_line_id, concept: str, over_budget_reason: str = "",
                    note: str = "", version=None, spent_on=None, supplier: str = "", amount=None,
                    receipt=None) -> Expense:
    """The administration committee answers an observation and the expense goes back to supervision.
    An invoice's figures never change (they are the XML's); a simple receipt's may, with a new file."""
    found = Expense.objects.filter(pk=expense_id).values_list("project_id", flat=True).first()
    project = lock_project(actor, found or 0)

    def allowed(expense):
        return permissions.can_record_expense(actor, project)

    def guard(expense):
        if project.status not in SPENDING_STATES:
            raise ValidationError(_("El proyecto está «%(state)s»: ya no se corrigen gastos.")
                                  % {"state": project.get_status_display()})
        errors = {}
        if not note.strip():
            errors["note"] = _("Escribe qué corregiste: Supervisión lo leerá al revisar de nuevo.")
        new_amount = expense.amount
        if expense.kind == Expense.Kind.SIMPLE:
            if amount is not None:
                new_amount = _amount(amount, errors) or expense.amount
            if spent_on is not None:
                _check_spent_on(project, spent_on, errors)
        try:
            clean_concept = _concept(concept)
        except ValidationError as error:
            errors.update(error.message_dict)
            clean_concept = expense.concept
        errors.update({key: value for key, value in _spending_checks(
            project, budget_line_id=budget_line_id, amount=new_amount, over_budget_reason=over_budget_reason,
            simple=expense.kind == Expense.Kind.SIMPLE, exclude_id=expense.pk).items() if key not in errors})
        clean = _receipt(receipt, {}) if receipt is not None and expense.kind == Expense.Kind.SIMPLE else None
        if receipt is not None and expense.kind == Expense.Kind.SIMPLE and clean is None:
            _receipt(receipt, errors)
        if errors:
            raise ValidationError(errors)
        expense.budget_line_id, expense.concept = budget_line_id, clean_concept
        expense.over_budget_reason = over_budget_reason.strip()
        if expense.kind == Expense.Kind.SIMPLE:
            expense.amount = new_amount
            expense.spent_on = spent_on or expense.spent_on
            expense.supplier = (supplier or expense.supplier).strip()[:250]
            if clean is not None:
                expense.receipt_file.save(f"recibo.{clean.extension}", clean.content, save=False)

    rows = Expense.objects.filter(project=project)
    return transition_apply(EXPENSE_WORKFLOW, actor=actor, rows=rows, pk=expense_id, action=ExpenseAction.CORRECT,
                            version=version, note=note, allowed=allowed,
                            denied=_("Solo el comité de Administración corrige los gastos."), guard=guard)


# --- The path through supervision and finance ---------------------------------------------------------

def _may(actor, project: Project, expense: Expense, action: str) -> bool:
    if action == ExpenseAction.ENDORSE:
        return permissions.can_endorse(actor, project)
    if action in (ExpenseAction.OBSERVE, ExpenseAction.REJECT):
        if expense.status == ExpenseState.RECORDED:
            return permissions.can_endorse(actor, project)
        return permissions.can_verify_expense(actor, project)
    if action in (ExpenseAction.VERIFY, ExpenseAction.REVOKE):
        return permissions.can_verify_expense(actor, project)
    if action == ExpenseAction.CORRECT:
        return permissions.can_record_expense(actor, project)
    return False


def expense_actions(actor, project: Project, expense: Expense) -> list[str]:
    """The actions of expense_transition this person may take on the expense in its current state (for
    the pages' buttons; the service checks again)."""
    return [action for (state, action) in EXPENSE_TRANSITIONS
            if state == expense.status and action != ExpenseAction.CORRECT and _may(actor, project, expense, action)]


@transaction.atomic
def expense_transition(*, actor, expense_id: int, action: str, note: str = "", version=None) -> Expense:
    """Endorse (supervision), verify (finance), observe or reject (whoever holds it now), revoke a verified
    expense whose invoice the SAT reports cancelled (finance). Correction has its own service."""
    if action == ExpenseAction.CORRECT:
        raise ValidationError(_("La corrección se hace con su propio formulario."))
    found = Expense.objects.filter(pk=expense_id).values_list("project_id", flat=True).first()
    project = lock_project(actor, found or 0)

    def guard(expense):
        states = REVOKE_STATES if action == ExpenseAction.REVOKE else REVIEW_STATES
        if project.status not in states:
            raise ValidationError(_("El proyecto está «%(state)s»: sus gastos ya no cambian.")
                                  % {"state": project.get_status_display()})
        if action in EXPENSE_NOTE_REQUIRED and not note.strip():
            raise ValidationError({"note": _("Escribe el motivo: el comité de Administración lo leerá.")})
        invoice = getattr(expense, "cfdi", None) if expense.kind == Expense.Kind.CFDI else None
        cancelled = invoice is not None and invoice.sat_status == SatStatus.CANCELLED
        if action == ExpenseAction.VERIFY:
            if cancelled:
                raise ValidationError(_("El SAT reporta cancelada la factura %(uuid)s: no comprueba el gasto.")
                                      % {"uuid": invoice.uuid})
            if project.verified_total + expense.amount > project.released_total:
                raise ValidationError(_("Lo comprobado (%(total)s) superaría lo ministrado (%(released)s).")
                                      % {"total": _money(project.verified_total + expense.amount),
                                         "released": _money(project.released_total)})
        if action == ExpenseAction.REVOKE and not cancelled:
            raise ValidationError(_("Solo se revoca un gasto verificado cuya factura el SAT reporta cancelada."))
        if action in EXPENSE_NOTE_REQUIRED:
            expense.last_note = note.strip()

    def after(expense, source):
        if action == ExpenseAction.VERIFY:
            _move_verified(project, expense.amount, actor)
        elif action == ExpenseAction.REVOKE:
            _move_verified(project, -expense.amount, actor)
            record(project, actor, "expense_revoked", f"{expense.concept}: {_money(expense.amount)}\n{note.strip()}")
        if action in (ExpenseAction.OBSERVE, ExpenseAction.REJECT, ExpenseAction.REVOKE):
            tell_project(project, ExpenseState(expense.status).label, note,
                         subject=_("%(code)s: gasto %(state)s") % {
                             "code": project.code, "state": ExpenseState(expense.status).label.lower()})

    rows = Expense.objects.filter(project=project).select_related("cfdi")
    return transition_apply(
        EXPENSE_WORKFLOW, actor=actor, rows=rows, pk=expense_id, action=action, version=version, note=note,
        allowed=lambda expense: _may(actor, project, expense, action),
        denied=_("Tu papel no puede «%(action)s» este gasto.") % {"action": EXPENSE_WORKFLOW.action_label(action)},
        guard=guard, after=after)


def _move_verified(project: Project, delta: Decimal, actor=None) -> None:
    """Change the verified total and re-spread it over the released tranches (first in, first proved);
    a refund not yet recorded follows the new figure."""
    project.verified_total += delta
    project.save(update_fields=["verified_total", "updated_at"])
    tranches = list(project.tranches.order_by("number"))
    for tranche, proved in zip(tranches, progress.allocate_proof(project.verified_total, tranches), strict=True):
        if tranche.proved_amount != proved:
            tranche.proved_amount = proved
            tranche.save(update_fields=["proved_amount"])
    refund = Refund.objects.filter(project=project).first()
    if refund is not None and not refund.is_recorded:
        refund.amount = progress.refund_due(project)
        refund.save(update_fields=["amount"])
    elif refund is None and project.status == ProjectState.ACCOUNTABILITY and progress.refund_due(project) > 0:
        # Nothing was owed when accountability opened; a revocation since makes money owed, and closing
        # waits for a refund that must exist to be recorded.
        from projects.services.closure import refund_open

        refund_open(project, actor, Refund.Reason.CLOSURE)


@dataclass
class BatchResult:
    verified: list[Expense] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)


def expenses_verify_batch(*, actor, expense_ids: list[int]) -> BatchResult:
    """Finance verifies several endorsed expenses at once; each is its own transaction, so one refusal
    (a cancelled invoice, a stale row) leaves the others verified and says why."""
    result = BatchResult()
    for expense_id in list(dict.fromkeys(expense_ids))[:200]:
        try:
            result.verified.append(expense_transition(actor=actor, expense_id=expense_id,
                                                      action=ExpenseAction.VERIFY))
        except (ValidationError, PermissionDenied) as error:
            messages = getattr(error, "messages", None) or [str(error)]
            result.refused.append((expense_id, " ".join(str(m) for m in messages)))
        except Exception as error:  # noqa: BLE001 - Http404 and stale rows are reported per row
            from django.http import Http404

            if not isinstance(error, Http404):
                raise
            result.refused.append((expense_id, _("No existe o no es tuyo de revisar.")))
    return result


# --- SAT status ---------------------------------------------------------------------------------------

def sat_recheck_project(*, project_id: int, actor=None) -> list[Cfdi]:
    """Ask the SAT again about every invoice that still counts, in its own transaction (so a refusal
    afterwards does not lose what the SAT said). Returns the invoices now reported cancelled."""
    invoices = list(Cfdi.objects.filter(expense__project_id=project_id,
                                        expense__status__in=EXPENSE_COUNTING_STATES).select_related("expense"))
    newly_cancelled = []
    with transaction.atomic():
        for invoice in invoices:
            answer = sat_status(uuid=invoice.uuid, issuer_rfc=invoice.issuer_rfc, receiver_rfc=invoice.receiver_rfc,
                                total=invoice.total)
            if answer.status in (SatStatus.UNCHECKED, SatStatus.ERROR):
                continue  # no answer is not a change: the last one stands
            if answer.status == SatStatus.CANCELLED and invoice.sat_status != SatStatus.CANCELLED:
                newly_cancelled.append(invoice)
            Cfdi.objects.filter(pk=invoice.pk).update(sat_status=answer.status, sat_detail=answer.detail[:300],
                                                      sat_checked_at=timezone.now())
        if newly_cancelled:
            project = Project.objects.get(pk=project_id)
            uuids = ", ".join(invoice.uuid for invoice in newly_cancelled)
            record(project, actor, "sat_cancelled", uuids)
            tell_project(project, _("CFDI cancelado"), _("El SAT reporta canceladas estas facturas: %(uuids)s. "
                                                         "No comprueban gasto.") % {"uuids": uuids},
                         subject=_("%(code)s: factura cancelada ante el SAT") % {"code": project.code})
    return newly_cancelled


def cancelled_invoices(project: Project):
    """Invoices that still count but the SAT reports cancelled: they block releases and closure."""
    return Cfdi.objects.filter(expense__project=project, expense__status__in=EXPENSE_COUNTING_STATES,
                               sat_status=SatStatus.CANCELLED)


def budget_lines_spending(project: Project) -> list[dict]:
    """Each budget line with what was budgeted, what counts against it and what is verified."""
    sums = {}
    for row in (project.expenses.filter(status__in=EXPENSE_COUNTING_STATES)
                .values("budget_line", "status").annotate(total=Sum("amount"))):
        line = sums.setdefault(row["budget_line"], {"spent": Decimal("0"), "verified": Decimal("0")})
        line["spent"] += row["total"]
        if row["status"] == ExpenseState.VERIFIED:
            line["verified"] += row["total"]
    lines = []
    for line in project.proposal.budget_lines.all():
        figures = sums.get(line.pk, {"spent": Decimal("0"), "verified": Decimal("0")})
        lines.append({"line": line, "budget": line.amount, **figures,
                      "over": figures["spent"] > line.amount})
    return lines
