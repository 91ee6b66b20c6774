"""How far a deadline is, in words: "faltan 3 días", "vence hoy", "venció hace 2 días"."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dashboard.dates import today_in_mexico_city

register = template.Library()


@register.filter
def days_left(deadline, today=None):
    if not deadline:
        return ""
    if hasattr(deadline, "astimezone"):  # a moment, not a day
        deadline = today_in_mexico_city(deadline)
    days = (deadline - (today or today_in_mexico_city())).days
    if days == 0:
        return _("vence hoy")
    if days > 0:
        return ngettext("falta %(n)d día", "faltan %(n)d días", days) % {"n": days}
    return ngettext("venció hace %(n)d día", "venció hace %(n)d días", -days) % {"n": -days}


@register.filter
def is_overdue(deadline, today=None):
    if not deadline:
        return False
    if hasattr(deadline, "astimezone"):
        deadline = today_in_mexico_city(deadline)
    return deadline < (today or today_in_mexico_city())
