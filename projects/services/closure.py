"""Closing a project: the handover record, the accountability assembly, the refund, and the checklist
that says item by item what is still missing before `closed`."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nicp import bounds
from nicp.readonly import require_may_write
from projects import permissions, progress
from projects.handover import handover_pdf
from projects.models import AccountabilityAssembly, Handover, Project, Refund
from projects.services.expenses import cancelled_invoices
from projects.services.money import _pdf
from projects.services.projects import lock_project, record, tell_project
from projects.workflow import EXPENSE_OPEN_STATES, ProjectState
from proposals.models.calls import MEXICO_CITY


def _today() -> date:
    return timezone.now().astimezone(MEXICO_CITY).date()


@transaction.atomic
def handover_generate(*, actor, project_id: int, works_delivered: str, delivered_on) -> Handover:
    """Print the handover record once the works are done; printed again until its signed copy is in."""
    require_may_write(actor)
    project = lock_project(actor, project_id)
    if not permissions.can_generate_handover(actor, project):
        raise PermissionDenied(_("Solo la coordinación genera el acta de entrega-recepción."))
    if project.status != ProjectState.WORKS_COMPLETED:
        raise ValidationError(_("El acta se genera cuando las obras están concluidas."))
    handover = Handover.objects.filter(project=project).first() or Handover(project=project)
    if handover.signed_file:
        raise ValidationError(_("El acta firmada ya se cargó: ya no se genera de nuevo."))
    errors = {}
    works_delivered = (works_delivered or "").strip()
    if not works_delivered or len(works_delivered) > bounds.TEXT_MAX:
        errors["works_delivered"] = _("Describe las obras que se entregan.")
    if delivered_on is None or delivered_on > _today() or delivered_on < project.execution_starts_on:
        errors["delivered_on"] = _("La fecha de entrega va entre el inicio de la ejecución y hoy.")
    if errors:
        raise ValidationError(errors)
    handover.works_delivered, handover.delivered_on = works_delivered, delivered_on
    handover.generated_by, handover.generated_at = actor, timezone.now()
    handover.generated_file.save(f"acta-entrega-{project.code}.pdf",
                                 handover_pdf(project, works_delivered=works_delivered, delivered_on=delivered_on),
                                 save=False)
    handover.save()
    record(project, actor, "handover_generated")
    return handover


@transaction.atomic
def handover_upload_signed(*, actor, project_id: int, upload) -> Handover:
    require_may_write(actor)
    project = lock_project(actor, project_id)
    if not permissions.can_upload_handover(actor, project):
        raise PermissionDenied(_("El acta firmada la carga el comité de Administración o la coordinación."))
    handover = Handover.objects.filter(project=project).first()
    if handover is None or project.status != ProjectState.WORKS_COMPLETED:
        raise ValidationError(_("Primero se genera el acta de entrega-recepción, con las obras concluidas."))
    clean = _pdf(upload, "signed_file", _("El acta firmada va en PDF (escanéala como PDF)."))
    handover.signed_file.save(f"acta-entrega-firmada-{project.code}.pdf", clean.content, save=False)
    handover.signed_uploaded_by, handover.signed_uploaded_at = actor, timezone.now()
    handover.save()
    record(project, actor, "handover_uploaded")
    return handover


@transaction.atomic
def accountability_record(*, actor, project_id: int, held_on, attendance, reported: str,
                          minutes) -> AccountabilityAssembly:
    """The final assembly: when, how many came, what the committees reported, and its minutes."""
    require_may_write(actor)
    project = lock_project(actor, project_id)
    if not permissions.can_record_accountability(actor, project):
        raise PermissionDenied(_("La asamblea de rendición de cuentas la registra el comité de Administración o la "
                                 "coordinación."))
    if project.status != ProjectState.ACCOUNTABILITY:
        raise ValidationError(_("La asamblea de rendición de cuentas se registra con el proyecto en rendición de "
                                "cuentas."))
    if AccountabilityAssembly.objects.filter(project=project).exists():
        raise ValidationError(_("La asamblea de rendición de cuentas ya se registró."))
    errors = {}
    if held_on is None or held_on > _today() or held_on < project.execution_starts_on:
        errors["held_on"] = _("La fecha de la asamblea va entre el inicio de la ejecución y hoy.")
    try:
        attendance = int(attendance)
    except (TypeError, ValueError):
        attendance = 0
    if not 1 <= attendance <= bounds.PEOPLE_MAX:
        errors["attendance"] = _("Escribe cuántas personas asistieron (al menos una).")
    reported = (reported or "").strip()
    if not reported or len(reported) > bounds.TEXT_MAX:
        errors["reported"] = _("Resume lo que se informó a la asamblea.")
    try:
        clean = _pdf(minutes, "minutes_file", _("El acta de la asamblea va en PDF."))
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    assembly = AccountabilityAssembly(project=project, held_on=held_on, attendance=attendance, reported=reported,
                                      recorded_by=actor)
    assembly.minutes_file.save(f"acta-rendicion-{project.code}.pdf", clean.content, save=False)
    assembly.save()
    record(project, actor, "accountability_recorded",
           _("%(n)d personas asistentes.") % {"n": attendance})
    return assembly


def refund_open(project: Project, actor, reason: str) -> Refund | None:
    """Open the refund of released − verified (called under the project's lock by the transitions that
    need it). Nothing to give back opens nothing."""
    amount = progress.refund_due(project)
    refund = Refund.objects.filter(project=project).first()
    if refund is not None:
        if not refund.is_recorded:
            refund.amount, refund.reason = amount, reason
            refund.save(update_fields=["amount", "reason"])
        return refund
    if amount <= 0:
        return None
    refund = Refund.objects.create(project=project, reason=reason, amount=amount)
    record(project, actor, "refund_opened", f"${amount:,.2f} MXN")
    tell_project(project, _("Reintegro"), _("Deben reintegrar %(amount)s MXN: lo ministrado que no se comprobó.")
                 % {"amount": f"${amount:,.2f}"},
                 subject=_("%(code)s: reintegro por %(amount)s MXN") % {"code": project.code,
                                                                      "amount": f"${amount:,.2f}"})
    return refund


@transaction.atomic
def refund_record(*, actor, project_id: int, transfer_reference: str, transfer_date) -> Refund:
    """Finance records the transfer that gave the money back."""
    require_may_write(actor)
    project = lock_project(actor, project_id)
    if not permissions.can_record_refund(actor, project):
        raise PermissionDenied(_("Solo Finanzas registra el reintegro."))
    refund = Refund.objects.select_for_update().filter(project=project).first()
    if refund is None:
        raise ValidationError(_("Este proyecto no tiene un reintegro abierto."))
    if refund.is_recorded:
        raise ValidationError(_("El reintegro ya se registró."))
    errors = {}
    if not (transfer_reference or "").strip():
        errors["transfer_reference"] = _("Escribe la referencia de la transferencia.")
    if transfer_date is None or transfer_date > _today():
        errors["transfer_date"] = _("Indica la fecha del reintegro (hoy o antes).")
    if errors:
        raise ValidationError(errors)
    refund.amount = progress.refund_due(project)  # to the cent, as the books stand now
    refund.transfer_reference, refund.transfer_date = transfer_reference.strip()[:60], transfer_date
    refund.recorded_by, refund.recorded_at = actor, timezone.now()
    refund.save()
    record(project, actor, "refund_recorded", f"${refund.amount:,.2f} MXN, {refund.transfer_reference}")
    return refund


# --- The closing checklist ----------------------------------------------------------------------------

@dataclass(frozen=True)
class ChecklistItem:
    code: str
    label: str
    done: bool
    detail: str = ""


def closure_checklist(project: Project) -> list[ChecklistItem]:
    """What closing needs, item by item, with what is missing said."""
    open_expenses = project.expenses.filter(status__in=EXPENSE_OPEN_STATES).count()
    cancelled = cancelled_invoices(project).count()
    handover = Handover.objects.filter(project=project).first()
    assembly = AccountabilityAssembly.objects.filter(project=project).first()
    refund = Refund.objects.filter(project=project).first()
    due = progress.refund_due(project)
    items = [
        ChecklistItem("progress", _("Avance físico al 100 %"), project.physical_progress >= 100,
                      _("Va en %(p)s %% (último informe avalado).") % {"p": project.physical_progress}),
        ChecklistItem("expenses", _("Todos los gastos verificados o rechazados"), open_expenses == 0,
                      _("%(n)d gastos siguen en revisión u observados.") % {"n": open_expenses} if open_expenses
                      else ""),
        ChecklistItem("cfdi", _("Ninguna factura cancelada ante el SAT"), cancelled == 0,
                      _("%(n)d facturas canceladas: Finanzas debe revocar esos gastos.") % {"n": cancelled}
                      if cancelled else ""),
        ChecklistItem("handover", _("Acta de entrega-recepción firmada"), bool(handover and handover.signed_file),
                      "" if handover and handover.signed_file else
                      (_("Falta cargar el acta firmada.") if handover else _("Falta generar el acta."))),
        ChecklistItem("assembly", _("Asamblea de rendición de cuentas registrada"), assembly is not None,
                      "" if assembly else _("Falta registrar la asamblea con su acta.")),
        ChecklistItem("refund", _("Reintegro de lo no ejercido o no comprobado"),
                      refund.amount == due if refund and refund.is_recorded else due == 0,
                      (_("Reintegro de %(amount)s MXN registrado.") % {"amount": f"${refund.amount:,.2f}"})
                      if refund and refund.is_recorded else
                      (_("Por reintegrar: %(amount)s MXN (ministrado − comprobado).") % {"amount": f"${due:,.2f}"}
                       if due else _("No hay nada que reintegrar."))),
    ]
    return items


def closure_problems(project: Project, *, stage: str) -> list[str]:
    """What blocks a closing step: `complete_works`, `open_accountability` or `close`."""
    items = {item.code: item for item in closure_checklist(project)}
    wanted = {"complete_works": ["progress"],
              "open_accountability": ["progress", "expenses", "cfdi", "handover"],
              "close": ["progress", "expenses", "cfdi", "handover", "assembly", "refund"]}[stage]
    return [f"{items[code].label}: {items[code].detail}".rstrip(": ") for code in wanted if not items[code].done]
