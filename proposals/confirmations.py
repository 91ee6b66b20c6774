"""What the group's and the reviewer's irreversible actions say before they happen (nicp.confirm)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from nicp.confirm import ConfirmForm, Irreversible
from proposals.workflow import ProposalAction


def for_action(proposal, action: str) -> Irreversible | None:
    """The confirmation an action on a proposal needs; None for actions that need none."""
    if action == ProposalAction.WITHDRAW:
        return Irreversible(
            title=_("Retirar la propuesta"),
            consequence=_("Entiendo que al retirar la propuesta sale de la convocatoria y que no se puede "
                          "deshacer."),
            button=_("Retirar la propuesta"), danger=True,
            back_url=reverse("proposals:proposal_detail", args=[proposal.pk]),
            back_label=_("No retirar, volver a la propuesta"))
    if action in (ProposalAction.SUBMIT, ProposalAction.RESUBMIT):
        return Irreversible(
            title=_("Enviar la propuesta"),
            consequence=_("Entiendo que al enviarla ya no podremos editarla, salvo que la coordinación la "
                          "devuelva para correcciones."),
            button=_("Enviar la propuesta") if action == ProposalAction.SUBMIT
            else _("Reenviar con las correcciones"),
            back_url=reverse("proposals:proposal_review", args=[proposal.pk]), back_label=_("Volver sin enviar"))
    return None


def forms_for(proposal) -> dict:
    """Unbound checkbox forms, by action code, for the pages that offer these actions."""
    return {"confirm_forms": {code: ConfirmForm(action=for_action(proposal, code), auto_id=f"id_{code}_%s")
                              for code in (ProposalAction.WITHDRAW, ProposalAction.SUBMIT, ProposalAction.RESUBMIT)}}


SUBMIT_REVIEW = gettext_lazy("Entiendo que al entregar el dictamen es definitivo: ya no podré cambiarlo y solo "
                             "la coordinación puede reabrirlo.")
