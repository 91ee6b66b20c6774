"""States, actions and transition tables of funded projects and their tranches. Pure data: no I/O."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectState(models.TextChoices):
    COMMITTEES_PENDING = "committees_pending", _("Comités por elegir")
    AGREEMENT_PENDING = "agreement_pending", _("Convenio por firmar")
    IN_EXECUTION = "in_execution", _("En ejecución")
    SUSPENDED = "suspended", _("Suspendido")
    WORKS_COMPLETED = "works_completed", _("Obras concluidas")
    ACCOUNTABILITY = "accountability", _("Rendición de cuentas")
    CLOSED = "closed", _("Cerrado")
    CANCELLED = "cancelled", _("Cancelado")


class ProjectAction(models.TextChoices):
    ELECT_COMMITTEES = "elect_committees", _("Registrar la elección de comités")
    SIGN_AGREEMENT = "sign_agreement", _("Registrar la firma del convenio")
    SUSPEND = "suspend", _("Suspender")
    RESUME = "resume", _("Reanudar")
    COMPLETE_WORKS = "complete_works", _("Declarar obras concluidas")
    OPEN_ACCOUNTABILITY = "open_accountability", _("Pasar a rendición de cuentas")
    CLOSE = "close", _("Cerrar el proyecto")
    CANCEL = "cancel", _("Cancelar el proyecto")


P, PA = ProjectState, ProjectAction

OPEN_STATES = frozenset({P.COMMITTEES_PENDING, P.AGREEMENT_PENDING, P.IN_EXECUTION, P.SUSPENDED,
                         P.WORKS_COMPLETED, P.ACCOUNTABILITY})

PROJECT_TRANSITIONS: dict[tuple[str, str], str] = {
    (P.COMMITTEES_PENDING, PA.ELECT_COMMITTEES): P.AGREEMENT_PENDING,
    (P.AGREEMENT_PENDING, PA.SIGN_AGREEMENT): P.IN_EXECUTION,
    (P.IN_EXECUTION, PA.SUSPEND): P.SUSPENDED,
    (P.SUSPENDED, PA.RESUME): P.IN_EXECUTION,
    (P.IN_EXECUTION, PA.COMPLETE_WORKS): P.WORKS_COMPLETED,
    (P.WORKS_COMPLETED, PA.OPEN_ACCOUNTABILITY): P.ACCOUNTABILITY,
    (P.ACCOUNTABILITY, PA.CLOSE): P.CLOSED,
    **{(state, PA.CANCEL): P.CANCELLED for state in OPEN_STATES},
}

# Steps recorded by their own service (the election assembly, the agreement's signature), never applied
# bare through the transitions endpoint.
PROJECT_SYSTEM_ACTIONS = frozenset({PA.ELECT_COMMITTEES, PA.SIGN_AGREEMENT})
# Actions the coordination applies; each needs a note people will read.
PROJECT_COORDINATOR_ACTIONS = frozenset({PA.SUSPEND, PA.RESUME, PA.COMPLETE_WORKS, PA.OPEN_ACCOUNTABILITY,
                                         PA.CLOSE, PA.CANCEL})
PROJECT_NOTE_REQUIRED = frozenset({PA.SUSPEND, PA.RESUME, PA.CANCEL})


class TrancheState(models.TextChoices):
    PLANNED = "planned", _("Programada")
    REQUESTED = "requested", _("Solicitada")
    APPROVED = "approved", _("Aprobada")
    RELEASED = "released", _("Ministrada")
    WITHHELD = "withheld", _("Retenida")


class TrancheAction(models.TextChoices):
    REQUEST = "request", _("Solicitar")
    APPROVE = "approve", _("Aprobar")
    RELEASE = "release", _("Ministrar")
    WITHHOLD = "withhold", _("Retener")


T, TA = TrancheState, TrancheAction

TRANCHE_TRANSITIONS: dict[tuple[str, str], str] = {
    (T.PLANNED, TA.REQUEST): T.REQUESTED,
    (T.WITHHELD, TA.REQUEST): T.REQUESTED,  # asked again once what was missing is there
    (T.REQUESTED, TA.APPROVE): T.APPROVED,
    (T.APPROVED, TA.RELEASE): T.RELEASED,
    (T.REQUESTED, TA.WITHHOLD): T.WITHHELD,
    (T.APPROVED, TA.WITHHOLD): T.WITHHELD,
}
TRANCHE_NOTE_REQUIRED = frozenset({TA.WITHHOLD})

# Timeline entries that record something besides a state change.
EVENT_LABELS = {
    # The timeline reads in the past tense; the actions' own labels are what buttons say.
    PA.ELECT_COMMITTEES: _("Se registró la elección de comités"),
    PA.SIGN_AGREEMENT: _("Se registró la firma del convenio"),
    PA.SUSPEND: _("Se suspendió el proyecto"),
    PA.RESUME: _("Se reanudó el proyecto"),
    PA.COMPLETE_WORKS: _("Se declararon concluidas las obras"),
    PA.OPEN_ACCOUNTABILITY: _("Pasó a rendición de cuentas"),
    PA.CLOSE: _("Se cerró el proyecto"),
    PA.CANCEL: _("Se canceló el proyecto"),
    "create": _("Se creó el proyecto con los resultados publicados"),
    "election_scheduled": _("Se programó la asamblea de elección de comités"),
    "election_no_quorum": _("Asamblea de elección sin quórum"),
    "seat_accepted": _("Una persona electa aceptó su lugar en un comité"),
    "seat_replaced": _("Se sustituyó a una persona de un comité"),
    "account_registered": _("Se registró la cuenta bancaria"),
    "account_verified": _("Finanzas verificó la cuenta bancaria"),
    "account_rejected": _("Finanzas observó la cuenta bancaria"),
    "agreement_generated": _("Se generó el convenio"),
    "agreement_uploaded": _("Se cargó el convenio firmado por los comités"),
    "tranche_request": _("Se solicitó una ministración"),
    "tranche_approve": _("La coordinación aprobó una ministración"),
    "tranche_release": _("Finanzas ministró el recurso"),
    "tranche_withhold": _("Se retuvo una ministración"),
    "report_submitted": _("Se envió un informe de avance"),
    "report_endorsed": _("Supervisión avaló un informe de avance"),
    "report_observed": _("Supervisión observó un informe de avance"),
    "visit_recorded": _("Se registró una visita de supervisión"),
    "observation_answered": _("El comité respondió una observación de visita"),
    "observation_settled": _("Se atendió una observación de visita"),
    "observation_reopened": _("Se reabrió una observación de visita"),
    "expense_revoked": _("Se revocó un gasto por CFDI cancelado"),
    "handover_generated": _("Se generó el acta de entrega-recepción"),
    "handover_uploaded": _("Se cargó el acta de entrega-recepción firmada"),
    "accountability_recorded": _("Se registró la asamblea de rendición de cuentas"),
    "refund_opened": _("Se abrió un reintegro"),
    "refund_recorded": _("Finanzas registró el reintegro"),
    "sat_cancelled": _("El SAT reporta cancelado un CFDI del proyecto"),
}


class ExpenseState(models.TextChoices):
    RECORDED = "recorded", _("Registrado")
    ENDORSED = "endorsed", _("Avalado por Supervisión")
    VERIFIED = "verified", _("Verificado por Finanzas")
    OBSERVED = "observed", _("Observado")
    REJECTED = "rejected", _("Rechazado")


class ExpenseAction(models.TextChoices):
    ENDORSE = "endorse", _("Avalar")
    VERIFY = "verify", _("Verificar")
    OBSERVE = "observe", _("Observar")
    CORRECT = "correct", _("Corregir")
    REJECT = "reject", _("Rechazar")
    # A verified invoice the SAT later reports cancelled stops counting as proof.
    REVOKE = "revoke", _("Revocar por CFDI cancelado")


E, EA = ExpenseState, ExpenseAction

EXPENSE_TRANSITIONS: dict[tuple[str, str], str] = {
    (E.RECORDED, EA.ENDORSE): E.ENDORSED,
    (E.RECORDED, EA.OBSERVE): E.OBSERVED,
    (E.RECORDED, EA.REJECT): E.REJECTED,
    (E.ENDORSED, EA.VERIFY): E.VERIFIED,
    (E.ENDORSED, EA.OBSERVE): E.OBSERVED,
    (E.ENDORSED, EA.REJECT): E.REJECTED,
    (E.OBSERVED, EA.CORRECT): E.RECORDED,
    (E.OBSERVED, EA.REJECT): E.REJECTED,
    (E.VERIFIED, EA.REVOKE): E.REJECTED,
}
EXPENSE_NOTE_REQUIRED = frozenset({EA.OBSERVE, EA.REJECT, EA.REVOKE})
# Expenses still on their way: none may remain when the project goes to accountability.
EXPENSE_OPEN_STATES = frozenset({E.RECORDED, E.ENDORSED, E.OBSERVED})
# Expenses that count against the money received and the budget lines.
EXPENSE_COUNTING_STATES = frozenset({E.RECORDED, E.ENDORSED, E.OBSERVED, E.VERIFIED})


class ReportState(models.TextChoices):
    SUBMITTED = "submitted", _("Enviado")
    ENDORSED = "endorsed", _("Avalado por Supervisión")
    OBSERVED = "observed", _("Observado")


class ReportAction(models.TextChoices):
    ENDORSE = "endorse", _("Avalar")
    OBSERVE = "observe", _("Observar")
    CORRECT = "correct", _("Corregir y enviar de nuevo")


R, RA = ReportState, ReportAction

REPORT_TRANSITIONS: dict[tuple[str, str], str] = {
    (R.SUBMITTED, RA.ENDORSE): R.ENDORSED,
    (R.SUBMITTED, RA.OBSERVE): R.OBSERVED,
    (R.OBSERVED, RA.CORRECT): R.SUBMITTED,
}
REPORT_NOTE_REQUIRED = frozenset({RA.OBSERVE})


def event_label(action: str) -> str:
    if action in EVENT_LABELS:
        return EVENT_LABELS[action]
    if action in ProjectAction.values:
        return ProjectAction(action).label
    return action
