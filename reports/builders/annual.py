"""The programme's annual report, per fiscal year: a spreadsheet (a sheet per table, money formats, frozen
headers) and a printed PDF (the same tables, and bar charts of the money by borough and by stratum).
Both read reports/annual_figures.py: a fixed number of GROUP BY queries whatever the number of rows."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proposals.models import Call
from reports import charts
from reports.annual_figures import SECTIONS, AnnualFigures, Table, annual_figures
from reports.permissions import can_request_programme_reports
from reports.registry import ReportKind, register

MONEY_FORMAT = '"$"#,##0.00'
COUNT_FORMAT = "#,##0"
# Amounts in the charts, in the order of the money tables' columns after «Proyectos».
SERIES_COLORS = ["#1f4e79", "#2e7d32", "#a35200", "#8e244d"]


def clean_params(params: dict) -> dict:
    raw = str(params.get("year", "")).strip()
    if not (raw.isascii() and raw.isdigit() and len(raw) == 4):
        raise ValidationError({"year": _("Escribe el ejercicio fiscal con cuatro cifras, por ejemplo 2026.")})
    year = int(raw)
    if not Call.objects.filter(fiscal_year=year).exists():
        raise ValidationError({"year": _("No hay convocatoria del ejercicio %(year)s. Revisa el año.")
                               % {"year": year}})
    return {"year": year}


def may_request(user, params: dict) -> bool:
    return can_request_programme_reports(user)


def _sections(progress):
    done = 0

    def on_section():
        nonlocal done
        done += 1
        progress(done, SECTIONS + 1)  # the last step is writing the file

    return on_section


def _figures(report, progress) -> AnnualFigures:
    with translation.override("es-mx"):  # the programme's report is published in Spanish
        return annual_figures(report.params["year"], _sections(progress))


def _rows(figures: AnnualFigures) -> int:
    return sum(len(table.rows) for table in figures.tables.values())


# --- Spreadsheet ---------------------------------------------------------------------------------------------

def _sheet_names() -> dict[str, str]:
    # Excel: at most 31 characters, none of []:*?/\ — shorter than the tables' titles, which head each sheet.
    return {"summary": _("Resumen"), "by_state": _("Por estado"), "proposals_borough": _("Propuestas por alcaldía"),
            "proposals_stratum": _("Propuestas por estrato"), "money_borough": _("Dinero por alcaldía"),
            "money_stratum": _("Dinero por estrato")}


def _write_sheet(workbook, formats, table: Table, heading: str) -> None:
    sheet = workbook.add_worksheet(_sheet_names()[table.code][:31])
    sheet.write(0, 0, heading, formats["title"])
    sheet.write_row(2, 0, table.columns, formats["header"])
    rows = [(row, "") for row in table.rows] + ([(table.total, "total_")] if table.total else [])
    for number, (row, style) in enumerate(rows, start=3):
        sheet.write(number, 0, row[0], formats.get(f"{style}text"))
        for column, value in enumerate(row[1:], start=1):
            kind = "money" if isinstance(value, Decimal) else "count"
            sheet.write_number(number, column, value, formats[f"{style}{kind}"])
    sheet.freeze_panes(3, 1)  # the header row and the row names stay in sight
    sheet.set_column(0, 0, 36)
    sheet.set_column(1, len(table.columns) - 1, 17)


def write_xlsx(figures: AnnualFigures, out) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    workbook.set_properties({"title": _("Informe anual %(year)s") % {"year": figures.year},
                             "subject": figures.call_title})
    formats = {
        "title": workbook.add_format({"bold": True, "font_size": 13}),
        "header": workbook.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1, "text_wrap": True,
                                       "valign": "top"}),
        "money": workbook.add_format({"num_format": MONEY_FORMAT}),
        "count": workbook.add_format({"num_format": COUNT_FORMAT}),
        "total_text": workbook.add_format({"bold": True, "top": 1}),
        "total_money": workbook.add_format({"bold": True, "top": 1, "num_format": MONEY_FORMAT}),
        "total_count": workbook.add_format({"bold": True, "top": 1, "num_format": COUNT_FORMAT}),
    }
    for table in figures.tables.values():
        heading = _("%(title)s — Informe anual %(year)s, %(call)s") % {
            "title": table.title, "year": figures.year, "call": figures.call_title}
        _write_sheet(workbook, formats, table, heading)
    workbook.close()


def build_xlsx(report, out, progress) -> int:
    figures = _figures(report, progress)
    with translation.override("es-mx"):
        write_xlsx(figures, out)
    return _rows(figures)


# --- Printed report ------------------------------------------------------------------------------------------

def _cell(value) -> tuple[str, bool]:
    """(text, is a number): pesos with cents, counts with thousands separators."""
    if isinstance(value, Decimal):
        return charts.pesos(value), True
    if isinstance(value, int):
        return f"{value:,}", True
    return str(value), False


def money_chart(table: Table) -> str:
    series = [charts.Series(name, [row[column] for row in table.rows], color)
              for column, (name, color) in enumerate(zip(table.columns[2:], SERIES_COLORS, strict=True), start=2)]
    return charts.bar_chart(chart_id=f"grafica-{table.code}", title=table.title,
                            categories=[row[0] for row in table.rows], series=series)


def pdf_context(figures: AnnualFigures) -> dict:
    sections = []
    for table in figures.tables.values():
        sections.append({
            "table": table, "rows": [[_cell(v) for v in row] for row in table.rows],
            "total": [_cell(v) for v in table.total] if table.total else None,
            "chart": money_chart(table) if table.code.startswith("money_") and table.rows else None})
    return {"figures": figures, "sections": sections}


def write_pdf(figures: AnnualFigures) -> bytes:
    from weasyprint import HTML  # imported here: loading pango is only worth it when a PDF is printed

    html = render_to_string("reports/pdf/annual.html", pdf_context(figures))
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True)


def build_pdf(report, out, progress) -> int:
    figures = _figures(report, progress)
    with translation.override("es-mx"):
        out.write(write_pdf(figures))
    return _rows(figures)


def _title(extension_label: str):
    def title(params: dict) -> str:
        return _("Informe anual %(year)s del programa (%(format)s)") % {"year": params["year"],
                                                                         "format": extension_label}
    return title


register(ReportKind(code="annual_report_xlsx", label=gettext_lazy("Informe anual del programa (Excel)"),
                    extension="xlsx", clean_params=clean_params, may_request=may_request,
                    title=_title("Excel"), build=build_xlsx))
register(ReportKind(code="annual_report_pdf", label=gettext_lazy("Informe anual del programa (PDF con gráficas)"),
                    extension="pdf", clean_params=clean_params, may_request=may_request,
                    title=_title("PDF"), build=build_pdf))
