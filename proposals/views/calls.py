from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nicp.errors import StaleVersion
from nicp.storage import content_type_of, download_response
from proposals import permissions, services
from proposals.forms import CallDocumentForm, CallForm, ModalityFormSet, RubricFormSet, TrancheFormSet
from proposals.models import Call, CallDocument
from proposals.workflow import CALL_TRANSITIONS, CallAction


def _formset_rows(formset) -> list[dict]:
    return [f.cleaned_data for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
            and {k: v for k, v in f.cleaned_data.items() if k != "DELETE"}]


def _strip_delete(rows):
    return [{k: v for k, v in row.items() if k != "DELETE"} for row in rows]


def call_list(request):
    calls = Call.objects.visible_to(request.user).prefetch_related("modalities")
    return render(request, "proposals/call_list.html", {
        "calls": calls, "can_manage": permissions.can_manage_calls(request.user)})


def call_detail(request, pk):
    call = get_object_or_404(Call.objects.visible_to(request.user).prefetch_related(
        "modalities", "tranche_plan", "rubric", "documents", "changes"), pk=pk)
    can_manage = permissions.can_manage_calls(request.user)
    actions = [(a, CallAction(a).label) for (state, a) in CALL_TRANSITIONS if state == call.status]
    return render(request, "proposals/call_detail.html", {
        "call": call, "can_manage": can_manage, "actions": actions if can_manage else [],
        "document_form": CallDocumentForm() if can_manage else None,
    })


@login_required
def call_edit(request, pk=None):
    if not permissions.can_manage_calls(request.user):
        raise PermissionDenied
    call = get_object_or_404(Call, pk=pk) if pk else None
    initial_rows = {}
    if call:
        initial_rows = {
            "mod": list(call.modalities.values("modality", "min_amount", "max_amount")),
            "tr": list(call.tranche_plan.values("number", "share_percent", "progress_required_percent",
                                                "previous_spending_verified", "previous_proved_percent",
                                                "documents_required")),
            "ru": list(call.rubric.values("name", "weight", "computed")),
        }
    data = request.POST if request.method == "POST" else None
    form = CallForm(data, instance=call, initial={"version": call.version if call else None})
    formsets = {
        "mod": ModalityFormSet(data, prefix="mod", initial=initial_rows.get("mod")),
        "tr": TrancheFormSet(data, prefix="tr", initial=initial_rows.get("tr")),
        "ru": RubricFormSet(data, prefix="ru", initial=initial_rows.get("ru")),
    }
    status = 200
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        try:
            saved = services.call_save(
                actor=request.user, call=form.save(commit=False),
                modalities=_strip_delete(_formset_rows(formsets["mod"])),
                tranches=_strip_delete(_formset_rows(formsets["tr"])),
                rubric=_strip_delete(_formset_rows(formsets["ru"])),
                reason=form.cleaned_data.get("reason", ""), version=form.cleaned_data.get("version"),
            )
        except ValidationError as error:
            _place_errors(error, form, formsets)
            status = 400
        except StaleVersion as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, _("Convocatoria guardada."))
            return redirect("proposals:call_detail", pk=saved.pk)
    elif request.method == "POST":
        status = 400
    return render(request, "proposals/call_form.html", {"form": form, "formsets": formsets, "call": call},
                  status=status)


# The service keys a rule over a section's rows by the section; the page shows it above those rows.
SECTION_FORMSETS = {"modalities": "mod", "tranches": "tr", "rubric": "ru"}
SECTION_TITLES = {"modalities": gettext_lazy("Modalidades y montos"),
                  "tranches": gettext_lazy("Plan de ministraciones"),
                  "rubric": gettext_lazy("Criterios de evaluación (rúbrica)")}


def _place_errors(error: ValidationError, form, formsets) -> None:
    """Each error next to what it is about: a field, a section of rows, or (otherwise) the form's top,
    which also says which sections to look at, since they sit far down a long page."""
    items = error.message_dict.items() if hasattr(error, "error_dict") else [("__all__", error.messages)]
    sections = []
    for key, errors in items:
        if key in SECTION_FORMSETS:
            formsets[SECTION_FORMSETS[key]].non_form_errors().extend(errors)
            sections.append(SECTION_TITLES[key])
        else:
            form.add_error(key if key in form.fields else None, errors)
    if sections:
        form.add_error(None, _("Revisa estas secciones, más abajo: %(sections)s.")
                       % {"sections": ", ".join(str(s) for s in sections)})


@login_required
@require_POST
def call_action(request, pk):
    call = get_object_or_404(Call.objects.visible_to(request.user), pk=pk)
    try:
        services.call_transition(actor=request.user, call_id=call.pk, action=request.POST.get("action", ""),
                                 note=request.POST.get("note", ""), version=request.POST.get("version") or None)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except StaleVersion as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Listo."))
    return redirect("proposals:call_detail", pk=call.pk)


@login_required
@require_POST
def call_document_upload(request, pk):
    call = get_object_or_404(Call.objects.visible_to(request.user), pk=pk)
    if not permissions.can_manage_calls(request.user):
        raise PermissionDenied
    form = CallDocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.call_document_add(actor=request.user, call=call, title=form.cleaned_data["title"],
                                       upload=form.cleaned_data["file"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Documento agregado."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("proposals:call_detail", pk=call.pk)


def call_document(request, pk):
    document = get_object_or_404(CallDocument, pk=pk, call__in=Call.objects.visible_to(request.user))
    return download_response(document.file, stem=f"convocatoria-{document.call_id}-documento-{document.pk}",
                             content_type=content_type_of(document.file.name), inline=True)
