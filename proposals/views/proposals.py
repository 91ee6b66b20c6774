from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import CommunityGroup
from nicp import bounds, confirm
from nicp.errors import StaleVersion
from nicp.storage import download_response
from proposals import confirmations, permissions, services
from proposals.forms import (
    AttachmentForm,
    BudgetLineFormSet,
    ProjectForm,
    ProposalStartForm,
    ScheduleForm,
    SiteForm,
    StaffActionForm,
    VersionedForm,
)
from proposals.hints import excluded_work_warnings, modality_range, row_amount
from proposals.models import Attachment, Call, Proposal, TechnicalReview
from proposals.next_steps import group_next_step
from proposals.timeline import timeline
from proposals.views.staff_panel import staff_panel_context
from proposals.workflow import GROUP_ACTIONS, PROPOSAL_TRANSITIONS, ProposalAction, ProposalState

# The draft's steps, in order: slug, title.
STEPS = [
    ("sitio", gettext_lazy("Sitio")),
    ("proyecto", gettext_lazy("Proyecto")),
    ("presupuesto", gettext_lazy("Presupuesto")),
    ("cronograma", gettext_lazy("Cronograma")),
    ("anexos", gettext_lazy("Anexos")),
]
STEP_OF_PROBLEM = {"site": "sitio", "project": "proyecto", "budget": "presupuesto", "schedule": "cronograma",
                   "attachments": "anexos"}
FORM_STEPS = {"sitio": SiteForm, "proyecto": ProjectForm, "cronograma": ScheduleForm}


def _proposal_for(user, pk) -> Proposal:
    return get_object_or_404(Proposal.objects.visible_to(user).for_list(), pk=pk)


def apply_error(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@login_required
def proposal_list(request):
    proposals = Proposal.objects.visible_to(request.user).for_list().order_by("-updated_at", "-id")
    status = request.GET.get("estado", "")
    if status in ProposalState.values:
        proposals = proposals.filter(status=status)
    page = Paginator(proposals, 25).get_page(request.GET.get("page"))
    open_calls = Call.objects.open_for_registration()
    return render(request, "proposals/proposal_list.html", {
        "page": page, "status": status, "states": ProposalState.choices, "open_calls": open_calls,
    })


@login_required
def proposal_start(request, call_pk):
    call = get_object_or_404(Call.objects.visible_to(request.user), pk=call_pk)
    if not CommunityGroup.objects.of_member(request.user).exists():
        messages.info(request, _("Para proponer un proyecto primero crea tu grupo comunitario o pide que te inviten."))
        return redirect("accounts:group_create")
    form = ProposalStartForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_create(actor=request.user, call=call, **form.cleaned_data)
        except ValidationError as error:
            apply_error(form, error)
        else:
            return redirect("proposals:proposal_step", pk=proposal.pk, step=STEPS[0][0])
    return render(request, "proposals/proposal_start.html", {"form": form, "call": call})


def _step_context(proposal, step):
    index = [slug for slug, _title in STEPS].index(step) if step in dict(STEPS) else len(STEPS)
    pending = {STEP_OF_PROBLEM.get(where) for where, _message in services.proposal_submission_problems(proposal)}
    return {"proposal": proposal, "steps": STEPS, "step": step,
            "step_title": STEPS[index][1] if index < len(STEPS) else "",
            "next_step": STEPS[index + 1][0] if index + 1 < len(STEPS) else None,
            # Steps with nothing missing are marked done in the step bar.
            "done_steps": {slug for slug, _title in STEPS if slug not in pending}}


def _after_save(request, proposal, step):
    messages.success(request, _("Guardado."))
    context = _step_context(proposal, step)
    if "continue" in request.POST:
        return redirect("proposals:proposal_step", pk=proposal.pk, step=context["next_step"]) \
            if context["next_step"] else redirect("proposals:proposal_review", pk=proposal.pk)
    return redirect("proposals:proposal_step", pk=proposal.pk, step=step)


@login_required
def proposal_step(request, pk, step):
    proposal = _proposal_for(request.user, pk)
    if step not in dict(STEPS):
        raise Http404
    if not permissions.can_edit_proposal(request.user, proposal):
        messages.info(request, _("Esta propuesta ya no se puede editar."))
        return redirect("proposals:proposal_detail", pk=proposal.pk)
    if step == "presupuesto":
        return _budget_step(request, proposal)
    if step == "anexos":
        return _attachments_step(request, proposal)
    form_class = FORM_STEPS[step]
    kwargs = {"call": proposal.call, "actor": request.user} if form_class is ProjectForm else {}
    data = request.POST if request.method == "POST" else None
    form = form_class(data, instance=proposal, initial={"version": proposal.version}, **kwargs)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = {f: form.cleaned_data[f] for f in form.Meta.fields}
            try:
                proposal = services.proposal_update(actor=request.user, proposal_id=proposal.pk, data=values,
                                                    version=form.cleaned_data.get("version"))
            except ValidationError as error:
                apply_error(form, error)
            except StaleVersion as error:
                form.add_error(None, str(error))
                status = 409
            else:
                return _after_save(request, proposal, step)
        status = 409 if status == 409 else 400
    warnings = excluded_work_warnings(proposal, concepts=[]) if step == "proyecto" else []
    return render(request, "proposals/proposal_step.html", {**_step_context(proposal, step), "form": form,
                                                            "warnings": warnings}, status=status)


def _typed_rows(data) -> list[dict]:
    """The budget rows as typed, to show them again with more empty rows (without JavaScript)."""
    names = ("chapter", "concept", "unit", "quantity", "unit_price")
    try:
        total = min(int(data.get("lines-TOTAL_FORMS", 0)), bounds.MAX_BUDGET_LINES)
    except ValueError:
        total = 0
    rows = [{name: data.get(f"lines-{i}-{name}", "") for name in names} for i in range(total)]
    return [row for row in rows if any(str(v).strip() for v in row.values())]


def _budget_step(request, proposal):
    initial = [{"chapter": line.chapter, "concept": line.concept, "unit": line.unit, "quantity": line.quantity,
                "unit_price": line.unit_price} for line in proposal.budget_lines.all()]
    data = request.POST if request.method == "POST" else None
    if data is not None and "add_rows" in data:
        # Nothing is saved: the same rows as typed, and three empty ones under them.
        initial, data = _typed_rows(data), None
    formset = BudgetLineFormSet(data, initial=initial, prefix="lines")
    version_form = VersionedForm(data or None, initial={"version": proposal.version})
    status = 200
    if data is not None:
        if formset.is_valid() and version_form.is_valid():
            lines = [{k: v for k, v in f.cleaned_data.items() if k != "DELETE"} for f in formset.forms
                     if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            try:
                proposal = services.budget_lines_save(actor=request.user, proposal_id=proposal.pk, lines=lines,
                                                      version=version_form.cleaned_data.get("version"))
            except ValidationError as error:
                formset._non_form_errors = formset.error_class(error.messages)
            except StaleVersion as error:
                formset._non_form_errors = formset.error_class([str(error)])
                status = 409
            else:
                return _after_save(request, proposal, "presupuesto")
        status = 409 if status == 409 else 400
    concepts = [row.get("concept", "") for row in initial] if data is None else \
        [data.get(f"lines-{i}-concept", "") for i in range(len(formset.forms))]
    return render(request, "proposals/proposal_budget.html", {
        **_step_context(proposal, "presupuesto"), "formset": formset, "version": proposal.version,
        "rows": [(form, row_amount(form)) for form in formset.forms], "range": modality_range(proposal),
        "warnings": excluded_work_warnings(proposal, concepts=concepts),
    }, status=status)


def _attachments_step(request, proposal):
    form = AttachmentForm(request.POST or None, request.FILES or None, initial={"version": proposal.version},
                          call=proposal.call)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.attachment_add(actor=request.user, proposal_id=proposal.pk, kind=form.cleaned_data["kind"],
                                        upload=form.cleaned_data["file"], version=form.cleaned_data.get("version"))
            except ValidationError as error:
                apply_error(form, error)
            except StaleVersion as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Archivo agregado."))
                if "continue" in request.POST:
                    return redirect("proposals:proposal_review", pk=proposal.pk)
                return redirect("proposals:proposal_step", pk=proposal.pk, step="anexos")
        status = 400
    elif "continue" in request.GET:
        return redirect("proposals:proposal_review", pk=proposal.pk)
    return render(request, "proposals/proposal_attachments.html", {
        **_step_context(proposal, "anexos"), "form": form, "attachments": proposal.attachments.all(),
        "required": proposal.call.required_kind_labels(),
    }, status=status)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    proposal = _proposal_for(request.user, pk)
    get_object_or_404(Attachment, pk=attachment_pk, proposal=proposal)
    try:
        services.attachment_remove(actor=request.user, attachment_id=attachment_pk,
                                   version=request.POST.get("version") or None)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except StaleVersion as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Archivo eliminado."))
    return redirect("proposals:proposal_step", pk=proposal.pk, step="anexos")


@login_required
def attachment_download(request, pk, attachment_pk):
    proposal = _proposal_for(request.user, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, proposal=proposal)
    return download_response(attachment.file, stem=f"anexo-{attachment.pk}", content_type=attachment.content_type,
                             inline=request.GET.get("ver") == "1")


def _proposal_page(request, proposal, template, *, status=200, **extra):
    """The proposal page; `extra` replaces parts of the context, e.g. a staff form bound to what was typed."""
    problems = []
    if proposal.status in (ProposalState.DRAFT, ProposalState.RETURNED):
        problems = [(STEP_OF_PROBLEM.get(step), message)
                    for step, message in services.proposal_submission_problems(proposal)]
    actions = [(action, ProposalAction(action).label) for (state, action) in PROPOSAL_TRANSITIONS
               if state == proposal.status and action in GROUP_ACTIONS
               and permissions.can_apply(request.user, proposal, action)]
    context = {
        "proposal": proposal, "problems": problems, "actions": actions, "steps": STEPS,
        "done_steps": {slug for slug, _title in STEPS if slug not in {where for where, _message in problems}},
        "warnings": excluded_work_warnings(proposal),
        "can_edit": permissions.can_edit_proposal(request.user, proposal),
        "lines": proposal.budget_lines.all(), "attachments": proposal.attachments.all(),
        "events": timeline(request.user, proposal),
        "is_representative": permissions.is_representative_of_proposal_group(request.user, proposal),
        "assemblies": proposal.assemblies.all(),
        "group_reviews": TechnicalReview.objects.visible_to(request.user).filter(
            proposal=proposal, status=TechnicalReview.Status.SUBMITTED),
        "what_next": group_next_step(request.user, proposal, problems),
    }
    if permissions.is_programme_staff(request.user):
        context.update(staff_panel_context(request.user, proposal))
    context.update(extra)
    return render(request, template, context, status=status)


def staff_form_failed(request, proposal, **forms):
    """A staff-panel form went wrong: show the page again with that form as typed, errors by its fields."""
    return _proposal_page(request, proposal, "proposals/proposal_detail.html", status=400, **forms)


@login_required
def proposal_detail(request, pk):
    proposal = _proposal_for(request.user, pk)
    return _proposal_page(request, proposal, "proposals/proposal_detail.html", **confirmations.forms_for(proposal))


@login_required
def proposal_review(request, pk):
    proposal = _proposal_for(request.user, pk)
    if not permissions.can_edit_proposal(request.user, proposal):
        return redirect("proposals:proposal_detail", pk=proposal.pk)
    return _proposal_page(request, proposal, "proposals/proposal_review.html", **confirmations.forms_for(proposal))


@login_required
@require_POST
def proposal_action(request, pk):
    proposal = _proposal_for(request.user, pk)
    form = StaffActionForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Falta la acción."))
    action = form.cleaned_data["action"]
    irreversible = confirmations.for_action(proposal, action)
    confirmed = irreversible and confirm.is_confirmed(request, irreversible)
    if irreversible and not confirmed.is_valid():
        return confirm.confirmation_page(request, irreversible, confirmed)  # nothing changes unconfirmed
    try:
        proposal = services.proposal_transition(actor=request.user, proposal_id=proposal.pk, action=action,
                                                note=form.cleaned_data["note"],
                                                version=form.cleaned_data.get("version"),
                                                correction_deadline=form.cleaned_data.get("correction_deadline"),
                                                reason_code=form.cleaned_data.get("reason_code") or "")
    except ValidationError as error:
        if action not in GROUP_ACTIONS:
            apply_error(form, error)
            return staff_form_failed(request, proposal, staff_action_form=form)
        messages.error(request, _("No se pudo completar: %(why)s") % {"why": " ".join(error.messages)})
        target = "proposals:proposal_review" if permissions.can_edit_proposal(request.user, proposal) \
            else "proposals:proposal_detail"
        return redirect(target, pk=proposal.pk)
    except StaleVersion as error:
        messages.error(request, str(error))
        return redirect("proposals:proposal_detail", pk=proposal.pk)
    if action in (ProposalAction.SUBMIT, ProposalAction.RESUBMIT):
        return redirect(reverse("proposals:proposal_submitted", args=[proposal.pk]))
    messages.success(request, _("La propuesta ahora está «%(state)s».") % {"state": proposal.get_status_display()})
    return redirect("proposals:proposal_detail", pk=proposal.pk)


@login_required
def proposal_submitted(request, pk):
    proposal = _proposal_for(request.user, pk)
    if not proposal.folio:
        return redirect("proposals:proposal_detail", pk=proposal.pk)
    return render(request, "proposals/proposal_submitted.html", {"proposal": proposal})
