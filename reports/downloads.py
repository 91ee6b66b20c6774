"""A report file as a download: a name made by the code, the type its kind writes, and nothing that runs."""

import re

from django.http import FileResponse
from django.utils.text import slugify

from nicp.storage import SANDBOX
from reports.registry import CONTENT_TYPES

UNKNOWN_TYPE = "application/octet-stream"


def report_response(report) -> FileResponse:
    """`reporte-de-la-convocatoria-2027.xlsx`, always as an attachment. nicp.storage.download_response knows
    only the upload types (XLSX is not one), so the same headers are set here."""
    extension = report.file.name.rsplit(".", 1)[-1].lower()
    content_type = CONTENT_TYPES.get(extension, UNKNOWN_TYPE)
    if content_type == UNKNOWN_TYPE:
        extension = "bin"
    # Named by what it is, in the programme's words ("reporte-de-la-convocatoria-2027.xlsx"); letters, digits
    # and dashes only, whatever a title holds.
    stem = slugify(report.title)[:80].strip("-") or f"{re.sub(r'[^A-Za-z0-9_-]', '-', report.kind)}-{report.pk}"
    filename = f"{stem}.{extension}"
    response = FileResponse(report.file.open("rb"), as_attachment=True, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX
    return response
