"""The public statistics page and its tables as CSV: no account needed, figures only (never anyone's data)."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from nicp.csv import csv_response
from nicp.public_cache import cached_public_page
from projects.public.statistics import TABLE_SLUGS, YearForm, public_years, statistics
from projects.public.statistics_charts import charts_for

TEMPLATE = "projects/public/statistics.html"
ONLY_PROJECTS = ("estados", "estratos")  # tables of funded projects only: nothing to draw before any
PER_INHABITANT = ("alcaldias", "estratos")  # tables with money per inhabitant: they say how it is counted
TOC_LABELS = {"anios": _("Por año"), "alcaldias": _("Por alcaldía"), "estados": _("Proyectos por estado"),
              "estratos": _("Por estrato de desarrollo social")}


def _chosen_year(request):
    """(form, year, years): the year asked for in ?year=, None for every year; the form carries any error."""
    years = public_years()
    form = YearForm(request.GET, years=years)
    return form, (form.cleaned_data["year"] if form.is_valid() else None), years


@cached_public_page
def page(request):
    form, year, years = _chosen_year(request)
    if form.errors:  # the selector comes back with the error under it, and no figures of the wrong set
        return render(request, TEMPLATE, {"form": form, "figures": None}, status=400)
    figures = statistics(year, years)
    charts = charts_for(figures.tables, funded=figures.has_projects)
    sections = [{"slug": slug, "table": table, "charts": charts[slug], "needs_projects": slug in ONLY_PROJECTS,
                 "toc_label": TOC_LABELS[slug], "per_inhabitant": slug in PER_INHABITANT}
                for slug, table in figures.tables.items()]
    return render(request, TEMPLATE, {"form": form, "figures": figures, "sections": sections,
                                      "year_query": f"?year={year}" if year else ""})


def table_csv(request, table):
    if table not in TABLE_SLUGS:
        raise Http404
    form, year, years = _chosen_year(request)
    if form.errors:
        return HttpResponse(" ".join(form.errors["year"]), status=400, content_type="text/plain; charset=utf-8")
    chosen = statistics(year, years).tables[table]
    return csv_response(f"estadisticas-{table}{f'-{year}' if year else ''}.csv", chosen.csv_header(),
                        chosen.csv_rows())
