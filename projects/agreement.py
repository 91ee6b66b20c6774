"""The collaboration agreement: the call's text with the project's data in its $placeholders, printed as
a tagged PDF (WeasyPrint) with the tranche plan, the signatures and the public-programme legend.

Placeholders use string.Template ($name): a text can name only the values listed here, never reach an
attribute or run code, and an unknown name is refused when the coordination saves the text."""

from decimal import Decimal
from string import Template

from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from projects.money import amount_in_words

PLACEHOLDERS = {
    "codigo": "PCMB-2026-0001", "titulo": "Rehabilitación del parque", "grupo": "Vecinos unidos",
    "unidad_territorial": "Centro I", "alcaldia": "Cuauhtémoc", "convocatoria": "Convocatoria 2026",
    "monto": "$1,000,000.00 MXN", "monto_en_letra": "un millón de pesos 00/100 M.N.",
    "ministraciones": "1. 70 %…", "inicio": "1 de enero de 2026", "fin": "30 de junio de 2026",
}


def placeholder_problems(text: str) -> list[str]:
    template = Template(text)
    if not template.is_valid():
        return [_("El texto tiene un «$» suelto: escribe $$ para un signo de pesos, o un dato de la lista.")]
    unknown = sorted(set(template.get_identifiers()) - set(PLACEHOLDERS))
    if unknown:
        return [_("Datos que no existen: %(names)s. Los disponibles son: %(known)s.")
                % {"names": ", ".join(f"${n}" for n in unknown),
                   "known": ", ".join(f"${n}" for n in PLACEHOLDERS)}]
    return []


def percent(value) -> str:
    """70.00 → «70», 33.50 → «33.5»: a share as people write it."""
    return f"{Decimal(value).normalize():f}"


def tranche_plan_lines(project) -> str:
    lines = []
    for tranche in project.tranches.order_by("number"):
        line = _("%(n)d. %(share)s %% — $%(amount)s MXN") % {
            "n": tranche.number, "share": percent(tranche.share_percent), "amount": f"{tranche.amount:,.2f}"}
        conditions = []
        if tranche.progress_required_percent:
            conditions.append(_("con avance físico de al menos %(p)d %%") % {"p": tranche.progress_required_percent})
        if tranche.previous_proved_percent:
            conditions.append(_("con %(p)d %% de la ministración anterior comprobado")
                              % {"p": tranche.previous_proved_percent})
        lines.append(line + (f" ({'; '.join(conditions)})" if conditions else _(" (al inicio de las obras)")))
    return "\n".join(lines)


def agreement_values(project) -> dict:
    unit = project.neighbourhood
    return {
        "codigo": project.code, "titulo": project.title, "grupo": project.group.name,
        "unidad_territorial": unit.name, "alcaldia": unit.borough.name, "convocatoria": project.call.title,
        "monto": f"${project.approved_amount:,.2f} MXN", "monto_en_letra": amount_in_words(project.approved_amount),
        "ministraciones": tranche_plan_lines(project),
        "inicio": date_format(project.execution_starts_on, "DATE_FORMAT"),
        "fin": date_format(project.execution_ends_on, "DATE_FORMAT"),
    }


def agreement_text(project) -> str:
    from projects.models import ProjectRules

    with translation.override("es"):  # the agreement is a legal document in Spanish
        rules = ProjectRules.for_call(project.call)
        return Template(rules.agreement_text).safe_substitute(agreement_values(project))


def signing_committees(project) -> list[tuple[str, list]]:
    """Each committee with its people in the order they sign: presidency, secretary, members."""
    from projects.models import CommitteeKind, SeatPosition

    rank = {code: number for number, code in enumerate(SeatPosition.values)}
    seats = sorted(project.seats.filter(ended_at__isnull=True), key=lambda seat: (rank[seat.position], seat.pk))
    return [(kind.label, [seat for seat in seats if seat.committee == kind]) for kind in CommitteeKind]


def agreement_pdf(project, text: str) -> ContentFile:
    from weasyprint import HTML  # imported here: loading pango is only worth it when an agreement is printed

    from projects.models import ProjectRules

    with translation.override("es"):
        rules = ProjectRules.for_call(project.call)
        html = render_to_string("projects/agreement.html", {
            "project": project, "paragraphs": [p for p in text.split("\n\n") if p.strip()],
            "committees": signing_committees(project), "values": agreement_values(project),
            "legend": rules.public_legend})
    return ContentFile(HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True))
