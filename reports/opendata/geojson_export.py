"""proyectos.geojson: the map's FeatureCollection (projects/public/geojson.py) as a file, with each feature's
link to its public page written as an absolute address so the file works outside the site."""

from collections.abc import Iterable

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from projects.public.geojson import features_json
from reports.opendata.csv_exports import project_page_pattern, projects_last_modified
from reports.opendata.datasets import Dataset, register


def _in_spanish(chunks: Iterable[str]) -> Iterable[str]:
    """Each chunk made with Spanish labels, as the CSVs are; the language is switched back between chunks so
    the caller's own language is untouched."""
    chunks = iter(chunks)
    while True:
        with translation.override(settings.LANGUAGE_CODE):
            chunk = next(chunks, None)
        if chunk is None:
            return
        yield chunk


def write_geojson(projects) -> Iterable[str]:
    page = project_page_pattern()
    return _in_spanish(features_json(projects, url_for=lambda code: page.replace("__code__", code)))


register(Dataset(
    filename="proyectos.geojson", label=_("Proyectos en el mapa (GeoJSON)"),
    description=_("Un punto por proyecto con ubicación, con su estado, monto y avance; se abre en cualquier "
                  "programa de mapas. Acepta los filtros del listado de proyectos."),
    content_type="application/geo+json", write=write_geojson, last_modified=projects_last_modified,
    filterable=True, dictionary="proyectos-geojson"))
