"""A notice as its reader reads the site: in English when they chose English and the notice has it."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def as_read(notice) -> dict:
    return notice.in_language(get_language() or "es")
