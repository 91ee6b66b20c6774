"""The one CSV writer of the application: cells that a spreadsheet would run as a formula are escaped.

Text that begins with = + - @, a tab or a carriage return is what Excel, LibreOffice and Google Sheets
read as a formula (`=HYPERLINK(...)`, `=cmd|...`), so such a cell gets a leading single quote (OWASP's
advice). Only text is escaped: numbers, decimals and dates the application writes as values stay
numbers (a negative amount stays -1500.00), because they never come from what a person typed.
"""

import csv
import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse, StreamingHttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"  # so spreadsheet programs read UTF-8 accents


def safe_cell(value):
    """The value as it should reach a CSV cell: dates in ISO form, text neutralised, numbers as they are."""
    if type(value) is str:  # most cells, first: a big export calls this millions of times
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    if value is None:
        return ""
    if isinstance(value, bool | int | float | Decimal):
        return value
    if isinstance(value, datetime.date | datetime.time):  # datetime is a date too
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, so rows can be streamed."""

    def write(self, value):
        return value


class SafeWriter:
    """csv.writer with every cell passed through `safe_cell`."""

    def __init__(self, handle):
        self._writer = csv.writer(handle)

    def writerow(self, row: Iterable):
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable]):
        for row in rows:
            self.writerow(row)


def safe_csv_writer(handle) -> SafeWriter:
    return SafeWriter(handle)


def _disposition(filename: str) -> str:
    return f'attachment; filename="{filename}"'


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    """A small CSV download, built in memory. `filename` is chosen by the code, never by a user."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    response.write(BOM)
    writer = safe_csv_writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response


def csv_streaming_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> StreamingHttpResponse:
    """A long CSV download, streamed row by row so it never sits in memory."""
    writer = safe_csv_writer(_Echo())

    def lines():
        yield BOM + writer.writerow(header)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = _disposition(filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
