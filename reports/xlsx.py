"""Spreadsheets the reports write: streamed to disk (XlsxWriter's constant_memory mode, so a sheet of
50,000 rows never sits in memory) with every cell typed by what the value is.

Text is always written as text, never as a formula: a title typed as `=HYPERLINK(...)` stays those
characters. Text that begins like a formula (nicp.csv.FORMULA_STARTS) also gets Excel's quote prefix, the
spreadsheet's own form of the CSV export's leading apostrophe, so editing the cell keeps it text.
Dates are real dates, money is a number with a money format."""

import datetime
import tempfile
from decimal import Decimal

import xlsxwriter

from nicp.csv import FORMULA_STARTS

MONEY = '"$"#,##0.00'
DATE = "dd/mm/yyyy"
DECIMAL = "0.00"


def workbook(out) -> xlsxwriter.Workbook:
    """A workbook written into the binary file `out`, one worksheet row at a time."""
    return xlsxwriter.Workbook(out, {
        "constant_memory": True, "in_memory": False, "tmpdir": tempfile.gettempdir(),
        # Strings are written as strings whatever they look like; numbers come typed from the code.
        "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False,
    })


class Sheet:
    """One worksheet written top to bottom: typed rows under a bold frozen header, an autofilter at the end.
    Worksheets are created in the order they appear; a sheet's header may come once its columns are known."""

    def __init__(self, book: xlsxwriter.Workbook, name: str):
        self.sheet = book.add_worksheet(name)
        self.formats = {
            "header": book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1}),
            "money": book.add_format({"num_format": MONEY}),
            "decimal": book.add_format({"num_format": DECIMAL}),
            "date": book.add_format({"num_format": DATE}),
            "quoted": book.add_format({"quote_prefix": True}),
            "bold": book.add_format({"bold": True}),
            "bold_money": book.add_format({"bold": True, "num_format": MONEY}),
        }
        self.columns: list[tuple[str, int, str]] = []
        self.row = self.header_row = 0

    def widths(self, widths: list[int]) -> None:
        for index, width in enumerate(widths):
            self.sheet.set_column(index, index, width)

    def header(self, columns: list[tuple[str, int, str]]) -> None:
        """`columns`: (header, width, kind) with kind one of text, int, money, decimal, date."""
        self.columns, self.header_row = columns, self.row
        self.widths([width for _header, width, _kind in columns])
        self.write_row([header for header, _width, _kind in columns], header=True)
        self.sheet.freeze_panes(self.row, 0)

    def write_row(self, values, *, header: bool = False, bold: bool = False) -> None:
        """A row of the table under the header, typed by its columns."""
        kinds = ["text"] * len(values) if header else [kind for _header, _width, kind in self.columns]
        self.line(values, kinds, "header" if header else ("bold" if bold else None))

    def line(self, values, kinds: list[str], emphasis: str | None = None) -> None:
        """A row typed cell by cell (a sheet of facts rather than a table)."""
        for col, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            self.cell(self.row, col, value, kind, emphasis)
        self.row += 1

    def cell(self, row: int, col: int, value, kind: str, emphasis: str | None = None) -> None:
        sheet, formats = self.sheet, self.formats
        if value is None or value == "":
            return
        if kind == "money" and isinstance(value, int | float | Decimal):
            sheet.write_number(row, col, float(value), formats["bold_money" if emphasis else "money"])
        elif kind == "decimal" and isinstance(value, int | float | Decimal):
            sheet.write_number(row, col, float(value), formats["decimal"])
        elif kind == "date" and isinstance(value, datetime.date):
            sheet.write_datetime(row, col, value, formats["date"])
        elif kind == "int" and isinstance(value, int) and not isinstance(value, bool):
            sheet.write_number(row, col, value, formats.get(emphasis) if emphasis else None)
        else:
            text = str(value)
            quoted = text.startswith(FORMULA_STARTS)
            sheet.write_string(row, col, text, formats["quoted"] if quoted else formats.get(emphasis or ""))

    def finish(self) -> None:
        """The autofilter over the header and the rows written so far (a total row written after it stays
        out of sorting and filtering)."""
        self.sheet.autofilter(self.header_row, 0, self.row - 1, len(self.columns) - 1)
