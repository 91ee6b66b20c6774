"""Projects as GeoJSON (RFC 7946): one Point feature per mapped project, its public list fields as
properties. Shared by the map's endpoint and the open-data download; written in chunks so a large set
streams. A project with neither a site point nor a unit centroid is listed elsewhere, not mapped."""

import json
from collections.abc import Iterable
from decimal import Decimal

from django.utils.functional import Promise

from projects.public.querysets import LIST_FIELDS

CHUNK = 1000

# The properties a feature carries (the rest of the list row is for pages, not the map).
PROPERTIES = ("code", "title", "year", "status", "status_label", "project_type", "project_type_label",
              "unit_key", "unit_name", "borough_code", "borough_name", "approved_amount", "physical_progress",
              "financial_progress", "location_precision")


def _plain(value, labels: dict):
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):  # a lazy label, in the active language: translated once per response
        key = id(value)  # the choices' labels are the same objects every row (hashing one would translate it)
        if key not in labels:
            labels[key] = str(value)
        return labels[key]
    return value


def feature(row: dict, url: str | None = None, labels: dict | None = None) -> dict | None:
    if row["latitude"] is None:
        return None
    labels = {} if labels is None else labels
    properties = {key: _plain(row[key], labels) for key in PROPERTIES}
    if url:
        properties["url"] = url
    # GeoJSON orders a position longitude first.
    return {"type": "Feature", "id": row["code"],
            "geometry": {"type": "Point", "coordinates": [row["longitude"], row["latitude"]]},
            "properties": properties}


def features_json(projects, url_for=None) -> Iterable[str]:
    """The FeatureCollection for `projects` (a filtered, ordered queryset), in text chunks. `url_for(code)`
    gives each feature's page link."""
    from projects.public.records import list_row

    yield '{"type":"FeatureCollection","features":['
    first = True
    rows = projects.values(*LIST_FIELDS, "progress_reported")
    batch = []
    labels = {}
    for raw in rows.iterator(chunk_size=CHUNK):
        item = feature(list_row(raw), url_for(raw["code"]) if url_for else None, labels)
        if item is None:
            continue
        batch.append(("" if first else ",") + json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        first = False
        if len(batch) >= CHUNK:
            yield "".join(batch)
            batch = []
    yield "".join(batch) + "]}"
