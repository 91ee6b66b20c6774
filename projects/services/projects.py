"""Creating a project from a selected proposal, and every state change of a project."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nicp.errors import TransitionNotAllowed
from nicp.workflow import Workflow, lock, transition_apply
from projects import permissions
from projects.models import Project, ProjectCodeCounter, ProjectEvent, Tranche
from projects.money import tranche_amounts
from projects.signals import project_step
from projects.workflow import (
    PROJECT_COORDINATOR_ACTIONS,
    PROJECT_NOTE_REQUIRED,
    PROJECT_SYSTEM_ACTIONS,
    PROJECT_TRANSITIONS,
    ProjectAction,
    ProjectState,
)
from proposals.models import Proposal
from proposals.models.calls import MEXICO_CITY

PROJECT_WORKFLOW = Workflow(
    transitions=PROJECT_TRANSITIONS, event_model=ProjectEvent, event_field="project",
    action_label=lambda action: ProjectAction(action).label if action in ProjectAction.values else action,
    refusal=gettext_lazy("El proyecto está «%(state)s»: no se puede «%(action)s»."))

# The plan when a call sets none: 70 % at the start of works; 30 % at 70 % progress with the first proved.
DEFAULT_PLAN = [
    {"share_percent": 70, "progress_required_percent": 0, "previous_proved_percent": 0, "documents_required": ""},
    {"share_percent": 30, "progress_required_percent": 70, "previous_proved_percent": 100, "documents_required": ""},
]


def project_rows(actor, *, system: bool = False):
    rows = Project.objects.all() if system else Project.objects.visible_to(actor)
    return rows.select_related("call", "group", "neighbourhood")


def lock_project(actor, project_id, version=None, *, system: bool = False) -> Project:
    return lock(project_rows(actor, system=system), project_id, version)


def _next_code(year: int) -> str:
    counter, _created = ProjectCodeCounter.objects.get_or_create(year=year)
    counter = ProjectCodeCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"PCMB-{year}-{counter.last_number:04d}"


def call_plan(call) -> list[dict]:
    rows = [{"share_percent": item.share_percent, "progress_required_percent": item.progress_required_percent,
             "previous_proved_percent": item.previous_proved_percent if item.previous_spending_verified else 0,
             "documents_required": item.documents_required}
            for item in call.tranche_plan.order_by("number")]
    return rows or DEFAULT_PLAN


@transaction.atomic
def project_create(*, actor, proposal: Proposal) -> Project:
    """The project of a proposal just selected (at publication or from the waitlist). Called by the
    publication and promotion services through the proposal's transition signal, never by a person."""
    if proposal.status != "selected":
        raise ValidationError(_("Solo una propuesta seleccionada se vuelve proyecto."))
    existing = Project.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    call = proposal.call
    # The Committee's figure; its selection assigns the amount requested where no review adjusted it.
    amount = proposal.assigned_amount or proposal.budget_total
    ceiling = call.modalities.filter(modality=proposal.modality).values_list("max_amount", flat=True).first()
    if not amount or amount <= 0:
        raise ValidationError(_("La propuesta %(folio)s no tiene monto asignado por el Comité.")
                              % {"folio": proposal.folio or proposal.title})
    if ceiling is not None and amount > ceiling:
        raise ValidationError(_("El monto asignado a %(folio)s (%(amount)s) supera el tope de su modalidad "
                                "(%(max)s MXN).") % {"folio": proposal.folio, "amount": f"{amount:,.2f}",
                                                     "max": f"{ceiling:,.2f}"})
    today = timezone.now().astimezone(MEXICO_CITY).date()
    project = Project.objects.create(
        code=_next_code(call.fiscal_year), proposal=proposal, call=call, group_id=proposal.group_id,
        neighbourhood_id=proposal.neighbourhood_id, title=proposal.title, approved_amount=amount,
        execution_starts_on=today, execution_ends_on=max(call.execution_deadline, today))
    plan = call_plan(call)
    amounts = tranche_amounts(amount, [row["share_percent"] for row in plan])
    Tranche.objects.bulk_create([
        Tranche(project=project, number=number, amount=value, **row)
        for number, (row, value) in enumerate(zip(plan, amounts, strict=True), start=1)])
    ProjectEvent.objects.create(project=project, actor=actor, action="create", from_state="",
                                to_state=project.status, note=proposal.folio)
    project_step.send(sender=Project, project=project, action="create", actor=actor)
    return project


def record(project: Project, actor, action: str, note: str = "") -> ProjectEvent:
    """A step on the project's timeline that is not a change of state."""
    event = ProjectEvent.objects.create(project=project, actor=actor, action=action, from_state=project.status,
                                        to_state=project.status, note=note.strip())
    project_step.send(sender=Project, project=project, action=action, actor=actor)
    return event


@transaction.atomic
def project_transition(*, actor, project_id: int, action: str, note: str = "", version=None,
                       system: bool = False) -> Project:
    """Apply one action to a project. The steps other services record (committees elected, agreement
    signed) come with `system`; the coordination's actions need their permission and, some, a note."""
    label = PROJECT_WORKFLOW.action_label(action)

    def refuse(project):
        if action in PROJECT_SYSTEM_ACTIONS and not system:
            raise TransitionNotAllowed(_("«%(action)s» se registra con su propio formulario.") % {"action": label})

    def allowed(project):
        return system or (action in PROJECT_COORDINATOR_ACTIONS and permissions.can_manage_project(actor, project))

    def guard(project):
        if action in PROJECT_NOTE_REQUIRED and not note.strip():
            raise ValidationError({"note": _("Escribe el motivo: los comités lo leerán.")})
        if action in CLOSING_STEPS:
            from projects.services.closure import closure_problems

            problems = closure_problems(project, stage=action)
            if problems:
                raise ValidationError(problems)

    def after(project, source):
        if action in (ProjectAction.SUSPEND, ProjectAction.CANCEL):
            _withhold_pending_tranches(project, actor, note)
        if action in (ProjectAction.CANCEL, ProjectAction.OPEN_ACCOUNTABILITY):
            from projects.models import Refund
            from projects.services.closure import refund_open

            refund_open(project, actor, Refund.Reason.CANCELLATION if action == ProjectAction.CANCEL
                        else Refund.Reason.CLOSURE)
        tell_project(project, ProjectState(project.status).label, note)
        project_step.send(sender=Project, project=project, action=action, actor=actor)

    return transition_apply(
        PROJECT_WORKFLOW, actor=actor, rows=project_rows(actor, system=system), pk=project_id, action=action,
        version=version, note=note, refuse=refuse, allowed=allowed,
        denied=_("No tienes permiso para «%(action)s» este proyecto.") % {"action": label}, guard=guard, after=after)


# The closing steps and what each needs (projects/services/closure.py says it item by item).
CLOSING_STEPS = frozenset({ProjectAction.COMPLETE_WORKS, ProjectAction.OPEN_ACCOUNTABILITY, ProjectAction.CLOSE})


def project_close(*, actor, project_id: int, note: str = "", version=None) -> Project:
    """Close the project: the SAT is asked once more about every invoice (in its own transaction, so what
    it says is kept even if closing is refused), then the checklist decides."""
    from projects.services.expenses import sat_recheck_project

    if Project.objects.visible_to(actor).filter(pk=project_id, status=ProjectState.ACCOUNTABILITY).exists():
        sat_recheck_project(project_id=project_id, actor=actor)
    return project_transition(actor=actor, project_id=project_id, action=ProjectAction.CLOSE, note=note,
                              version=version)


def _withhold_pending_tranches(project: Project, actor, note: str) -> None:
    """A suspended or cancelled project gets no more money: requested and approved tranches are withheld."""
    from projects.models import TrancheEvent
    from projects.workflow import TrancheAction, TrancheState

    for tranche in project.tranches.select_for_update().filter(
            status__in=[TrancheState.REQUESTED, TrancheState.APPROVED]):
        source = tranche.status
        tranche.status, tranche.version = TrancheState.WITHHELD, tranche.version + 1
        tranche.save(update_fields=["status", "version"])
        TrancheEvent.objects.create(tranche=tranche, actor=actor, action=TrancheAction.WITHHOLD, from_state=source,
                                    to_state=tranche.status, note=note.strip())


def tell_project(project: Project, state_label, note: str = "", *, subject=None) -> None:
    """A notice to the project's committees and its proposing group."""
    from notifications.messages import Message
    from notifications.services import notify

    people = {seat.user for seat in project.seats.filter(ended_at__isnull=True).select_related("user")}
    people |= {m.user for m in project.group.memberships.select_related("user")}
    subject = subject or Message(gettext_lazy("%(code)s: %(state)s"), code=project.code, state=state_label)
    body = Message(gettext_lazy("El proyecto %(code)s «%(title)s» ahora está «%(state)s»."),
                   code=project.code, title=project.title, state=state_label)
    if note.strip():
        body = body + "\n\n" + note.strip()
    notify(recipients=people, subject=subject, body=body, url=reverse("projects:detail", args=[project.pk]))
