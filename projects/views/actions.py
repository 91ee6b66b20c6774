"""The coordination's actions on a project (suspend, resume, complete works, cancel…): each with a note,
the confirmation checkbox and the version the page was loaded with."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from nicp import confirm
from nicp.errors import StaleVersion
from projects import permissions, services
from projects.forms import ProjectActionForm
from projects.models import Refund
from projects.views.common import apply_error, project_for
from projects.workflow import PROJECT_COORDINATOR_ACTIONS, PROJECT_TRANSITIONS, ProjectAction, ProjectState

# What the checkbox says will happen, per action; cancelling is the one that destroys.
CONSEQUENCES = {
    ProjectAction.SUSPEND: gettext_lazy("Entiendo que el proyecto se suspende: no se entrega dinero hasta "
                                        "reanudarlo, y los comités reciben el motivo."),
    ProjectAction.RESUME: gettext_lazy("Entiendo que el proyecto vuelve a ejecución y los comités reciben la nota."),
    ProjectAction.COMPLETE_WORKS: gettext_lazy("Entiendo que las obras quedan declaradas concluidas y que no se "
                                               "puede deshacer."),
    ProjectAction.OPEN_ACCOUNTABILITY: gettext_lazy("Entiendo que el proyecto pasa a rendición de cuentas y que no "
                                                    "se puede deshacer."),
    ProjectAction.CLOSE: gettext_lazy("Entiendo que el proyecto se cierra y que no se puede deshacer."),
    ProjectAction.CANCEL: gettext_lazy("Entiendo que el proyecto se cancela para siempre: no recibirá más dinero "
                                       "y no se puede deshacer."),
}


def action_form(action: str, data=None, *, version=None) -> ProjectActionForm:
    form = ProjectActionForm(data, prefix=action, initial={"version": version})
    form.fields[confirm.FIELD] = confirm.confirm_field(CONSEQUENCES[action])
    return form


# The steps that close a project; the closure tab offers them with its checklist.
CLOSING_STEPS = (ProjectAction.COMPLETE_WORKS, ProjectAction.OPEN_ACCOUNTABILITY, ProjectAction.CLOSE)


def forms_for(project, *, bound=None, only=PROJECT_COORDINATOR_ACTIONS) -> list[tuple[str, str, ProjectActionForm]]:
    """One form per action the table allows from the project's state (of those in `only`); `bound`
    replaces one as typed."""
    rows = []
    for (state, action) in PROJECT_TRANSITIONS:
        if state == project.status and action in PROJECT_COORDINATOR_ACTIONS and action in only:
            form = bound if bound is not None and bound.prefix == action else action_form(
                action, version=project.version)
            rows.append((action, ProjectAction(action).label, form))
    return rows


def _apply(user, project, action, data):
    """Closing goes through project_close, which asks the SAT about every invoice before the checklist."""
    apply = services.project_close if action == ProjectAction.CLOSE else partial(
        services.project_transition, action=action)
    return apply(actor=user, project_id=project.pk, note=data["note"], version=data.get("version"))


def _done(project) -> str:
    done = _("El proyecto ahora está «%(state)s».") % {"state": project.get_status_display()}
    refund = Refund.objects.filter(project=project, recorded_at__isnull=True).first()
    if project.status == ProjectState.CANCELLED and refund is not None:
        done += " " + _("Se abrió un reintegro de $%(amount)s MXN (ministrado − comprobado): Finanzas lo "
                        "registrará.") % {"amount": f"{refund.amount:,.2f}"}
    return done


@login_required
@require_POST
def project_action(request, pk):
    from projects.views.closure import closure_page
    from projects.views.pages import project_page

    project = project_for(request.user, pk)
    # A closing step sent from the closure tab comes back there (refused: with the checklist's problems).
    from_closure = request.POST.get("from") == "closure"
    action = request.POST.get("action", "")
    if not permissions.can_manage_project(request.user, project):
        raise PermissionDenied(_("Solo la coordinación del programa cambia el estado de un proyecto."))
    if action not in PROJECT_COORDINATOR_ACTIONS:
        return HttpResponseBadRequest(_("Falta la acción o no existe."))
    form = action_form(action, request.POST)
    status = 400
    if confirm.require_confirmation(form):
        try:
            project = _apply(request.user, project, action, form.cleaned_data)
        except ValidationError as error:
            apply_error(form, error)
        except StaleVersion as error:
            form.add_error(None, str(error))
            status = 409
        else:
            messages.success(request, _done(project))
            return redirect("projects:closure" if from_closure else "projects:detail", pk=project.pk)
    project.refresh_from_db()
    shown = forms_for(project, bound=form, only=CLOSING_STEPS if from_closure else PROJECT_COORDINATOR_ACTIONS)
    if all(code != action for code, _label, _form in shown):
        # The state no longer offers this action (another tab changed it): say why at the top.
        messages.error(request, " ".join(form.non_field_errors()) or _("Esta acción ya no está disponible."))
    if from_closure:
        return closure_page(request, project, status=status, bound={"step": form})
    return project_page(request, project, status=status, action_forms=shown)
