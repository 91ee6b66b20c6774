"""The public listing of funded projects and their map: no account needed.

Both pages and the map's GeoJSON read the same `PublicProjectFilter`, so a shared link filters the same set
everywhere. Bad filter values answer 400 with the error by the field (the form keeps what was typed) and
list nothing, rather than quietly listing everything.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from nicp.public_cache import cached_public_page
from projects.public.filters import PublicProjectFilter
from projects.public.geojson import features_json
from projects.public.querysets import public_projects, public_rows

PAGE_SIZE = 25
MAP_LIST_SIZE = 100
FILTERS = ("year", "borough", "unit", "type", "status", "stratum", "q")

# A project with neither its site's point nor its unit's centroid (records._point): listed, not mapped.
UNMAPPED = ((Q(proposal__latitude__isnull=True) | Q(proposal__longitude__isnull=True))
            & (Q(neighbourhood__latitude__isnull=True) | Q(neighbourhood__longitude__isnull=True)))


def _filtered(request):
    """The filter, whether its values are valid, and the projects to show (none when they are not)."""
    found = PublicProjectFilter(request.GET or None, queryset=public_projects())
    valid = not found.is_bound or found.is_valid()
    return found, valid, (found.qs if valid else found.queryset.none())


def _query(request) -> str:
    """The applied filters, for links to the same set elsewhere (the map, the downloads, the next page)."""
    return urlencode([(key, value) for key, value in request.GET.items() if key != "page" and value])


def _applied(request) -> int:
    """How many filters narrow the set (the sort and the page do not), for the folded form's summary."""
    return sum(1 for name in FILTERS if request.GET.get(name, "").strip())


def _page(request, projects, per_page):
    """Ids first: the page's keys come from the filtered, ordered set without reading its rows, then the
    public rows of those keys alone, so page 200 costs what page 1 does."""
    page = Paginator(projects.values_list("pk", flat=True), per_page).get_page(request.GET.get("page"))
    keys = list(page.object_list)
    rows = {row["id"]: row for row in public_rows(public_projects().filter(pk__in=keys).order_by())} if keys else {}
    page.object_list = [rows[key] for key in keys if key in rows]
    return page


@cached_public_page
def project_list(request):
    found, valid, projects = _filtered(request)
    page = _page(request, projects, PAGE_SIZE)
    return render(request, "projects/public/list.html", {
        "filter": found, "valid": valid, "page": page, "total": page.paginator.count, "query": _query(request),
        "applied": _applied(request),
    }, status=200 if valid else 400)


def project_map(request):
    found, valid, projects = _filtered(request)
    page = _page(request, projects, MAP_LIST_SIZE)
    query = _query(request)
    return render(request, "projects/public/map.html", {
        "filter": found, "valid": valid, "page": page, "total": page.paginator.count, "query": query,
        "applied": _applied(request),
        "unmapped": projects.filter(UNMAPPED).count() if valid else 0,
        "geojson_url": reverse("public:project_geojson") + (f"?{query}" if query else ""),
        "tile_url": settings.MAP_TILE_URL, "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }, status=200 if valid else 400)


def _in_language(chunks, language):
    """The labels are translated while the response streams, after the view has returned."""
    with translation.override(language):
        yield from chunks


def project_geojson(request):
    found, valid, projects = _filtered(request)
    if not valid:
        return JsonResponse({"detail": _("Revisa los filtros: hay valores que no reconocemos."),
                             "errors": {name: [str(e) for e in errors] for name, errors in found.errors.items()}},
                            status=400)
    page = reverse("public:project", args=["__code__"])  # once, not once a point
    chunks = features_json(projects, url_for=lambda code: page.replace("__code__", code))
    return StreamingHttpResponse(_in_language(chunks, translation.get_language()),
                                 content_type="application/geo+json")
