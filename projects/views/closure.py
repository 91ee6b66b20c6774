"""The «Cierre y documentos» tab: the closing checklist item by item, the project's documents, and the forms
that close a project (handover record, accountability assembly, refund, the coordination's closing steps).
A refused form comes back on this page as typed, each error by its field; files are served only to those
who read the project."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from nicp import confirm
from nicp.errors import StaleVersion
from nicp.storage import download_response
from projects import permissions, progress, services
from projects.models import AccountabilityAssembly, Handover, Refund
from projects.services.closure import closure_problems
from projects.views import actions
from projects.views.closure_forms import AccountabilityForm, HandoverGenerateForm, HandoverUploadForm, RefundForm
from projects.views.common import apply_error, project_for
from projects.views.next_steps import _what, register_step
from projects.workflow import ProjectState

CLOSING_STATES = (ProjectState.WORKS_COMPLETED, ProjectState.ACCOUNTABILITY)


def _parts(project) -> dict:
    """The closing records, one query each (absent ones are None)."""
    return {"handover": Handover.objects.filter(project=project).first(),
            "assembly": AccountabilityAssembly.objects.filter(project=project).first(),
            "refund": Refund.objects.filter(project=project).first()}


def closure_context(request, project, *, bound=None) -> dict:
    """What the tab shows to this person, with the forms their role may use now; `bound` replaces a form by
    its key (a refused one, as typed)."""
    user, bound = request.user, bound or {}
    parts = _parts(project)
    handover, assembly, refund = parts["handover"], parts["assembly"], parts["refund"]
    completed = project.status == ProjectState.WORKS_COMPLETED
    signed = bool(handover and handover.signed_file)
    may = {
        "handover_generate": completed and not signed and permissions.can_generate_handover(user, project),
        "handover_upload": completed and handover is not None and permissions.can_upload_handover(user, project),
        "accountability": project.status == ProjectState.ACCOUNTABILITY and assembly is None
        and permissions.can_record_accountability(user, project),
        "refund": refund is not None and not refund.is_recorded and permissions.can_record_refund(user, project),
    }
    fresh = {
        # Generated again until signed: the form starts from what the last record said.
        "handover_generate": lambda: HandoverGenerateForm(initial={
            "works_delivered": handover.works_delivered, "delivered_on": handover.delivered_on} if handover else None),
        "handover_upload": HandoverUploadForm, "accountability": AccountabilityForm, "refund": RefundForm,
    }
    forms = {key: bound[key] if key in bound else (fresh[key]() if allowed else None) for key, allowed in may.items()}
    manager = permissions.can_manage_project(user, project)
    return {
        "project": project, **parts, "forms": forms, "checklist": services.closure_checklist(project),
        "agreement": getattr(project, "agreement", None), "refund_due": progress.refund_due(project),
        "step_forms": actions.forms_for(project, bound=bound.get("step"), only=actions.CLOSING_STEPS)
        if manager else [],
    }


def closure_page(request, project, *, status=200, bound=None):
    return render(request, "projects/closure/page.html", closure_context(request, project, bound=bound),
                  status=status)


@login_required
def closure(request, pk):
    return closure_page(request, project_for(request.user, pk))


def _require(allowed) -> None:
    if not allowed:
        raise PermissionDenied


def _run(request, project, key, form, write, done: str, *, needs_confirm=False):
    """Valid and written → back to the tab with a notice; otherwise the tab again with this form as typed
    and each error by its field (400, or 409 when someone changed the project first). Nothing is written."""
    status = 400
    confirmed = not needs_confirm or confirm.require_confirmation(form)
    if confirmed and form.is_valid():
        try:
            write(form.cleaned_data)
        except ValidationError as error:
            apply_error(form, error)
        except StaleVersion as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, done)
            return redirect("projects:closure", pk=project.pk)
    return closure_page(request, project, status=status, bound={key: form})


@login_required
@require_POST
def handover_generate(request, pk):
    project = project_for(request.user, pk)
    _require(permissions.can_generate_handover(request.user, project))
    form = HandoverGenerateForm(request.POST)
    return _run(request, project, "handover_generate", form, lambda data: services.handover_generate(
        actor=request.user, project_id=project.pk, works_delivered=data["works_delivered"],
        delivered_on=data["delivered_on"]),
        _("Acta de entrega-recepción generada: descárgala para que la firmen los comités."))


@login_required
@require_http_methods(["GET", "POST"])
def handover_upload(request, pk):
    """POST loads the signed record. Its path is also handover_file's «firmada», so a GET serves that file."""
    if request.method == "GET":
        return handover_file(request, pk, "firmada")
    project = project_for(request.user, pk)
    _require(permissions.can_upload_handover(request.user, project))
    form = HandoverUploadForm(request.POST, request.FILES)
    return _run(request, project, "handover_upload", form, lambda data: services.handover_upload_signed(
        actor=request.user, project_id=project.pk, upload=data["signed_file"]),
        _("Acta firmada cargada. La coordinación puede pasar el proyecto a rendición de cuentas."))


@login_required
@require_POST
def accountability_record(request, pk):
    project = project_for(request.user, pk)
    _require(permissions.can_record_accountability(request.user, project))
    form = AccountabilityForm(request.POST, request.FILES)
    return _run(request, project, "accountability", form, lambda data: services.accountability_record(
        actor=request.user, project_id=project.pk, held_on=data["held_on"], attendance=data["attendance"],
        reported=data["reported"], minutes=data["minutes_file"]),
        _("Asamblea de rendición de cuentas registrada."))


@login_required
@require_POST
def refund_record(request, pk):
    project = project_for(request.user, pk)
    _require(permissions.can_record_refund(request.user, project))
    form = RefundForm(request.POST)
    return _run(request, project, "refund", form, lambda data: services.refund_record(
        actor=request.user, project_id=project.pk, transfer_reference=data["transfer_reference"],
        transfer_date=data["transfer_date"]), _("Reintegro registrado."), needs_confirm=True)


HANDOVER_FILES = {"generada": ("generated_file", "acta-entrega"), "firmada": ("signed_file", "acta-entrega-firmada")}


@login_required
def handover_file(request, pk, which):
    project = project_for(request.user, pk)
    if which not in HANDOVER_FILES:
        raise Http404
    field, stem = HANDOVER_FILES[which]
    handover = Handover.objects.filter(project=project).first()
    stored = handover and getattr(handover, field)
    if not stored:
        raise Http404
    return download_response(stored, stem=f"{stem}-{project.code}", content_type="application/pdf",
                             inline=request.GET.get("ver") == "1")


@login_required
def accountability_minutes(request, pk):
    project = project_for(request.user, pk)
    assembly = AccountabilityAssembly.objects.filter(project=project).first()
    if assembly is None or not assembly.minutes_file:
        raise Http404
    return download_response(assembly.minutes_file, stem=f"acta-rendicion-{project.code}",
                             content_type="application/pdf", inline=request.GET.get("ver") == "1")


# --- «Qué sigue» (priority 10: closing comes before everything else) ------------------------------------

def _coordinator_closing(project):
    tab = reverse("projects:closure", args=[project.pk])
    if project.status == ProjectState.IN_EXECUTION:
        if project.physical_progress >= 100:
            return _what(_("Las obras van al 100 %: declara las obras concluidas."), (_("Ir al cierre"), tab))
        return None
    if project.status == ProjectState.WORKS_COMPLETED:
        if not Handover.objects.filter(project=project).exists():
            return _what(_("Las obras están concluidas: genera el acta de entrega-recepción."),
                         (_("Generar el acta"), tab))
        stage, heading, ready = ("open_accountability", _("Antes de pasar a rendición de cuentas falta:"),
                                 _("Todo está listo: pasa el proyecto a rendición de cuentas."))
    elif project.status == ProjectState.ACCOUNTABILITY:
        stage, heading, ready = ("close", _("Antes de cerrar el proyecto falta:"),
                                 _("La lista de cierre está completa: cierra el proyecto."))
    else:
        return None
    problems = closure_problems(project, stage=stage)
    if problems:
        return _what(heading, (_("Ver la lista de cierre"), tab), steps=[(problem, None) for problem in problems])
    return _what(ready, (_("Ir al cierre"), tab))


def _committee_closing(project, parts):
    tab = reverse("projects:closure", args=[project.pk])
    handover = parts["handover"]
    if project.status == ProjectState.WORKS_COMPLETED and handover is not None and not handover.signed_file:
        return _what(_("Imprime el acta de entrega-recepción, fírmenla los comités y carga el PDF firmado."),
                     (_("Cargar el acta firmada"), tab))
    if project.status == ProjectState.ACCOUNTABILITY and parts["assembly"] is None:
        return _what(_("Celebra la asamblea de rendición de cuentas y regístrala con su acta."),
                     (_("Registrar la asamblea"), tab))
    return None


def closing_step(user, project, seat):
    if project.status not in (ProjectState.IN_EXECUTION, *CLOSING_STATES, ProjectState.CANCELLED):
        return None
    if seat is not None:
        if seat.committee != "administration" or project.status not in CLOSING_STATES:
            return None
        return _committee_closing(project, _parts(project))
    if permissions.can_manage_project(user, project):
        if project.status == ProjectState.CANCELLED:
            return None
        return _coordinator_closing(project)
    if permissions.can_record_refund(user, project):
        refund = Refund.objects.filter(project=project, recorded_at__isnull=True).first()
        if refund is not None:
            return _what(_("Registra el reintegro de $%(amount)s MXN con la referencia de la transferencia.")
                         % {"amount": f"{progress.refund_due(project):,.2f}"},
                         (_("Registrar el reintegro"), reverse("projects:closure", args=[project.pk])))
    return None


register_step(10, closing_step)

urlpatterns = [
    path("<int:pk>/cierre/", closure, name="closure"),
    path("<int:pk>/cierre/acta/generar/", handover_generate, name="handover_generate"),
    path("<int:pk>/cierre/acta/firmada/", handover_upload, name="handover_upload"),
    path("<int:pk>/cierre/acta/<str:which>/", handover_file, name="handover_file"),
    path("<int:pk>/cierre/asamblea/", accountability_record, name="accountability_record"),
    path("<int:pk>/cierre/asamblea/acta/", accountability_minutes, name="accountability_minutes"),
    path("<int:pk>/cierre/reintegro/", refund_record, name="refund_record"),
]
