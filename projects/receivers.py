"""What projects do when lower apps tell them something changed (they never import projects)."""

from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext as _

from projects.models import Project
from projects.services.projects import project_create, project_transition
from projects.workflow import ProjectAction, ProjectState
from proposals.signals import proposal_transitioned
from proposals.workflow import ProposalAction, ProposalState

# A selected proposal may still withdraw while its project has no signed agreement; the project is cancelled.
WITHDRAWABLE = frozenset({ProjectState.COMMITTEES_PENDING, ProjectState.AGREEMENT_PENDING})


@receiver(proposal_transitioned, dispatch_uid="projects.project_for_selected_proposal")
def project_for_selected_proposal(sender, *, proposal, action, source, actor, **kwargs):
    if proposal.status == ProposalState.SELECTED and action in (ProposalAction.SELECT, ProposalAction.PROMOTE):
        project_create(actor=actor, proposal=proposal)
    elif source == ProposalState.SELECTED:
        project = Project.objects.filter(proposal=proposal).first()
        if project is None:
            return
        if project.status not in WITHDRAWABLE:
            raise ValidationError(_("El proyecto %(code)s ya firmó su convenio: ya no se retira; la coordinación "
                                    "puede suspenderlo o cancelarlo.") % {"code": project.code})
        project_transition(actor=actor, project_id=project.pk, action=ProjectAction.CANCEL, system=True,
                           note=_("El grupo retiró la propuesta %(folio)s.") % {"folio": proposal.folio})
