"""A proposal's history as sentences people read: «Rosa Martínez envió la propuesta»,
«La coordinación devolvió la propuesta para correcciones». Members of the group are named; staff are
named by their role (staff readers also see the person, in brackets), outcomes by who decided them."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import StaffRole, is_staff_member
from proposals.workflow import event_label

# %(who)s is the actor; sentences without it name the body that decided.
SENTENCES = {
    "create": gettext_lazy("%(who)s creó el borrador"),
    "submit": gettext_lazy("%(who)s envió la propuesta"),
    "resubmit": gettext_lazy("%(who)s reenvió la propuesta con las correcciones"),
    "withdraw": gettext_lazy("%(who)s retiró la propuesta"),
    "return": gettext_lazy("%(who)s devolvió la propuesta para correcciones"),
    "accept": gettext_lazy("%(who)s declaró elegible la propuesta"),
    "reject_ineligible": gettext_lazy("%(who)s declaró no elegible la propuesta"),
    "schedule_assembly": gettext_lazy("%(who)s programó la asamblea vecinal"),
    "reschedule_assembly": gettext_lazy("%(who)s reprogramó la asamblea vecinal"),
    "assembly_no_quorum": gettext_lazy("La asamblea vecinal no reunió el quórum"),
    "approve_in_assembly": gettext_lazy("La asamblea vecinal aprobó el proyecto"),
    "reject_in_assembly": gettext_lazy("La asamblea vecinal rechazó el proyecto"),
    "assign_reviewer": gettext_lazy("%(who)s asignó la revisión técnica"),
    "start_review": gettext_lazy("Comenzó el dictamen técnico"),
    "mark_feasible": gettext_lazy("El dictamen técnico declaró factible el proyecto"),
    "mark_not_feasible": gettext_lazy("El dictamen técnico declaró no factible el proyecto"),
    "reopen_review": gettext_lazy("%(who)s reabrió el dictamen técnico"),
    "shortlist": gettext_lazy("%(who)s pasó la propuesta al Comité Técnico Mixto"),
    "select": gettext_lazy("El Comité Técnico Mixto seleccionó la propuesta"),
    "waitlist": gettext_lazy("El Comité Técnico Mixto puso la propuesta en lista de espera"),
    "not_select": gettext_lazy("El Comité Técnico Mixto no seleccionó la propuesta"),
    "promote": gettext_lazy("La propuesta pasó de la lista de espera a seleccionada"),
    "results_excluded": gettext_lazy("La propuesta quedó fuera de la publicación de resultados"),
}
# How staff are named, by role, most specific first.
ROLE_SUBJECTS = [
    (StaffRole.COORDINATOR, gettext_lazy("La coordinación")),
    (StaffRole.TECHNICAL_REVIEWER, gettext_lazy("La revisión técnica")),
    (StaffRole.COMMITTEE_SECRETARY, gettext_lazy("La secretaría del Comité")),
    (StaffRole.COMMITTEE_MEMBER, gettext_lazy("El Comité Técnico Mixto")),
    (StaffRole.FINANCE_OFFICER, gettext_lazy("Finanzas")),
    (StaffRole.AUDITOR, gettext_lazy("Auditoría")),
]


def _subject(actor, member_ids: set[int], staff_reader: bool) -> str:
    if actor is None:
        return _("El sistema")
    name = actor.full_name or actor.email
    if actor.pk in member_ids:
        return name
    roles = {group.name for group in actor.groups.all()}
    role = next((label for code, label in ROLE_SUBJECTS if code in roles), None)
    if role is None:
        return name
    return f"{role} ({name})" if staff_reader else str(role)


def sentence(event, member_ids: set[int], staff_reader: bool) -> str:
    template = SENTENCES.get(event.action)
    who = _subject(event.actor, member_ids, staff_reader)
    if template is None:
        return _("%(who)s: %(what)s") % {"who": who, "what": event_label(event.action)}
    return str(template) % {"who": who} if "%(who)s" in str(template) else str(template)


def timeline(reader, proposal) -> list[tuple]:
    """(event, sentence) pairs, oldest first, in three queries whatever the length."""
    member_ids = set(proposal.group.memberships.values_list("user_id", flat=True))
    staff_reader = is_staff_member(reader)
    events = proposal.events.select_related("actor").prefetch_related("actor__groups")
    return [(event, sentence(event, member_ids, staff_reader)) for event in events]
