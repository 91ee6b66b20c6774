"""Bar charts as inline SVG, drawn on the server for the printed reports: no script, no external file, and
each chart carries its own text alternative (a <title> and a <desc> that reads every value), since a
PDF reader that cannot see the bars must still get the figures.

    bar_chart(chart_id="dinero-alcaldia", title="Dinero por alcaldía", categories=["Coyoacán", ...],
              series=[Series("Aprobado", [Decimal(...), ...], "#1f4e79"), ...])

Horizontal bars, one group per category and one bar per series in it: names of boroughs fit on the left."""

import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LABEL_WIDTH = 170  # the category names' column
RIGHT_MARGIN = 24
BAR_HEIGHT = 10
GROUP_GAP = 12
LEGEND_HEIGHT = 28
AXIS_HEIGHT = 22
FONT = 'font-family="DejaVu Sans, sans-serif"'


@dataclass(frozen=True)
class Series:
    name: str
    values: list
    color: str  # dark enough for 3:1 against white (WCAG non-text contrast)


def pesos(value) -> str:
    return f"${Decimal(value):,.2f}"


def short_pesos(value: float) -> str:
    """An axis tick: $1.5 M, $250 mil, $0."""
    if value >= 1_000_000:
        return f"${value / 1_000_000:,.1f} M".replace(".0 M", " M")
    if value >= 1_000:
        return f"${value / 1_000:,.0f} mil"
    return f"${value:,.0f}"


def nice_step(largest: float, ticks: int = 4) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) so that `ticks` steps cover `largest`."""
    if largest <= 0:
        return 1.0
    raw = largest / ticks
    magnitude = 10 ** math.floor(math.log10(raw))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)


def _clip(text: str, limit: int = 26) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def description(categories: list[str], series: list[Series], value_format=pesos) -> str:
    """The chart said in words: «Coyoacán: Aprobado $1,000.00, Ministrado $700.00. …»."""
    return " ".join(
        f"{category}: " + ", ".join(f"{s.name} {value_format(s.values[i])}" for s in series) + "."
        for i, category in enumerate(categories))


def bar_chart(*, chart_id: str, title: str, categories: list[str], series: list[Series],
              value_format=pesos, tick_format=short_pesos) -> SafeString:
    largest = max((float(v) for s in series for v in s.values), default=0.0)
    step = nice_step(largest)
    top = step * max(1, math.ceil(largest / step)) if largest > 0 else step
    plot_width = WIDTH - LABEL_WIDTH - RIGHT_MARGIN
    group_height = BAR_HEIGHT * len(series) + GROUP_GAP
    height = LEGEND_HEIGHT + group_height * max(1, len(categories)) + AXIS_HEIGHT

    def x_of(value) -> float:
        return LABEL_WIDTH + plot_width * float(value) / top

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
             f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(description(categories, series, value_format))}</desc>']
    # Legend: one swatch per series, across the top.
    x = LABEL_WIDTH
    for s in series:
        parts.append(f'<rect class="swatch" x="{x}" y="6" width="12" height="12" fill="{s.color}"/>'
                     f'<text x="{x + 16}" y="16" font-size="11" {FONT}>{escape(s.name)}</text>')
        x += 24 + 7 * len(s.name)
    # Grid lines and their amounts, then the groups of bars.
    axis_y = LEGEND_HEIGHT + group_height * max(1, len(categories))
    tick = 0.0
    while tick <= top + step / 2:
        tx = x_of(tick)
        parts.append(f'<line x1="{tx:.1f}" y1="{LEGEND_HEIGHT - 4}" x2="{tx:.1f}" y2="{axis_y}" stroke="#bbb" '
                     f'stroke-width="0.6"/><text x="{tx:.1f}" y="{axis_y + 14}" font-size="9" text-anchor="middle" '
                     f'{FONT}>{escape(tick_format(tick))}</text>')
        tick += step
    for i, category in enumerate(categories):
        y = LEGEND_HEIGHT + i * group_height
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT * len(series) / 2 + 4:.1f}" font-size="11" '
                     f'text-anchor="end" {FONT}>{escape(_clip(category))}</text>')
        for j, s in enumerate(series):
            width = x_of(s.values[i]) - LABEL_WIDTH
            parts.append(f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + j * BAR_HEIGHT}" width="{width:.1f}" '
                         f'height="{BAR_HEIGHT - 1}" fill="{s.color}"/>')
    parts.append(f'<line x1="{LABEL_WIDTH}" y1="{LEGEND_HEIGHT - 4}" x2="{LABEL_WIDTH}" y2="{axis_y}" '
                 f'stroke="#333" stroke-width="1"/></svg>')
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped)
