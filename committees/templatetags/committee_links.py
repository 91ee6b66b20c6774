"""Links to the Committee from pages of lower apps (a call's page), shown only to people it opens for:
the templates ask here, so the proposals app never imports the committees app."""

from django import template

from committees import permissions
from committees.models import Committee

register = template.Library()


@register.simple_tag
def committee_opens_for(user, call) -> bool:
    """Whether the call's Committee page answers this person (the same rule as the page itself)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if permissions.is_coordinator(user):
        return True
    committee = Committee.objects.filter(call=call).first()
    return committee is not None and permissions.can_view_committee(user, committee)
