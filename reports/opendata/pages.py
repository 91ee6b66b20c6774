"""/datos/ (what open data is offered, its licence and the public API) and /datos/diccionario/ (what every
column means). Public pages: no account, a fixed number of queries whatever the number of snapshots."""

from django.shortcuts import render

from reports.models import Report, ReportStatus
from reports.opendata import dictionary as columns
from reports.opendata.datasets import all_datasets

FORMATS = {"csv": "CSV", "geojson": "GeoJSON", "json": "JSON"}
SNAPSHOT_KIND = "open_data"  # the report kind the nightly snapshot is built as (params {"dataset": filename})


def latest_snapshot(filename: str) -> dict | None:
    """When the newest nightly copy of a file was made, its size and rows; None when there is none yet.
    Only these facts of the report row are read (never who asked for it): the file itself is public."""
    report = (Report.objects.filter(kind=SNAPSHOT_KIND, status=ReportStatus.DONE, expired_at__isnull=True,
                                    params__dataset=filename).exclude(file="")
              .order_by("-finished_at", "-id").values("file", "finished_at", "rows").first())
    if report is None:
        return None
    storage = Report._meta.get_field("file").storage
    try:
        size = storage.size(report["file"])
    except (OSError, NotImplementedError):
        size = None  # the row outlived its file: the date still says how fresh the data is
    return {"made_at": report["finished_at"], "size": size, "rows": report["rows"]}


def index(request):
    offered = [{
        "filename": item.filename, "label": item.label, "description": item.description,
        "format": FORMATS.get(item.filename.rsplit(".", 1)[-1], item.content_type),
        "filterable": item.filterable, "dictionary": item.dictionary, "snapshot": latest_snapshot(item.filename),
    } for item in all_datasets().values()]
    return render(request, "reports/opendata/index.html", {
        "datasets": offered, "licence_name": columns.LICENCE_NAME, "licence_url": columns.LICENCE_URL,
        "filterable": [item["filename"] for item in offered if item["filterable"]]})


def dictionary(request):
    sections = [{"filename": s.filename, "anchor": s.anchor, "row": s.row, "columns": [{
        "name": c.name, "type": c.type, "meaning": c.meaning, "example": c.example,
        "codes": c.codes} for c in s.columns]} for s in columns.SECTIONS]
    return render(request, "reports/opendata/dictionary.html", {
        "sections": sections, "statuses": columns.status_mapping()})
