"""The coordination's «show on the public page» switches on staff pages, without each view passing a flag."""

from django import template

from projects import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def may_publish(context, project) -> bool:
    """Whether the person reading may choose what the public page of `project` shows."""
    request = context.get("request")
    return bool(request and permissions.can_publish_document(request.user, project))


@register.inclusion_tag("projects/_publish_switch.html", takes_context=True)
def publish_switch(context, url, is_public):
    """A POST button that shows (or takes off) one thing on the public page, then comes back here."""
    request = context.get("request")
    return {"url": url, "is_public": is_public, "csrf_token": context.get("csrf_token"),
            "next": request.get_full_path() if request else ""}
