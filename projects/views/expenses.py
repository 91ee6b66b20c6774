"""Expense pages: a project's expenses tab, recording an invoice (read, then confirm) or a simple receipt,
an expense's page with its actions and files, and finance's verification queue. Every write is a service;
every read goes through visible_to. A refused form comes back as typed, each error by its field."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.roles import StaffRole, has_role
from nicp import confirm
from nicp.errors import StaleVersion
from nicp.pagination import KeysFirstPaginator
from nicp.storage import content_type_of, download_response
from projects import permissions, services
from projects.models import Expense
from projects.progress import financial_progress
from projects.sat import SatStatus
from projects.services.expenses import SPENDING_STATES, expense_actions, simple_receipts_left
from projects.views import expense_forms as ef
from projects.views.common import apply_error, project_for
from projects.views.next_steps import _what, register_step
from projects.workflow import EXPENSE_COUNTING_STATES, ExpenseAction, ExpenseState

TAB_PAGE_SIZE = 25
QUEUE_PAGE_SIZE = 50
QUEUE_READERS = (StaffRole.FINANCE_OFFICER, StaffRole.COORDINATOR, StaffRole.AUDITOR)
DONE = {
    ExpenseAction.ENDORSE: gettext_lazy("Gasto avalado: pasa a Finanzas para su verificación."),
    ExpenseAction.VERIFY: gettext_lazy("Gasto verificado: ya cuenta como comprobado."),
    ExpenseAction.OBSERVE: gettext_lazy("Gasto observado: el comité de Administración recibió tu nota."),
    ExpenseAction.REJECT: gettext_lazy("Gasto rechazado: ya no cuenta."),
    ExpenseAction.REVOKE: gettext_lazy("Verificación revocada: el gasto ya no cuenta como comprobado."),
}

# The history reads in the past tense; the actions' own labels are what buttons say.
EVENT_LABELS = {
    "record": gettext_lazy("Se registró"),
    ExpenseAction.ENDORSE: gettext_lazy("Supervisión lo avaló"),
    ExpenseAction.VERIFY: gettext_lazy("Finanzas lo verificó"),
    ExpenseAction.OBSERVE: gettext_lazy("Se observó"),
    ExpenseAction.CORRECT: gettext_lazy("El comité de Administración lo corrigió"),
    ExpenseAction.REJECT: gettext_lazy("Se rechazó"),
    ExpenseAction.REVOKE: gettext_lazy("Se revocó su verificación (CFDI cancelado)"),
}


def _with_sat_labels(expenses):
    """The SAT's answer in words on each invoice (the field keeps the stable code)."""
    for expense in expenses:
        invoice = getattr(expense, "cfdi", None) if expense.kind == Expense.Kind.CFDI else None
        expense.sat_label = SatStatus(invoice.sat_status).label if invoice is not None else ""
    return expenses


def _require(allowed) -> None:
    if not allowed:
        raise PermissionDenied


def _expense(request, project, expense_pk) -> Expense:
    return get_object_or_404(Expense.objects.visible_to(request.user).filter(project=project)
                             .select_related("budget_line", "cfdi", "recorded_by"), pk=expense_pk)


# --- The expenses tab --------------------------------------------------------------------------------

@login_required
def expenses(request, pk):
    project = project_for(request.user, pk)
    rows = ef.ExpenseFilter(request.GET or None, project=project, request=request,
                            queryset=Expense.objects.filter(project=project).select_related("budget_line", "cfdi"))
    valid = not rows.is_bound or rows.form.is_valid()
    listed = rows.qs if valid else rows.queryset.none()
    page = KeysFirstPaginator(listed.order_by("-spent_on", "-id"), TAB_PAGE_SIZE).get_page(request.GET.get("page"))
    _with_sat_labels(page.object_list)
    lines = _with_reasons(project, services.budget_lines_spending(project))
    recorded = sum(line["spent"] for line in lines)
    return render(request, "projects/expenses/tab.html", {
        "project": project, "filter": rows, "page": page, "lines": lines, "recorded": recorded,
        "financial": financial_progress(project), "can_record": _can_record(request.user, project),
    }, status=200 if valid else 400)


def _with_reasons(project, lines: list[dict]) -> list[dict]:
    """Each over-budget line with the justifications given for spending more on it (one query)."""
    over = {line["line"].pk: line for line in lines if line["over"]}
    for line in lines:
        line["reasons"] = []
    if over:
        for line_id, reason in (Expense.objects.filter(project=project, budget_line__in=list(over),
                                                       status__in=EXPENSE_COUNTING_STATES)
                                .exclude(over_budget_reason="").order_by("id")
                                .values_list("budget_line", "over_budget_reason")):
            over[line_id]["reasons"].append(reason)
    return lines


def _can_record(user, project) -> bool:
    return (permissions.can_record_expense(user, project)
            and project.status in SPENDING_STATES)


# --- Recording an invoice: read, then confirm ---------------------------------------------------------

def _invoice_page(request, project, *, form, reading=None, confirm_form=None, status=200):
    return render(request, "projects/expenses/invoice.html", {
        "project": project, "form": form, "reading": reading, "confirm_form": confirm_form}, status=status)


@login_required
def expense_invoice(request, pk):
    """Step 1: the XML. Its POST only reads it (nothing is written) and shows what was read."""
    project = project_for(request.user, pk)
    _require(permissions.can_record_expense(request.user, project))
    if request.method != "POST":
        return _invoice_page(request, project, form=ef.InvoiceUploadForm())
    form = ef.InvoiceUploadForm(request.POST, request.FILES)
    form.is_valid()
    try:
        reading = services.invoice_read(actor=request.user, project_id=project.pk,
                                        upload=form.cleaned_data.get("xml"))
    except ValidationError as error:
        apply_error(form, error)
        return _invoice_page(request, project, form=form, status=400)
    if not reading.acceptable:
        return _invoice_page(request, project, form=form, reading=reading, status=400)
    confirm_form = ef.InvoiceConfirmForm(project=project, initial={"xml": ef.carry(reading.xml)})
    return _invoice_page(request, project, form=form, reading=reading, confirm_form=confirm_form)


@login_required
@require_POST
def expense_invoice_confirm(request, pk):
    """Step 2: the committee's fields and the carried XML; the service reads the XML again."""
    project = project_for(request.user, pk)
    _require(permissions.can_record_expense(request.user, project))
    form = ef.InvoiceConfirmForm(request.POST, request.FILES, project=project)
    valid = form.is_valid()
    xml = form.cleaned_data.get("xml")
    if xml is None:  # lost or tampered with on the way: back to step 1, saying why
        upload = ef.InvoiceUploadForm(data={})
        upload.is_valid()
        upload.add_error("xml", form.errors.get("xml") or _("Adjunta el archivo XML de la factura."))
        return _invoice_page(request, project, form=upload, status=400)
    if valid:
        data = form.cleaned_data
        try:
            expense = services.expense_record_invoice(
                actor=request.user, project_id=project.pk, xml=xml, budget_line_id=data["budget_line"],
                concept=data["concept"], pdf=data.get("pdf"), over_budget_reason=data["over_budget_reason"])
        except ValidationError as error:
            apply_error(form, error)
        else:
            messages.success(request, _("Factura registrada: Supervisión la revisará para avalarla."))
            return redirect("projects:expense_detail", pk=project.pk, expense_pk=expense.pk)
    try:
        reading = services.invoice_read(actor=request.user, project_id=project.pk, upload=xml)
    except ValidationError as error:  # not even an invoice: step 1 again, with the reason
        upload = ef.InvoiceUploadForm(data={})
        upload.is_valid()
        apply_error(upload, error)
        return _invoice_page(request, project, form=upload, status=400)
    return _invoice_page(request, project, form=ef.InvoiceUploadForm(), reading=reading, confirm_form=form,
                         status=400)


# --- Recording a simple receipt -----------------------------------------------------------------------

@login_required
def expense_simple(request, pk):
    project = project_for(request.user, pk)
    _require(permissions.can_record_expense(request.user, project))
    form = ef.SimpleReceiptForm(request.POST or None, request.FILES or None, project=project)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                expense = services.expense_record_simple(
                    actor=request.user, project_id=project.pk, budget_line_id=data["budget_line"],
                    spent_on=data["spent_on"], supplier=data["supplier"], concept=data["concept"],
                    amount=data["amount"], receipt=data.get("receipt"),
                    over_budget_reason=data["over_budget_reason"])
            except ValidationError as error:
                apply_error(form, error)
            else:
                messages.success(request, _("Recibo registrado: Supervisión lo revisará para avalarlo."))
                return redirect("projects:expense_detail", pk=project.pk, expense_pk=expense.pk)
    return render(request, "projects/expenses/simple.html", {
        "project": project, "form": form, "left": simple_receipts_left(project)}, status=status)


# --- An expense's page, its actions and files ------------------------------------------------------

def _detail_page(request, project, expense, *, bound=None, status=200):
    _with_sat_labels([expense])
    forms = [bound if bound is not None and bound.action == action else ef.ExpenseActionForm(
        action=action, initial={"version": expense.version})
        for action in expense_actions(request.user, project, expense)]
    can_correct = (expense.status == ExpenseState.OBSERVED and permissions.can_record_expense(request.user, project))
    return render(request, "projects/expenses/detail.html", {
        "project": project, "expense": expense, "cfdi": getattr(expense, "cfdi", None)
        if expense.kind == Expense.Kind.CFDI else None,
        "events": [(event, EVENT_LABELS.get(event.action, event.action))
                   for event in expense.events.select_related("actor")],
        "action_forms": forms, "can_correct": can_correct,
    }, status=status)


@login_required
def expense_detail(request, pk, expense_pk):
    project = project_for(request.user, pk)
    return _detail_page(request, project, _expense(request, project, expense_pk))


@login_required
@require_POST
def expense_action(request, pk, expense_pk):
    project = project_for(request.user, pk)
    _require(permissions.can_endorse(request.user, project) or permissions.can_verify_expense(request.user, project))
    expense = _expense(request, project, expense_pk)
    action = request.POST.get("action", "")
    if action not in DONE:
        messages.error(request, _("Elige una de las acciones de la página."))
        return _detail_page(request, project, expense, status=400)
    form = ef.ExpenseActionForm(request.POST, action=action)
    status = 400
    if (not form.needs_confirm or confirm.require_confirmation(form)) and form.is_valid():
        try:
            services.expense_transition(actor=request.user, expense_id=expense.pk, action=action,
                                        note=form.cleaned_data.get("note", ""),
                                        version=form.cleaned_data.get("version"))
        except ValidationError as error:
            apply_error(form, error)
        except StaleVersion as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, str(DONE[action]))
            return redirect("projects:expense_detail", pk=project.pk, expense_pk=expense.pk)
    expense.refresh_from_db()
    return _detail_page(request, project, expense, bound=form, status=status)


@login_required
def expense_correct(request, pk, expense_pk):
    project = project_for(request.user, pk)
    _require(permissions.can_record_expense(request.user, project))
    expense = _expense(request, project, expense_pk)
    initial = {"budget_line": expense.budget_line_id, "concept": expense.concept, "spent_on": expense.spent_on,
               "supplier": expense.supplier, "amount": expense.amount,
               "over_budget_reason": expense.over_budget_reason, "version": expense.version}
    form = ef.CorrectForm(request.POST or None, request.FILES or None, project=project, expense=expense,
                          initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.expense_correct(
                    actor=request.user, expense_id=expense.pk, budget_line_id=data["budget_line"],
                    concept=data["concept"], over_budget_reason=data["over_budget_reason"], note=data["note"],
                    version=data.get("version"), spent_on=data.get("spent_on"), supplier=data.get("supplier", ""),
                    amount=data.get("amount"), receipt=data.get("receipt"))
            except ValidationError as error:
                apply_error(form, error)
            except StaleVersion as error:
                form.add_error(None, str(error))
                status = 409
            else:
                messages.success(request, _("Gasto corregido: vuelve a Supervisión."))
                return redirect("projects:expense_detail", pk=project.pk, expense_pk=expense.pk)
    return render(request, "projects/expenses/correct.html", {
        "project": project, "expense": expense, "form": form,
        "correctable": expense.status == ExpenseState.OBSERVED}, status=status)


@login_required
def expense_file(request, pk, expense_pk, which):
    """The receipt's files, only to those who read the project; the XML always as a download."""
    project = project_for(request.user, pk)
    expense = _expense(request, project, expense_pk)
    invoice = getattr(expense, "cfdi", None) if expense.kind == Expense.Kind.CFDI else None
    inline = request.GET.get("ver") == "1"
    if which == "xml" and invoice is not None:
        return download_response(invoice.xml_file, stem=f"cfdi-{invoice.uuid}", content_type="application/xml")
    if which == "pdf" and invoice is not None and invoice.pdf_file:
        return download_response(invoice.pdf_file, stem=f"cfdi-{invoice.uuid}", content_type="application/pdf",
                                 inline=inline)
    if which == "recibo" and expense.receipt_file:
        return download_response(expense.receipt_file, stem=f"recibo-{project.code}-{expense.pk}",
                                 content_type=content_type_of(expense.receipt_file.name), inline=inline)
    raise Http404


# --- Finance's verification queue -----------------------------------------------------------------

def _queue_page(request, *, batch=None, status=200):
    rows = ef.QueueFilter(request.GET or None, request=request,
                          queryset=Expense.objects.visible_to(request.user).to_verify().for_list())
    valid = not rows.is_bound or rows.form.is_valid()
    listed = rows.qs if valid else rows.queryset.none()
    page = KeysFirstPaginator(listed, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    _with_sat_labels(page.object_list)
    return render(request, "projects/expenses/queue.html", {
        "filter": rows, "page": page, "batch": batch or ef.BatchVerifyForm(),
        "can_act": has_role(request.user, StaffRole.FINANCE_OFFICER),
    }, status=status if valid else 400)


@login_required
def expense_queue(request):
    _require(has_role(request.user, *QUEUE_READERS))
    return _queue_page(request)


@login_required
@require_POST
def expense_batch_verify(request):
    _require(has_role(request.user, StaffRole.FINANCE_OFFICER))
    form = ef.BatchVerifyForm(request.POST)
    if not form.is_valid():
        return _queue_page(request, batch=form, status=400)
    result = services.expenses_verify_batch(actor=request.user, expense_ids=form.cleaned_data["expense"])
    if result.verified:
        messages.success(request, ngettext("Se verificó %(n)d gasto.", "Se verificaron %(n)d gastos.",
                                           len(result.verified)) % {"n": len(result.verified)})
    for expense_id, why in result.refused:
        messages.error(request, _("El gasto %(id)d no se verificó: %(why)s") % {"id": expense_id, "why": why})
    return redirect(reverse("projects:expense_queue") + _kept_query(request))


def _kept_query(request) -> str:
    """Back to the queue as it was filtered (the filters travel with the batch form)."""
    query = request.POST.get("query", "")
    return f"?{query}" if query and len(query) < 500 else ""


# --- What to do next (priority 20) ------------------------------------------------------------------

def expense_step(user, project, seat):
    tab = reverse("projects:expenses", args=[project.pk])
    if seat is not None and seat.committee == "administration":
        observed = project.expenses.filter(status=ExpenseState.OBSERVED).order_by("id").first()
        if observed is not None:
            return _what(_("Supervisión o Finanzas observó un gasto: corrígelo para que siga su revisión."),
                         (_("Corregir el gasto"), reverse("projects:expense_correct", args=[project.pk, observed.pk])),
                         tone="error")
    elif seat is not None and seat.committee == "supervision":
        count = project.expenses.filter(status=ExpenseState.RECORDED).count()
        if count:
            return _what(ngettext("Hay %(n)d gasto por avalar.", "Hay %(n)d gastos por avalar.", count) % {"n": count},
                         (_("Revisar los gastos"), f"{tab}?status={ExpenseState.RECORDED}"))
    elif seat is None and permissions.can_verify_expense(user, project):
        count = project.expenses.filter(status=ExpenseState.ENDORSED).count()
        if count:
            return _what(ngettext("Hay %(n)d gasto de este proyecto por verificar.",
                                  "Hay %(n)d gastos de este proyecto por verificar.", count) % {"n": count},
                         (_("Ir a la cola de verificación"),
                          f"{reverse('projects:expense_queue')}?code={project.code}"))
    return None


register_step(20, expense_step)

urlpatterns = [
    path("<int:pk>/gastos/", expenses, name="expenses"),
    path("<int:pk>/gastos/factura/", expense_invoice, name="expense_invoice"),
    path("<int:pk>/gastos/factura/confirmar/", expense_invoice_confirm, name="expense_invoice_confirm"),
    path("<int:pk>/gastos/recibo/", expense_simple, name="expense_simple"),
    path("<int:pk>/gastos/<int:expense_pk>/", expense_detail, name="expense_detail"),
    path("<int:pk>/gastos/<int:expense_pk>/accion/", expense_action, name="expense_action"),
    path("<int:pk>/gastos/<int:expense_pk>/corregir/", expense_correct, name="expense_correct"),
    path("<int:pk>/gastos/<int:expense_pk>/archivo/<str:which>/", expense_file, name="expense_file"),
    path("gastos/por-verificar/", expense_queue, name="expense_queue"),
    path("gastos/por-verificar/verificar/", expense_batch_verify, name="expense_batch_verify"),
]
