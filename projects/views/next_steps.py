"""«Qué sigue» on a project's page: the one thing this person has to do next, by their part in it."""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from projects import permissions
from projects.models import BankAccount, ElectionAssembly
from projects.workflow import ProjectState, TrancheState


def _what(heading, action=None, steps=None, tone=""):
    return {"heading": heading, "action": action, "steps": steps or [], "tone": tone}


def coordinator_step(project, elections, tranches):
    detail = reverse("projects:detail", args=[project.pk])
    if project.status == ProjectState.COMMITTEES_PENDING:
        scheduled = next((e for e in elections if e.status == ElectionAssembly.Status.SCHEDULED), None)
        if scheduled is None:
            return _what(_("Programa la asamblea que elige los tres comités del proyecto."),
                         (_("Programar la asamblea"), reverse("projects:election_schedule", args=[project.pk])))
        if scheduled.scheduled_at > timezone.now():
            return _what(_("La asamblea de elección es el %(when)s: registra su resultado después de celebrarla.")
                         % {"when": date_format(timezone.localtime(scheduled.scheduled_at), "DATETIME_FORMAT")})
        return _what(_("Registra el resultado de la asamblea y la planilla electa."),
                     (_("Registrar el resultado"),
                      reverse("projects:election_record", args=[project.pk, scheduled.pk])))
    requested = [t for t in tranches if t.status == TrancheState.REQUESTED]
    if requested:
        return _what(_("El comité de Administración solicitó la ministración %(n)d: apruébala o retenla.")
                     % {"n": requested[0].number}, (_("Ver la ministración"), detail + "#ministraciones"))
    if project.status == ProjectState.AGREEMENT_PENDING:
        pending = [seat for seat in project.seats.all() if seat.ended_at is None and seat.accepted_at is None]
        agreement = getattr(project, "agreement", None)
        if pending:
            return _what(ngettext("Falta %(n)d persona electa por aceptar su lugar; después se genera el convenio.",
                                  "Faltan %(n)d personas electas por aceptar su lugar; después se genera el convenio.",
                                  len(pending)) % {"n": len(pending)})
        if agreement is None:
            return _what(_("Las personas electas ya aceptaron: genera el convenio para que lo firmen."),
                         (_("Ir al convenio"), detail + "#dinero"))
        if not agreement.signed_file:
            return _what(_("El convenio está generado: falta que los comités carguen la copia firmada."))
        return _what(_("Los comités cargaron el convenio firmado: falta que Finanzas registre la firma de la "
                       "Secretaría."))
    return None


def finance_step(project, account, agreement, tranches):
    detail = reverse("projects:detail", args=[project.pk])
    if account is not None and account.status == BankAccount.Status.PENDING:
        return _what(_("Verifica la cuenta bancaria que registró el comité de Administración."),
                     (_("Revisar la cuenta"), detail + "#dinero"))
    if agreement is not None and agreement.signed_file and agreement.ministry_signed_on is None:
        return _what(_("El convenio firmado por los comités ya se cargó: registra la firma de la Secretaría."),
                     (_("Registrar la firma"), detail + "#dinero"))
    approved = [t for t in tranches if t.status == TrancheState.APPROVED]
    if approved:
        return _what(_("La coordinación aprobó la ministración %(n)d: entrégala.") % {"n": approved[0].number},
                     (_("Ver la ministración"), detail + "#ministraciones"))
    return None


def committee_step(project, seat, account, agreement, tranche, problems):
    """For a person elected to one of the project's committees; `problems` is what the next tranche
    lacks, or None when it was not worked out."""
    if seat.accepted_at is None:
        return _what(_("La asamblea te eligió para el comité de %(kind)s: acepta tu lugar para actuar por él.")
                     % {"kind": seat.get_committee_display()},
                     (_("Aceptar mi lugar"), reverse("projects:seat_accept", args=[seat.token])))
    if seat.committee != "administration":
        return _what(_("El comité de Administración lleva los trámites del dinero; tú das seguimiento a la obra "
                       "y a los gastos."))
    detail = reverse("projects:detail", args=[project.pk])
    if project.status == ProjectState.AGREEMENT_PENDING:
        if account is None or account.status == BankAccount.Status.REJECTED:
            return _what(_("Registra la cuenta bancaria a la que llegará el recurso."),
                         (_("Registrar la cuenta"), detail + "#dinero"),
                         tone="error" if account is not None else "")
        if agreement is not None and not agreement.signed_file:
            return _what(_("Imprime el convenio, fírmenlo los tres comités y carga el PDF firmado."),
                         (_("Cargar el convenio firmado"), detail + "#dinero"))
        return _what(_("Finanzas revisa la cuenta y el convenio; te avisaremos."))
    # Once the works are done no tranche is released: the closing steps (closure.py) are what is asked.
    closing = project.status not in (ProjectState.IN_EXECUTION, ProjectState.SUSPENDED)
    if tranche is not None and tranche.status in (TrancheState.PLANNED, TrancheState.WITHHELD) and not closing:
        if problems is None:  # not worked out (the start page): the project's page says what is missing
            return _what(_("Revisa si ya puedes solicitar la ministración %(n)d.") % {"n": tranche.number},
                         (_("Ver qué falta"), detail + "#ministraciones"))
        if problems:
            return _what(_("Antes de solicitar la ministración %(n)d falta:") % {"n": tranche.number},
                         steps=[(problem, None) for problem in problems])
        return _what(_("Ya puedes solicitar la ministración %(n)d.") % {"n": tranche.number},
                     (_("Solicitar la ministración"), detail + "#ministraciones"))
    return None


# The execution and closure pages register what they ask of people (expenses to endorse, a report due,
# an observation to answer, a checklist item): (priority, step(user, project, seat) -> dict | None).
# Lower priority numbers are asked first; the first step found is the one shown.
EXECUTION_STEPS: list[tuple[int, object]] = []


def register_step(priority: int, step) -> None:
    if all(existing is not step for _priority, existing in EXECUTION_STEPS):
        EXECUTION_STEPS.append((priority, step))
        EXECUTION_STEPS.sort(key=lambda item: item[0])


def execution_step(user, project, seat):
    for _priority, step in EXECUTION_STEPS:
        found = step(user, project, seat)
        if found is not None:
            return found
    return None


def project_next_step(user, project, *, seat, elections, tranches, account, agreement, next_tranche, problems):
    found = None
    if seat is not None:
        if seat.accepted_at is None:
            return committee_step(project, seat, account, agreement, next_tranche, problems)
        found = committee_step(project, seat, account, agreement, next_tranche, problems)
    elif project.status not in (ProjectState.CLOSED, ProjectState.CANCELLED):
        if permissions.can_manage_project(user, project):
            found = coordinator_step(project, elections, tranches)
        elif permissions.can_handle_money(user, project):
            found = finance_step(project, account, agreement, tranches)
    # A step with its own button wins; a list of what the next tranche lacks gives way to the execution
    # step that works on it (a report to send, an expense to correct).
    if found is not None and (seat is None or found.get("action")):
        return found
    return execution_step(user, project, seat) or found
