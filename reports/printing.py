"""Printing a report as a tagged PDF (PDF/UA) in Spanish, as the agreement and the minutes are printed,
and photographs embedded at a reduced size."""

import base64
import io
import logging

from django.template.loader import render_to_string
from django.utils import translation
from PIL import Image, UnidentifiedImageError

log = logging.getLogger(__name__)
# Wide enough for a half-page photograph at print resolution, small enough that fifty keep the file light.
PHOTO_MAX_PX = (640, 480)


def write_pdf(template: str, context: dict, out) -> None:
    """Render `template` in Spanish and write the PDF into the binary file `out`. Only data: URLs are
    fetched (the photographs we embed): nothing typed by a user can make the worker open a file or a host."""
    from weasyprint import HTML  # imported here: loading pango is only worth it when a report is printed
    from weasyprint.urls import URLFetcher

    # Mexican Spanish: "es" alone would print Spain's numbers ("1.000.000,00"; "1,000,000,00" through intcomma).
    with translation.override("es-mx"):
        html = render_to_string(template, context)
    HTML(string=html, url_fetcher=URLFetcher(allowed_protocols={"data"})).write_pdf(
        out, pdf_variant="pdf/ua-1", pdf_tags=True)


def photo_data_uri(stored) -> str | None:
    """A stored photograph, read through the storage and shrunk to PHOTO_MAX_PX, as a JPEG data: URI;
    None when the file is missing or unreadable (the report says so rather than failing)."""
    try:
        with stored.open("rb") as handle, Image.open(handle) as image:
            image = image.convert("RGB")
            image.thumbnail(PHOTO_MAX_PX)
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=72, optimize=True)
    except (OSError, ValueError, UnidentifiedImageError, Image.DecompressionBombError):
        log.warning("Photo %s could not be read for a report", stored.name)
        return None
    return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
