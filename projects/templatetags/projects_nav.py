"""Whether the menu shows «Proyectos»: to the programme's readers (no query: their roles are known) and to
anyone who sees a project through a committee seat or their group (one query, only for them)."""

from django import template

from projects.models import Project
from projects.querysets import PROJECT_READER_ROLES

register = template.Library()


@register.simple_tag(takes_context=True)
def sees_projects(context) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if set(context.get("user_roles") or ()) & PROJECT_READER_ROLES:
        return True
    return Project.objects.visible_to(user).exists()


@register.inclusion_tag("projects/_tabs.html")
def project_tabs(project, current: str):
    """The project's tabs, the current one marked (aria-current)."""
    from projects.tabs import project_tabs as tabs

    return {"tabs": tabs(project, current)}
