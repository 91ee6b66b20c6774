"""The tabs of a project's pages (summary and money, expenses, progress, logbook, visits, closure and
documents, timeline): one list, each a route; the nav shows the ones that exist, in this order."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

TABS = [
    ("detail", _("Resumen y dinero")),
    ("expenses", _("Gastos")),
    ("progress", _("Avance")),
    ("logbook", _("Bitácora")),
    ("visits", _("Visitas")),
    ("closure", _("Cierre y documentos")),
    ("timeline", _("Historial")),
]


def project_tabs(project, current: str) -> list[dict]:
    tabs = []
    for name, label in TABS:
        try:
            url = reverse(f"projects:{name}", args=[project.pk])
        except NoReverseMatch:
            continue
        tabs.append({"name": name, "label": label, "url": url, "current": name == current})
    return tabs
