"""Bar charts for the public statistics page, drawn on the server as inline SVG: no script, no library.

The style of the printed reports' charts (reports/charts.py: horizontal bars, one group per category,
a <title> and a <desc> that reads every value), laid out for a phone: 360 units wide, so the text keeps
its size at 390 px. Each category's name sits on its own line above its bars (a borough's name never
squeezes the bars) and every bar carries its figure, so no axis has to be read. The table beside each
chart gives the exact figures.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 360
VALUE_WIDTH = 78  # the figure written after the longest bar
NAME_HEIGHT = 18
BAR_HEIGHT = 14
BAR_GAP = 3
GROUP_GAP = 10
LEGEND_LINE = 20
FONT = 'font-family="system-ui, DejaVu Sans, sans-serif"'
# Dark enough for 3:1 against white (WCAG non-text contrast); the printed reports' palette.
COLORS = ("#1f4e79", "#2e7d32", "#a35200", "#8e244d")


@dataclass(frozen=True)
class Series:
    name: str
    values: list  # one per category; None (no figure yet) draws no bar
    color: str


def pesos(value) -> str:
    return f"${Decimal(value):,.2f}"


def short_pesos(value) -> str:
    """A bar's figure: $1.5 M, $250 mil, $12.34 (per person amounts keep their cents)."""
    value = float(value)
    if value >= 1_000_000:
        return f"${value / 1_000_000:,.1f} M".replace(".0 M", " M")
    if value >= 1_000:
        return f"${value / 1_000:,.0f} mil"
    return f"${value:,.2f}"


def count(value) -> str:
    return f"{int(value):,}"


def description(categories: list[str], series: list[Series], value_format, missing: str = "—") -> str:
    """The chart said in words: «Coyoacán: Aprobado $1,000.00, Ministrado $700.00. …»."""
    def said(value):
        return missing if value is None else value_format(value)

    return " ".join(f"{category}: " + ", ".join(f"{s.name} {said(s.values[i])}" for s in series) + "."
                    for i, category in enumerate(categories))


def _legend(series: list[Series]) -> tuple[list[str], int]:
    """Swatches with their names, wrapped onto as many lines as the width needs."""
    if len(series) < 2:
        return [], 0
    parts, x, y = [], 0, 0
    for s in series:
        width = 22 + 7 * len(s.name)
        if x and x + width > WIDTH:
            x, y = 0, y + LEGEND_LINE
        parts.append(f'<rect x="{x}" y="{y + 3}" width="12" height="12" fill="{s.color}"/>'
                     f'<text x="{x + 16}" y="{y + 13}" font-size="12" {FONT}>{escape(s.name)}</text>')
        x += width + 8
    return parts, y + LEGEND_LINE + 6


def bar_chart(*, chart_id: str, title: str, categories: list[str], series: list[Series],
              value_format=pesos, bar_format=short_pesos, missing: str = "—") -> SafeString:
    """`value_format` writes each figure in the text alternative (exact); `bar_format` beside the bar;
    `missing` stands, written and said, where a figure does not exist yet."""
    largest = max((float(v) for s in series for v in s.values if v is not None), default=0.0)
    plot = WIDTH - VALUE_WIDTH
    legend, top = _legend(series)
    group = NAME_HEIGHT + len(series) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    height = top + group * max(1, len(categories))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="stats-chart" viewBox="0 0 {WIDTH} {height}" '
             f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description(categories, series, value_format, missing))}</desc>',
             *legend]
    for i, category in enumerate(categories):
        y = top + i * group
        parts.append(f'<text x="0" y="{y + 13}" font-size="13" font-weight="600" {FONT}>{escape(category)}</text>')
        for j, s in enumerate(series):
            value = s.values[i]
            bar_y = y + NAME_HEIGHT + j * (BAR_HEIGHT + BAR_GAP)
            if value is None:
                parts.append(f'<text x="0" y="{bar_y + 11}" font-size="11" fill="#4a5560" {FONT}>'
                             f'{escape(missing)}</text>')
                continue
            width = plot * float(value) / largest if largest > 0 else 0.0
            parts.append(f'<rect class="bar" x="0" y="{bar_y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                         f'fill="{s.color}"/><text x="{width + 4:.1f}" y="{bar_y + 11}" font-size="11" {FONT}>'
                         f'{escape(bar_format(value))}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)


def _chart(chart_id: str, title: str, table, keys, **formats) -> SafeString:
    """One chart of `table` (projects.public.statistics.Table): a bar per (column key, legend name, colour)."""
    header = table.columns[0].key
    return bar_chart(chart_id=chart_id, title=str(title), categories=[str(v) for v in table.column(header)],
                     series=[Series(str(name), table.column(key), color) for key, name, color in keys],
                     **formats)


def charts_for(tables: dict, *, funded: bool = True) -> dict[str, list[SafeString]]:
    """The charts shown beside each table, by table slug: only where people would rather look than read, so
    no money chart before any project was funded (every bar would be «not yet»)."""
    from django.utils.translation import gettext as _

    money = [("approved", _("Aprobado"), COLORS[0]), ("released", _("Ministrado"), COLORS[1]),
             ("verified", _("Comprobado"), COLORS[2])]
    per_person = [("per_person", _("Aprobado por habitante"), COLORS[3])]
    counts = {"value_format": count, "bar_format": count}
    money_missing = {"missing": _("aún no hay proyectos")}
    person_missing = {"missing": _("sin dato")}
    charts = {
        "anios": [
            _chart("grafica-propuestas-anio", _("Propuestas recibidas y seleccionadas por año"), tables["anios"],
                   [("received", _("Recibidas"), COLORS[0]), ("selected", _("Seleccionadas"), COLORS[1])],
                   **counts),
            _chart("grafica-dinero-anio", _("Dinero por año"), tables["anios"], money, **money_missing)],
        "alcaldias": [
            _chart("grafica-habitante-alcaldia", _("Dinero aprobado por habitante, por alcaldía"),
                   tables["alcaldias"], per_person, **person_missing),
            _chart("grafica-dinero-alcaldia", _("Dinero por alcaldía"), tables["alcaldias"], money,
                   **money_missing)],
        "estados": [_chart("grafica-estados", _("Proyectos por estado"), tables["estados"],
                           [("projects", _("Proyectos"), COLORS[0])], **counts)],
        "estratos": [_chart("grafica-habitante-estrato", _("Dinero aprobado por habitante, por estrato"),
                            tables["estratos"], per_person, **person_missing)],
    }
    if not funded:
        charts = {"anios": charts["anios"][:1], "alcaldias": [], "estados": [], "estratos": []}
    return charts
