"""The report buttons other pages show: only kinds that are registered and that this person may ask for
with these parameters (a kind whose builder is not installed simply has no button)."""

from django.utils.translation import gettext_lazy as _

from proposals.models import Call
from reports.permissions import may_request
from reports.registry import kind_of

BUTTON_LABELS = {
    "call_report": _("Reporte de la convocatoria (XLSX)"),
    "committee_results": _("Resultados del Comité (PDF)"),
    "project_accountability": _("Informe de rendición de cuentas (PDF)"),
    "annual_report_xlsx": _("Informe anual (XLSX)"),
    "annual_report_pdf": _("Informe anual (PDF)"),
}
ANNUAL_KINDS = ("annual_report_xlsx", "annual_report_pdf")


def button_label(code: str):
    kind = kind_of(code)
    return BUTTON_LABELS.get(code) or (f"{kind.label} ({kind.extension.upper()})" if kind else code)


def offers(user, codes, params: dict) -> list[dict]:
    """One {code, label, params} per kind of `codes` this person may ask for with `params`."""
    asked = {key: str(value) for key, value in params.items()}
    return [{"code": code, "label": button_label(code), "params": asked}
            for code in codes if may_request(user, code, asked)]


def annual_offer(user) -> dict | None:
    """The annual report's form: the fiscal years with a call, and the formats this person may ask for."""
    if not getattr(user, "is_authenticated", False) or not any(kind_of(code) for code in ANNUAL_KINDS):
        return None
    years = list(Call.objects.visible_to(user).order_by("-fiscal_year")
                 .values_list("fiscal_year", flat=True).distinct())
    if not years:
        return None
    kinds = offers(user, ANNUAL_KINDS, {"year": years[0]})
    return {"years": years, "kinds": kinds} if kinds else None
