"""Writes to proposals: drafting, budget, and every workflow action (one service applies them all)."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import CommunityGroup
from accounts.permissions import is_group_member
from nicp import bounds
from nicp.errors import TransitionNotAllowed
from nicp.readonly import require_may_write
from nicp.relations import NOT_FOUND
from nicp.workflow import Workflow, lock, transition_apply
from proposals import permissions
from proposals.models import BudgetLine, Call, FolioCounter, IneligibilityReason, Modality, Proposal, ProposalEvent
from proposals.models.calls import MEXICO_CITY
from proposals.signals import proposal_transitioned
from proposals.workflow import (
    NOTE_REQUIRED,
    ORDER_DEPENDENT,
    PROPOSAL_TRANSITIONS,
    SYSTEM_ACTIONS,
    ProposalAction,
    ProposalState,
)

EDITABLE_FIELDS = [
    "title", "neighbourhood", "address", "latitude", "longitude", "project_type", "modality", "continuation_of",
    "diagnosis", "objectives", "description", "population_benefited", "schedule",
]


def require_editable(actor, proposal: Proposal) -> None:
    if not permissions.is_member_of_proposal_group(actor, proposal):
        raise PermissionDenied(_("Solo las personas integrantes del grupo editan su propuesta."))
    if not permissions.proposal_is_editable(actor, proposal):
        raise ValidationError(_("La propuesta ya fue enviada: solo se puede leer, salvo que la coordinación la "
                                "devuelva para correcciones."))


def lock_proposal(actor, proposal_id: int, version: int | None, *, system: bool = False) -> Proposal:
    """Lock the row, read through visible_to so missing and forbidden look the same, check the version.
    A system step (an outcome another service recorded and authorised) reads the row directly."""
    return lock(_rows(actor, system), proposal_id, version)


def _rows(actor, system: bool):
    rows = Proposal.objects.all() if system else Proposal.objects.visible_to(actor)
    return rows.select_related("call", "group")


@transaction.atomic
def proposal_create(*, actor, call: Call, group: CommunityGroup, title: str) -> Proposal:
    require_may_write(actor)
    if not is_group_member(actor, group):
        raise PermissionDenied(_("Solo puedes crear propuestas para grupos de los que formas parte."))
    if not call.registration_open():
        raise ValidationError(_("El registro de la convocatoria %(call)s no está abierto.") % {"call": call.title})
    proposal = Proposal(call=call, group=group, title=title.strip(), created_by=actor,
                        neighbourhood=group.neighbourhood, modality=Modality.NEW)
    proposal.full_clean(exclude=["folio"])
    proposal.save()
    ProposalEvent.objects.create(proposal=proposal, actor=actor, action="create", from_state="",
                                 to_state=ProposalState.DRAFT)
    return proposal


@transaction.atomic
def proposal_update(*, actor, proposal_id: int, data: dict, version: int | None = None) -> Proposal:
    """Save a step of the draft. Only the given fields change; the rest of what was entered stays."""
    require_may_write(actor)
    proposal = lock_proposal(actor, proposal_id, version)
    require_editable(actor, proposal)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(_("Campos que no se pueden editar: %(f)s") % {"f": ", ".join(sorted(unknown))})
    continued = data.get("continuation_of")
    if continued is not None and not Proposal.objects.continuable_by(actor, proposal).filter(
            pk=getattr(continued, "pk", continued)).exists():
        raise ValidationError({"continuation_of": NOT_FOUND})  # the same answer for missing and not theirs
    for field, value in data.items():
        setattr(proposal, field, value)
    if proposal.modality != Modality.CONTINUATION:
        proposal.continuation_of = None
    proposal.full_clean(exclude=["folio"])
    proposal.version += 1
    proposal.save()
    return proposal


@transaction.atomic
def budget_lines_save(*, actor, proposal_id: int, lines: list[dict], version: int | None = None) -> Proposal:
    """Replace the itemised budget; the proposal's total is the sum of its lines, always."""
    require_may_write(actor)
    if len(lines) > bounds.MAX_BUDGET_LINES:
        raise ValidationError({"budget_lines": _("El presupuesto admite como máximo %(n)d conceptos.")
                               % {"n": bounds.MAX_BUDGET_LINES}})
    proposal = lock_proposal(actor, proposal_id, version)
    require_editable(actor, proposal)
    objects = [BudgetLine(proposal=proposal, position=position, **line) for position, line in enumerate(lines)]
    proposal.budget_total = budget_total_checked(objects)
    proposal.budget_lines.all().delete()
    BudgetLine.objects.bulk_create(objects)
    proposal.version += 1
    proposal.save(update_fields=["budget_total", "version", "updated_at"])
    return proposal


def budget_total_checked(lines: list[BudgetLine]) -> Decimal:
    """Validate each line and the sum against the programme's bounds before anything is written:
    an amount beyond its column would be stored on SQLite and break every later read of the proposal."""
    errors = []
    for number, line in enumerate(lines, start=1):
        try:
            line.full_clean(exclude=["proposal"])
        except ValidationError as error:
            errors += [_("Concepto %(n)d: %(why)s") % {"n": number, "why": message} for message in error.messages]
            continue
        if line.amount > bounds.LINE_AMOUNT_MAX:
            errors.append(_("Concepto %(n)d: el importe (cantidad × precio) no puede superar %(max)s MXN.")
                          % {"n": number, "max": f"{bounds.LINE_AMOUNT_MAX:,.2f}"})
    if errors:
        raise ValidationError({"budget_lines": errors})
    total = sum((line.amount for line in lines), Decimal("0"))
    if total > bounds.PROPOSAL_AMOUNT_MAX:
        raise ValidationError({"budget_lines": _("El total del presupuesto no puede superar %(max)s MXN.")
                               % {"max": f"{bounds.PROPOSAL_AMOUNT_MAX:,.2f}"}})
    return total


def proposal_submission_problems(proposal: Proposal, *, now=None) -> list[tuple[str, str]]:
    """What still stops this proposal from being submitted: (step, message) pairs, in form order."""
    problems: list[tuple[str, str]] = []
    call = proposal.call

    def missing(step, label):
        problems.append((step, _("Falta: %(what)s.") % {"what": label}))

    if not call.registration_open(now):
        closed_on = date_format(call.registration_closes_on, "DATE_FORMAT")
        problems.append(("call", _("El registro de la convocatoria está cerrado (cerró el %(date)s a las 23:59, "
                                   "hora de la Ciudad de México).") % {"date": closed_on}))
    if not proposal.neighbourhood_id:
        missing("site", _("la unidad territorial"))
    if not proposal.address.strip():
        missing("site", _("la dirección o ubicación del sitio"))
    for field, label in [("project_type", _("el tipo de proyecto")), ("modality", _("la modalidad")),
                         ("diagnosis", _("el diagnóstico")), ("objectives", _("los objetivos")),
                         ("description", _("la descripción"))]:
        if not str(getattr(proposal, field) or "").strip():
            missing("project", label)
    if not proposal.population_benefited:
        missing("project", _("la población beneficiada"))
    if proposal.project_type and proposal.project_type not in call.eligible_project_types:
        problems.append(("project", _("El tipo de proyecto «%(type)s» no es elegible en esta convocatoria.")
                         % {"type": proposal.get_project_type_display()}))
    if proposal.modality == Modality.CONTINUATION and not proposal.continuation_of_id:
        missing("project", _("el proyecto anterior que se continúa"))
    if not proposal.schedule.strip():
        missing("schedule", _("el cronograma"))
    lines = list(proposal.budget_lines.all())
    total = sum((line.amount for line in lines), Decimal("0"))
    if not lines:
        missing("budget", _("el presupuesto desglosado"))
    elif total != proposal.budget_total:
        problems.append(("budget", _("El total del presupuesto no coincide con la suma de sus conceptos.")))
    modality = call.modalities.filter(modality=proposal.modality).first() if proposal.modality else None
    if proposal.modality and modality is None:
        problems.append(("project", _("Esta convocatoria no tiene la modalidad elegida.")))
    elif modality and lines and not (modality.min_amount <= total <= modality.max_amount):
        problems.append(("budget", _("El monto solicitado (%(total)s) debe estar entre %(min)s y %(max)s MXN.")
                         % {"total": f"{total:,.2f}", "min": f"{modality.min_amount:,.2f}",
                            "max": f"{modality.max_amount:,.2f}"}))
    present = set(proposal.attachments.values_list("kind", flat=True))
    from proposals.models import AttachmentKind

    for kind in call.required_attachment_kinds:
        if kind not in present and kind in AttachmentKind.values:
            missing("attachments", AttachmentKind(kind).label.lower())
    return problems


def _next_folio(call: Call) -> str:
    counter, _created = FolioCounter.objects.get_or_create(call=call)
    counter = FolioCounter.objects.select_for_update().get(pk=counter.pk)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return f"MB-{call.fiscal_year}-{counter.last_number:05d}"


PROPOSAL_WORKFLOW = Workflow(
    transitions=PROPOSAL_TRANSITIONS, event_model=ProposalEvent, event_field="proposal",
    action_label=lambda action: ProposalAction(action).label if action in ProposalAction.values else action,
    refusal=gettext_lazy("La propuesta está «%(state)s»: no se puede «%(action)s»."))


@transaction.atomic
def proposal_transition(*, actor, proposal_id: int, action: str, note: str = "", version: int | None = None,
                        correction_deadline=None, reason_code: str = "", system: bool = False,
                        now=None) -> Proposal:
    """Apply one workflow action through the kernel's engine: lock, version, table, permission, guards,
    write, event, then the group's notice and the signal higher apps listen to.

    `system` is set by the services that record an outcome (assembly minutes, technical reviews,
    the Committee's selection): those actions are never applied bare through the transitions endpoint.
    """
    action_label = PROPOSAL_WORKFLOW.action_label(action)

    def refuse(proposal):
        if action in SYSTEM_ACTIONS and not system:
            raise TransitionNotAllowed(_("«%(action)s» se registra con su propio formulario (asamblea, dictamen o "
                                         "sesión del Comité).") % {"action": action_label})
        order = ORDER_DEPENDENT.get((proposal.status, action))
        if order is not None and order != proposal.call.assembly_before_review:
            raise TransitionNotAllowed(
                _("En esta convocatoria la asamblea va antes del dictamen técnico.")
                if proposal.call.assembly_before_review
                else _("En esta convocatoria el dictamen técnico va antes de la asamblea."))

    def guard(proposal):
        if action in NOTE_REQUIRED and not note.strip():
            raise ValidationError({"note": _("Escribe el motivo: el grupo lo leerá.")})
        _guard(proposal, action, now=now or timezone.now(), correction_deadline=correction_deadline,
               reason_code=reason_code)

    def after(proposal, source):
        tell_group(proposal, action_label, note)
        proposal_transitioned.send(sender=Proposal, proposal=proposal, action=action, source=source, actor=actor)

    return transition_apply(
        PROPOSAL_WORKFLOW, actor=actor, rows=_rows(actor, system), pk=proposal_id, action=action, version=version,
        note=note, refuse=refuse, allowed=None if system else (lambda p: permissions.can_apply(actor, p, action)),
        denied=_("No tienes permiso para «%(action)s» esta propuesta.") % {"action": action_label},
        guard=guard, after=after)


def _guard(proposal: Proposal, action: str, *, now, correction_deadline, reason_code: str) -> None:
    """The conditions of each action beyond the table; each failure says what is missing."""
    today = now.astimezone(MEXICO_CITY).date()
    if action == ProposalAction.SUBMIT:
        problems = proposal_submission_problems(proposal, now=now)
        if problems:
            raise ValidationError([message for _step, message in problems])
        proposal.submitted_at = now
        proposal.folio = proposal.folio or _next_folio(proposal.call)
    elif action == ProposalAction.RESUBMIT:
        if proposal.correction_deadline and today > proposal.correction_deadline:
            raise ValidationError(_("El plazo para corregir venció el %(date)s; la coordinación decidirá.")
                                  % {"date": date_format(proposal.correction_deadline, "DATE_FORMAT")})
        problems = [p for p in proposal_submission_problems(proposal, now=now) if p[0] != "call"]
        if problems:
            raise ValidationError([message for _step, message in problems])
        proposal.submitted_at = now
    elif action == ProposalAction.RETURN:
        if correction_deadline is None or correction_deadline < today:
            raise ValidationError({"correction_deadline": _("Indica una fecha límite para corregir, de hoy en "
                                                            "adelante.")})
        proposal.correction_deadline = correction_deadline
    elif action == ProposalAction.REJECT_INELIGIBLE:
        if reason_code not in IneligibilityReason.values:
            raise ValidationError({"reason_code": _("Elige el motivo de la lista.")})
        proposal.ineligibility_reason = reason_code


def tell_group(proposal: Proposal, action_label: str, note: str) -> None:
    from notifications.messages import Message
    from notifications.services import notify

    members = [m.user for m in proposal.group.memberships.select_related("user")]
    # The subject becomes an e-mail subject: the system's folio and state only, never the group's own title.
    state = ProposalState(proposal.status).label
    subject = (Message(gettext_lazy("%(folio)s: %(state)s"), folio=proposal.folio, state=state) if proposal.folio
               else Message(gettext_lazy("Tu propuesta: %(state)s"), state=state))
    body = Message(gettext_lazy("La propuesta «%(title)s» del grupo %(group)s ahora está «%(state)s»."),
                   title=proposal.title, group=proposal.group.name, state=state)
    if proposal.status == ProposalState.SUBMITTED and proposal.folio:
        body = body + "\n" + Message(gettext_lazy(
            "Folio: %(folio)s. Guarda este número: identifica tu propuesta en todo el proceso."), folio=proposal.folio)
    if note.strip():
        body = body + "\n\n" + note.strip()
    notify(recipients=members, subject=subject, body=body,
           url=reverse("proposals:proposal_detail", args=[proposal.pk]))

