"""States, actions and transition tables of calls and proposals. Pure data: no I/O."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CallState(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    PUBLISHED = "published", _("Publicada")
    CLOSED = "closed", _("Registro cerrado")
    RESULTS_PUBLISHED = "results_published", _("Resultados publicados")
    ARCHIVED = "archived", _("Archivada")


class CallAction(models.TextChoices):
    PUBLISH = "publish", _("Publicar")
    CLOSE = "close", _("Cerrar el registro")
    PUBLISH_RESULTS = "publish_results", _("Publicar resultados")
    ARCHIVE = "archive", _("Archivar")


CALL_TRANSITIONS: dict[tuple[str, str], str] = {
    (CallState.DRAFT, CallAction.PUBLISH): CallState.PUBLISHED,
    (CallState.PUBLISHED, CallAction.CLOSE): CallState.CLOSED,
    (CallState.CLOSED, CallAction.PUBLISH_RESULTS): CallState.RESULTS_PUBLISHED,
    (CallState.RESULTS_PUBLISHED, CallAction.ARCHIVE): CallState.ARCHIVED,
}


class ProposalState(models.TextChoices):
    DRAFT = "draft", _("Borrador")
    SUBMITTED = "submitted", _("Enviada")
    RETURNED = "returned", _("Devuelta para correcciones")
    ELIGIBLE = "eligible", _("Elegible")
    INELIGIBLE = "ineligible", _("No elegible")
    ASSEMBLY_SCHEDULED = "assembly_scheduled", _("Asamblea programada")
    ASSEMBLY_APPROVED = "assembly_approved", _("Aprobada en asamblea")
    ASSEMBLY_REJECTED = "assembly_rejected", _("Rechazada en asamblea")
    IN_REVIEW = "in_review", _("En dictamen técnico")
    FEASIBLE = "feasible", _("Factible")
    NOT_FEASIBLE = "not_feasible", _("No factible")
    SHORTLISTED = "shortlisted", _("En evaluación del Comité")
    SELECTED = "selected", _("Seleccionada")
    WAITLISTED = "waitlisted", _("En lista de espera")
    NOT_SELECTED = "not_selected", _("No seleccionada")
    WITHDRAWN = "withdrawn", _("Retirada")


class ProposalAction(models.TextChoices):
    SUBMIT = "submit", _("Enviar")
    RETURN = "return", _("Devolver para correcciones")
    RESUBMIT = "resubmit", _("Reenviar")
    ACCEPT = "accept", _("Declarar elegible")
    REJECT_INELIGIBLE = "reject_ineligible", _("Declarar no elegible")
    WITHDRAW = "withdraw", _("Retirar")
    SCHEDULE_ASSEMBLY = "schedule_assembly", _("Programar asamblea")
    APPROVE_IN_ASSEMBLY = "approve_in_assembly", _("Registrar aprobación en asamblea")
    REJECT_IN_ASSEMBLY = "reject_in_assembly", _("Registrar rechazo en asamblea")
    START_REVIEW = "start_review", _("Iniciar dictamen técnico")
    MARK_FEASIBLE = "mark_feasible", _("Dictaminar factible")
    MARK_NOT_FEASIBLE = "mark_not_feasible", _("Dictaminar no factible")
    SHORTLIST = "shortlist", _("Pasar al Comité")
    SELECT = "select", _("Seleccionar")
    WAITLIST = "waitlist", _("Poner en lista de espera")
    NOT_SELECT = "not_select", _("No seleccionar")
    PROMOTE = "promote", _("Promover desde la lista de espera")
    REOPEN_REVIEW = "reopen_review", _("Reabrir el dictamen técnico")


S, A = ProposalState, ProposalAction

PROPOSAL_TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, A.SUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.RETURN): S.RETURNED,
    (S.RETURNED, A.RESUBMIT): S.SUBMITTED,
    (S.SUBMITTED, A.ACCEPT): S.ELIGIBLE,
    (S.SUBMITTED, A.REJECT_INELIGIBLE): S.INELIGIBLE,
    (S.RETURNED, A.REJECT_INELIGIBLE): S.INELIGIBLE,
    (S.RETURNED, A.ACCEPT): S.ELIGIBLE,  # past the correction deadline staff decide
    (S.DRAFT, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.WITHDRAW): S.WITHDRAWN,
    (S.RETURNED, A.WITHDRAW): S.WITHDRAWN,
    (S.ELIGIBLE, A.WITHDRAW): S.WITHDRAWN,
    (S.ASSEMBLY_SCHEDULED, A.WITHDRAW): S.WITHDRAWN,
    (S.ASSEMBLY_APPROVED, A.WITHDRAW): S.WITHDRAWN,
    (S.IN_REVIEW, A.WITHDRAW): S.WITHDRAWN,
    (S.FEASIBLE, A.WITHDRAW): S.WITHDRAWN,
    (S.SHORTLISTED, A.WITHDRAW): S.WITHDRAWN,
    (S.SELECTED, A.WITHDRAW): S.WITHDRAWN,  # before its agreement: the place goes to the waitlist
    (S.ELIGIBLE, A.SCHEDULE_ASSEMBLY): S.ASSEMBLY_SCHEDULED,
    (S.ASSEMBLY_SCHEDULED, A.APPROVE_IN_ASSEMBLY): S.ASSEMBLY_APPROVED,
    (S.ASSEMBLY_SCHEDULED, A.REJECT_IN_ASSEMBLY): S.ASSEMBLY_REJECTED,
    (S.ASSEMBLY_APPROVED, A.START_REVIEW): S.IN_REVIEW,
    (S.IN_REVIEW, A.MARK_FEASIBLE): S.FEASIBLE,
    (S.IN_REVIEW, A.MARK_NOT_FEASIBLE): S.NOT_FEASIBLE,
    (S.FEASIBLE, A.REOPEN_REVIEW): S.IN_REVIEW,
    (S.NOT_FEASIBLE, A.REOPEN_REVIEW): S.IN_REVIEW,
    (S.FEASIBLE, A.SHORTLIST): S.SHORTLISTED,
    # When the call puts the technical review first: review, then assembly, then the Committee.
    (S.ELIGIBLE, A.START_REVIEW): S.IN_REVIEW,
    (S.FEASIBLE, A.SCHEDULE_ASSEMBLY): S.ASSEMBLY_SCHEDULED,
    (S.ASSEMBLY_APPROVED, A.SHORTLIST): S.SHORTLISTED,
    (S.SHORTLISTED, A.SELECT): S.SELECTED,
    (S.SHORTLISTED, A.WAITLIST): S.WAITLISTED,
    (S.SHORTLISTED, A.NOT_SELECT): S.NOT_SELECTED,
    (S.WAITLISTED, A.PROMOTE): S.SELECTED,
}

# Who performs each action: the proposing group, or programme staff.
GROUP_ACTIONS = frozenset({A.SUBMIT, A.RESUBMIT, A.WITHDRAW})
# Pairs that exist for one order of the cycle only: True where the call must hold the assembly
# before the technical review (Call.assembly_before_review), False where after.
ORDER_DEPENDENT: dict[tuple[str, str], bool] = {
    (S.ELIGIBLE, A.SCHEDULE_ASSEMBLY): True,
    (S.ASSEMBLY_APPROVED, A.START_REVIEW): True,
    (S.FEASIBLE, A.SHORTLIST): True,
    (S.ELIGIBLE, A.START_REVIEW): False,
    (S.FEASIBLE, A.SCHEDULE_ASSEMBLY): False,
    (S.ASSEMBLY_APPROVED, A.SHORTLIST): False,
}
# Outcomes recorded by their own service (the assembly's minutes, the technical reviews, the
# Committee's selection), never applied directly through the transitions endpoint.
SYSTEM_ACTIONS = frozenset({A.APPROVE_IN_ASSEMBLY, A.REJECT_IN_ASSEMBLY, A.MARK_FEASIBLE, A.MARK_NOT_FEASIBLE,
                            A.REOPEN_REVIEW, A.SCHEDULE_ASSEMBLY, A.SELECT, A.WAITLIST, A.NOT_SELECT, A.PROMOTE})
# Actions whose note is required (the group must read why).
NOTE_REQUIRED = frozenset({A.RETURN, A.REJECT_INELIGIBLE})
# States in which the group may still edit the content.
EDITABLE_STATES = frozenset({S.DRAFT, S.RETURNED})
# States in which the Mixed Technical Committee works on a proposal or has decided it.
COMMITTEE_STATES = frozenset({S.SHORTLISTED, S.SELECTED, S.WAITLISTED, S.NOT_SELECTED})



# Timeline entries that record something besides a state change.
EVENT_LABELS = {
    "create": _("Creó el borrador"),
    "assign_reviewer": _("Asignó la revisión técnica"),
    "reschedule_assembly": _("Reprogramó la asamblea"),
    "assembly_no_quorum": _("Asamblea sin quórum"),
    "reopen_review": _("Reabrió un dictamen técnico"),
    "results_excluded": _("Quedó fuera de la publicación de resultados"),
}


def event_label(action: str) -> str:
    if action in ProposalAction.values:
        return ProposalAction(action).label
    return EVENT_LABELS.get(action, action)
