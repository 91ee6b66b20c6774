"""The banner a suspended or cancelled project shows on its pages: why, and what it means for the money."""

from django import template

from projects.models import Refund
from projects.workflow import ProjectAction, ProjectState

register = template.Library()

REASON_OF = {ProjectState.SUSPENDED: ProjectAction.SUSPEND, ProjectState.CANCELLED: ProjectAction.CANCEL}


@register.inclusion_tag("projects/closure/_banner.html")
def project_banner(project):
    """No query for a project that is neither suspended nor cancelled."""
    action = REASON_OF.get(project.status)
    if action is None:
        return {"project": project}
    event = project.events.filter(action=action).order_by("-created_at", "-id").first()
    refund = Refund.objects.filter(project=project).first() if project.status == ProjectState.CANCELLED else None
    return {"project": project, "reason": event.note if event else "", "refund": refund}
