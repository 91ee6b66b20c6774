"""How the Committee's numbers are written on every page: one format for weights."""

from django import template

from committees.scoring import weight_percent

register = template.Library()


@register.filter
def percent(weight) -> str:
    return weight_percent(weight)
