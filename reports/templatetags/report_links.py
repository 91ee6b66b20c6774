"""Report buttons on pages of lower apps (a call, a project, the start page): the templates ask here, so
those apps never import the reports app, and a kind not installed or not allowed shows no button."""

from django import template

from reports.offers import annual_offer, offers

register = template.Library()


@register.inclusion_tag("reports/_buttons.html", takes_context=True)
def report_buttons(context, codes: str, anchor: str = "page", **params):
    """`{% report_buttons "call_report committee_results" call=call.pk %}`"""
    user = context["request"].user
    return {"offers": offers(user, codes.split(), params), "anchor": anchor, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("reports/_annual_form.html", takes_context=True)
def annual_report_form(context):
    return {"annual": annual_offer(context["request"].user), "csrf_token": context.get("csrf_token")}
