""""Qué sigue": what the group has to do next with its proposal, for the box at the top of its page.

The box is the shared partial templates/partials/next_step.html; it takes a dict with a heading, an
optional quoted reason and deadline, the steps (text and optional link) and one main action.
"""

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from proposals import permissions
from proposals.models import Proposal
from proposals.models.calls import MEXICO_CITY
from proposals.workflow import ProposalAction, ProposalState


def _step_links(proposal, problems) -> list[tuple[str, str | None]]:
    return [(message, reverse("proposals:proposal_step", args=[proposal.pk, step]) if step else None)
            for step, message in problems]


def _returned(proposal: Proposal, problems) -> dict:
    event = proposal.events.filter(action=ProposalAction.RETURN).order_by("-created_at", "-id").first()
    deadline = proposal.correction_deadline
    today = timezone.now().astimezone(MEXICO_CITY).date()
    review = reverse("proposals:proposal_review", args=[proposal.pk])
    if deadline and today > deadline:
        return {"heading": _("El plazo para corregir venció"), "tone": "error",
                "reason": event.note if event else "", "deadline": deadline,
                "steps": [(_("La coordinación decidirá si la propuesta sigue; te avisaremos."), None)]}
    steps = [(_("Lee el motivo de la coordinación y corrige lo que pide en los pasos de la propuesta."),
              reverse("proposals:proposal_step", args=[proposal.pk, "sitio"]))]
    steps += _step_links(proposal, problems)
    steps.append((_("Revisa todo y reenvía la propuesta antes del %(date)s a las 23:59.")
                  % {"date": date_format(deadline, "DATE_FORMAT")} if deadline
                  else _("Revisa todo y reenvía la propuesta."), review))
    return {"heading": _("La coordinación devolvió tu propuesta para que la corrijas"), "tone": "error",
            "reason": event.note if event else "", "deadline": deadline, "steps": steps,
            "action": (_("Corregir y reenviar"), review)}


def _draft(proposal: Proposal, problems) -> dict:
    review = reverse("proposals:proposal_review", args=[proposal.pk])
    if problems:
        return {"heading": _("Completa tu propuesta y envíala"), "steps": _step_links(proposal, problems),
                "deadline": proposal.call.registration_closes_on,
                "action": (_("Continuar editando"), reverse("proposals:proposal_step", args=[proposal.pk, "sitio"]))}
    return {"heading": _("Tu propuesta está completa"), "deadline": proposal.call.registration_closes_on,
            "steps": [(_("Revísala y envíala antes de que cierre el registro."), review)],
            "action": (_("Revisar y enviar"), review)}


def group_next_step(user, proposal: Proposal, problems) -> dict | None:
    """The next step for a member of the proposing group; None for anyone else or when nothing is due."""
    if not permissions.is_member_of_proposal_group(user, proposal):
        return None
    if proposal.status == ProposalState.RETURNED:
        return _returned(proposal, problems)
    if proposal.status == ProposalState.DRAFT:
        return _draft(proposal, problems)
    return None
