"""The public page's progress chart: physical and financial progress over time as a small line chart in
inline SVG, drawn on the server (no script; the page shows the same figures in a table beside it).

    progress_chart(daily(records.progress_series(project)))  → SafeString or "" when nothing was reported

Each series joins its own dated observations (an endorsed report is a physical point, a verification a
financial one); the y axis is 0–100 % (higher when more than the approved amount was proved)."""

from datetime import date
from decimal import Decimal

from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT = 360, 200
LEFT, RIGHT, TOP, BOTTOM = 40, 12, 30, 28  # room for the % axis, the legend and the dates
FONT = 'font-family="DejaVu Sans, sans-serif"'
# Dark enough for 3:1 against white (WCAG non-text contrast) and told apart by dash as well as colour.
PHYSICAL_COLOR, FINANCIAL_COLOR = "#1f4e79", "#8a3b12"


def _percent(value: Decimal) -> str:
    return floatformat(value, -1)


def daily(series: list[dict]) -> list[dict]:
    """One row per day (observations come in date order): a day with several verifications or reports
    shows where it ended, which is what a reader of «progress over time» wants."""
    days: dict = {}
    for point in series:
        day = days.setdefault(point["date"], {"date": point["date"], "physical": None, "financial": None})
        for key in ("physical", "financial"):
            if point[key] is not None:
                day[key] = point[key]
    return list(days.values())


def _points(series: list[dict], key: str) -> list[tuple[date, Decimal]]:
    return [(p["date"], Decimal(p[key])) for p in series if p[key] is not None]


def describe(series: list[dict]) -> str:
    """The chart said in words, for the SVG's <desc>."""
    parts = []
    for key, name in (("physical", _("Avance físico")), ("financial", _("Avance financiero"))):
        points = _points(series, key)
        if points:
            parts.append(f"{name}: " + ", ".join(f"{date_format(d, 'SHORT_DATE_FORMAT')} {_percent(v)} %"
                                                  for d, v in points) + ".")
        else:
            parts.append(f"{name}: {_('sin reportar')}.")
    return " ".join(parts)


def progress_chart(series: list[dict], chart_id: str = "grafica-avance") -> SafeString | str:
    """The chart of `series` (as `daily` gives it)."""
    physical, financial = _points(series, "physical"), _points(series, "financial")
    if not physical and not financial:
        return ""
    dates = [d for d, _v in physical + financial]
    first, last = min(dates), max(dates)
    span = max((last - first).days, 1)
    top = max([Decimal(100), *(v for _d, v in physical + financial)])
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def xy(day: date, value: Decimal) -> tuple[float, float]:
        x = LEFT + plot_w * ((day - first).days / span if first != last else 0.5)
        return x, TOP + plot_h * (1 - float(value) / float(top))

    title = _("Avance físico y financiero a lo largo del tiempo")
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="progress-chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="100%" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(describe(series))}</desc>']
    for tick in range(0, 101, 25):
        _x, y = xy(first, Decimal(tick))
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{WIDTH - RIGHT}" y2="{y:.1f}" stroke="#ccc" '
                     f'stroke-width="0.6"/><text x="{LEFT - 4}" y="{y + 3:.1f}" font-size="9" text-anchor="end" '
                     f'{FONT}>{tick} %</text>')
    ends = (("start", LEFT, first), ("end", WIDTH - RIGHT, last)) if first != last else (
        ("middle", LEFT + plot_w / 2, first),)
    for anchor, x, day in ends:
        parts.append(f'<text x="{x}" y="{HEIGHT - 8}" font-size="9" text-anchor="{anchor}" {FONT}>'
                     f'{escape(date_format(day, "SHORT_DATE_FORMAT"))}</text>')
    legend_x = LEFT
    for points, name, color, dash in ((physical, _("Avance físico"), PHYSICAL_COLOR, ""),
                                      (financial, _("Avance financiero"), FINANCIAL_COLOR, ' stroke-dasharray="5 3"')):
        parts.append(f'<line x1="{legend_x}" y1="12" x2="{legend_x + 18}" y2="12" stroke="{color}" stroke-width="2"'
                     f'{dash}/><text x="{legend_x + 22}" y="15" font-size="10" {FONT}>{escape(name)}</text>')
        legend_x += 40 + 6 * len(name)
        if not points:
            continue
        coords = [xy(d, v) for d, v in points]
        parts.append(f'<polyline class="series" fill="none" stroke="{color}" stroke-width="2"{dash} points="'
                     + " ".join(f"{x:.1f},{y:.1f}" for x, y in coords) + '"/>')
        parts.extend(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"/>' for x, y in coords)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text above is escaped; numbers are formatted here)
